import MeshDiagnostics
import MeshModel

/// IST0149 JwtClaimBasedRoutingWithoutRequestAuthN: a VirtualService routes on
/// a JWT claim (a header match key `@request.auth.claims.…`) through a Gateway
/// whose workload no RequestAuthentication applies to. Without one the
/// gateway never validates the token, the claims are never set, and the
/// claim-based rules never match.
///
/// istioctl's `virtualservice.JWTClaimRouteAnalyzer`: the first claim key of
/// the VirtualService's HTTP matches (`headers` or `withoutHeaders`); for each
/// bound Gateway that exists (`mesh` and missing Gateways are skipped), each
/// workload its selector matches in any namespace must be selected by a
/// RequestAuthentication in the root namespace or in the workload's own
/// (one without `selector` selects every workload there). Reported on the
/// VirtualService, at the claim key, once per gateway workload.
struct JWTClaimRouteAnalyzer: Analyzer {
    let codes = [Codes.jwtClaimBasedRoutingWithoutRequestAuthN]
    let reads: Set<ResourceKind>? = ResourceKind.workloadKinds.union([.virtualService, .requestAuthentication, .gateway])
    let perVirtualService = true

    static let claimPrefix = "@request.auth.claims"

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        var selectors: [String: [StringMap]] = [:]
        for resource in mesh.resources(of: .requestAuthentication) {
            guard case .requestAuthentication(let spec) = resource.body else { continue }
            selectors[resource.namespace, default: []].append(spec.selector?.matchLabels ?? StringMap())
        }
        // Most VirtualServices bind no existing Gateway (sidecar routes): nothing to report, no matches to read.
        for vs in mesh.virtualServices where vs.gatewayBindings.contains(where: { $0.gateway != nil }) {
            guard let (key, path) = claimKey(vs.spec) else { continue }
            for binding in vs.gatewayBindings {
                guard let index = binding.gateway else { continue }
                let selector = mesh.gateways[index].spec.selector ?? StringMap()
                for workload in mesh.workloadIndices(in: nil, matching: selector).map({ mesh.workloads[$0] }) {
                    let candidates = selectors[mesh.config.rootNamespace, default: []]
                        + (workload.namespace == mesh.config.rootNamespace ? [] : selectors[workload.namespace, default: []])
                    guard !candidates.contains(where: { workload.matches($0) }) else { continue }
                    sink.report(Codes.jwtClaimBasedRoutingWithoutRequestAuthN, vs.resource, at: key.mark, path: path,
                                "the VirtualService routes on a JWT claim (key: \(key.value)) but no RequestAuthentication applies to "
                                    + "\(workload.kind) \(workload.namespace)/\(workload.name), the workload of Gateway \(binding.key); "
                                    + "without one the gateway never validates the token and the claim never matches",
                                hint: "add a RequestAuthentication in namespace \(workload.namespace)"
                                    + (workload.namespace == mesh.config.rootNamespace ? "" : " (or \(mesh.config.rootNamespace))")
                                    + " whose selector matches the gateway workload")
                }
            }
        }
    }

    /// The first header key routing on a JWT claim, and its field path.
    private func claimKey(_ spec: VirtualServiceSpec) -> (Located<String>, String)? {
        for (i, rule) in spec.http.enumerated() {
            for (j, match) in rule.match.enumerated() {
                if let key = match.headers.first(where: { $0.key.value.hasPrefix(Self.claimPrefix) })?.key {
                    return (key, "spec.http[\(i)].match[\(j)].headers.\(key.value)")
                }
                if let key = match.withoutHeaders.first(where: { $0.key.value.hasPrefix(Self.claimPrefix) })?.key {
                    return (key, "spec.http[\(i)].match[\(j)].withoutHeaders.\(key.value)")
                }
            }
        }
        return nil
    }
}
