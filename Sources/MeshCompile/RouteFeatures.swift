import MeshIR
import MeshModel

/// The parts of a rule beside its match and destinations: header changes
/// (Istio's translation), CORS, mirrors and consistent-hash policies.
enum RouteFeatures {
    /// Istio's header translation: `:authority` or `host` set or added on the
    /// request becomes the upstream Host (last written wins); pseudo-headers
    /// and `host` are never added or removed as headers.
    static func headers(_ headers: Headers?) -> DestinationHeaders {
        guard let headers else { return DestinationHeaders() }
        var result = DestinationHeaders(request: operations(headers.request), response: operations(headers.response))
        for entry in (headers.request?.set?.dictionary ?? [:]).merging(headers.request?.add?.dictionary ?? [:], uniquingKeysWith: { set, _ in set })
            .sorted(by: { $0.key < $1.key }) where isAuthority(entry.key) {
            result.authority = entry.value
        }
        return result
    }

    private static func operations(_ ops: MeshModel.HeaderOperations?) -> MeshIR.HeaderOperations {
        guard let ops else { return MeshIR.HeaderOperations() }
        return MeshIR.HeaderOperations(set: (ops.set?.dictionary ?? [:]).filter { !isInternal($0.key) },
                                       add: (ops.add?.dictionary ?? [:]).filter { !isInternal($0.key) },
                                       remove: ops.remove.map(\.value).filter { !isInternal($0) })
    }

    private static func isAuthority(_ name: String) -> Bool { name.lowercased() == ":authority" || name.lowercased() == "host" }
    private static func isInternal(_ name: String) -> Bool { name.hasPrefix(":") || name.lowercased() == "host" }

    /// Istio's CORS translation; nil without allowed origins (Envoy would allow none).
    static func cors(_ policy: MeshModel.CorsPolicy?, _ resource: Resource, _ state: inout CompileState) -> MeshIR.CorsPolicy? {
        guard let policy else { return nil }
        // Istio: the deprecated allowOrigin list counts only when allowOrigins is not written.
        let origins = policy.allowOrigins.isEmpty ? policy.allowOrigin.map { StringMatcher.exact($0.value) }
            : policy.allowOrigins.compactMap(MatchLowering.matcher)
        guard !origins.isEmpty else {
            state.note("corsPolicy without allowOrigins allows no origin; it is left out (use allowOrigins)", in: resource)
            return nil
        }
        var maxAge: Int?
        if let written = policy.maxAge {
            guard let ms = GoDuration.milliseconds(written.value) else {
                state.note("corsPolicy maxAge \(written.value) is not a duration; it is left out", in: resource, at: written.mark)
                return nil
            }
            maxAge = ms / 1000
        }
        return MeshIR.CorsPolicy(allowOrigins: origins, allowMethods: policy.allowMethods.map(\.value),
                                 allowHeaders: policy.allowHeaders.map(\.value), exposeHeaders: policy.exposeHeaders.map(\.value),
                                 maxAgeSeconds: maxAge, allowCredentials: policy.allowCredentials?.value,
                                 forwardUnmatchedPreflights: policy.unmatchedPreflights?.value != "IGNORE")
    }

    /// The hash policy of the first share whose cluster hashes; Envoy has one policy per route, so
    /// shares hashing differently keep the first and get a note.
    static func hashPolicies(_ targets: RuleTargets, _ ref: RuleRef, _ state: inout CompileState) -> [HashPolicy] {
        // By index, and the cluster's one field read in place: a share or a cluster copied out was most of a route's lowering.
        guard state.clusters.hashing > 0 else { return [] }
        var policies: [HashPolicy] = []
        let shares = targets.shares
        for i in shares.indices where shares[i].weight > 0 {
            if let place = state.clusters.position(of: shares[i].key), let policy = state.clusters.values[place].hashPolicy {
                policies.append(policy)
            }
        }
        guard let first = policies.first else { return [] }
        if policies.contains(where: { $0 != first }) {
            state.note("the destinations of this rule hash on different keys; the route hashes on the first one's",
                       in: ref.virtualService.resource, at: ref.rule.mark)
        }
        return [first]
    }

    static func mirrors(_ targets: RuleTargets) -> [RequestMirror] {
        targets.mirrors.map { RequestMirror(cluster: $0.key.name, percent: $0.percent) }
    }
}
