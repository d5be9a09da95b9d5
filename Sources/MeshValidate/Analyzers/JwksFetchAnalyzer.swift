import MeshDiagnostics
import MeshModel

/// IST0175 JwksUriFetchUnrestricted: the repository deploys istiod (a
/// Deployment labelled `app: istiod`) without `BLOCKED_CIDRS_IN_JWKS_URIS`
/// while RequestAuthentications exist. istiod fetches every `jwksUri`; without
/// that list it connects to any address, internal ones included, so whoever
/// may write a RequestAuthentication can make istiod call internal services.
///
/// istioctl's `authn.BlockedCIDRsAnalyzer`, reported on each such Deployment
/// at its name, listing up to five RequestAuthentications (`namespace/name`).
/// A repository without an istiod Deployment gets nothing: the setting lives
/// where istiod is installed. meshc's own proxies fetch `jwksUri` from Envoy
/// (`remote_jwks`), which has no such list; this check is about istiod.
struct JwksFetchAnalyzer: Analyzer {
    let codes = [Codes.jwksUriFetchUnrestricted]

    static let blockedCIDRsVariable = "BLOCKED_CIDRS_IN_JWKS_URIS"

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        let policies = mesh.resources(of: .requestAuthentication).map { "\($0.namespace)/\($0.name)" }
        guard !policies.isEmpty else { return }
        let shown = policies.prefix(5).joined(separator: ", ") + (policies.count > 5 ? ", and \(policies.count - 5) more" : "")
        for resource in mesh.resources(of: .deployment) where resource.labels["app"] == "istiod" {
            guard case .workload(let spec) = resource.body else { continue }
            let configured = spec.containers.contains { container in
                container.env.contains { $0.name?.value == Self.blockedCIDRsVariable && !($0.value?.value ?? "").isEmpty }
            }
            guard !configured else { continue }
            sink.report(Codes.jwksUriFetchUnrestricted, resource, at: resource.nameMark, path: "metadata.name",
                        "\(Self.blockedCIDRsVariable) is not configured but \(policies.count) RequestAuthentication resource(s) exist "
                            + "(\(shown)); istiod fetches their jwksUri from any address, internal ones included",
                        hint: "set \(Self.blockedCIDRsVariable) on istiod to the comma-separated CIDRs it must not connect to, "
                            + "e.g. 10.0.0.0/8,169.254.169.254/32 (IstioOperator values.pilot.env)")
        }
    }
}
