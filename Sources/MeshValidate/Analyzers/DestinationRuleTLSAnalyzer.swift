import MeshDiagnostics
import MeshModel

/// IST0128 / IST0129: a DestinationRule originates TLS (mode SIMPLE or
/// MUTUAL) but gives neither `caCertificates` nor `credentialName`, so the
/// server is verified only against the proxy host's public CAs (as Istio
/// does since 1.20): any of them can vouch for a name. `insecureSkipVerify:
/// true` says no check is meant. IST0128 for trafficPolicy.tls, IST0129 for
/// portLevelSettings; subsets' traffic policies are checked the same way.
struct DestinationRuleTLSAnalyzer: Analyzer {
    let codes = [Codes.noServerCertificateVerificationDestinationLevel, Codes.noServerCertificateVerificationPortLevel]
    let reads: Set<ResourceKind>? = [.destinationRule]

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        for rule in mesh.destinationRules {
            let resource = rule.resource, spec = rule.spec
            let host = spec.host?.value ?? ""
            if let policy = spec.trafficPolicy {
                check(policy, base: "spec.trafficPolicy", host: host, resource, &sink)
            }
            for (i, subset) in spec.subsets.enumerated() {
                guard let policy = subset.trafficPolicy else { continue }
                check(policy, base: "spec.subsets[\(i)].trafficPolicy", host: host, resource, &sink)
            }
        }
    }

    private func check(_ policy: TrafficPolicy, base: String, host: String, _ resource: Resource, _ sink: inout DiagnosticSink) {
        if let tls = policy.tls, let mode = unverifiedMode(tls) {
            sink.report(Codes.noServerCertificateVerificationDestinationLevel, resource, at: mode.mark, path: "\(base).tls.mode",
                        "TLS mode \(mode.value) to \(host) sets no caCertificates, so any public CA can vouch for the server",
                        hint: Self.hint)
        }
        for (i, setting) in policy.portLevelSettings.enumerated() {
            guard let tls = setting.tls, let mode = unverifiedMode(tls) else { continue }
            let port = setting.port?.number.map { " port \($0.value)" } ?? ""
            sink.report(Codes.noServerCertificateVerificationPortLevel, resource, at: mode.mark,
                        path: "\(base).portLevelSettings[\(i)].tls.mode",
                        "TLS mode \(mode.value) to \(host)\(port) sets no caCertificates, so any public CA can vouch for the server",
                        hint: Self.hint)
        }
    }

    static let hint = "Set caCertificates (or credentialName) to the CA that signs the server's certificate"

    /// The mode when it originates TLS without a CA of its own to verify the server.
    private func unverifiedMode(_ tls: ClientTLSSettings) -> Located<String>? {
        guard let mode = tls.mode, mode.value == "SIMPLE" || mode.value == "MUTUAL" else { return nil }
        if tls.caCertificates.map({ !$0.value.isEmpty }) == true { return nil }
        if tls.credentialName.map({ !$0.value.isEmpty }) == true { return nil }
        if tls.insecureSkipVerify?.value == true { return nil }
        return mode
    }
}
