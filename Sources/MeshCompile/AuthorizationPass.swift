import MeshIR
import MeshModel
import MeshValidate

/// Which AuthorizationPolicies and RequestAuthentications apply to each
/// declared proxy, as Istio selects them: a policy without a selector in the
/// root namespace applies mesh-wide, one without a selector in namespace N
/// to every workload in N, one with `selector.matchLabels` to the workloads
/// of its namespace carrying those labels (any namespace from the root
/// namespace). A gateway is the workload of its Proxy's namespace and labels;
/// a sidecar that of the WorkloadEntry it fronts.
///
/// `targetRef(s)` (Gateway API attachment) is not built: a note says so and
/// the policy applies to no proxy of this build.
enum AuthorizationPass {
    static func run(_ state: inout CompileState) {
        let policies = ordered(state.index.resources(of: .authorizationPolicy)).compactMap { resource -> SelectedPolicy? in
            guard case .authorizationPolicy(let spec) = resource.body else { return nil }
            return SelectedPolicy(resource: resource, spec: spec)
        }
        let authentications = ordered(state.index.resources(of: .requestAuthentication)).compactMap { resource -> (Resource, RequestAuthenticationSpec)? in
            guard case .requestAuthentication(let spec) = resource.body else { return nil }
            return (resource, spec)
        }
        guard !policies.isEmpty || !authentications.isEmpty else { return }
        if policies.contains(where: { $0.spec.action?.value == "CUSTOM" }) { ExtAuthzProviders.collect(&state) }
        for policy in policies where !policy.spec.targetRefs.isEmpty {
            state.note("targetRef attaches policies to Gateway API resources, which meshc does not build; this policy applies to no proxy",
                       in: policy.resource, at: policy.spec.targetRefs[0].mark)
        }
        for (resource, spec) in authentications where !spec.targetRefs.isEmpty {
            state.note("targetRef attaches policies to Gateway API resources, which meshc does not build; this policy applies to no proxy",
                       in: resource, at: spec.targetRefs[0].mark)
        }
        let root = state.index.config.rootNamespace
        for declaration in state.declarations {
            let namespace = declaration.workload?.namespace ?? declaration.namespace
            func applies(_ resource: Resource, _ selector: WorkloadSelectorMatchLabels?, _ targets: [PolicyTargetReference]) -> Bool {
                guard targets.isEmpty else { return false }
                guard resource.namespace == root || resource.namespace == namespace else { return false }
                guard let labels = selector?.matchLabels, !labels.isEmpty else { return true }
                return labels.selects(declaration.labels)
            }
            var scope = AuthorizationScope(namespace: namespace)
            scope.policies = policies.filter { applies($0.resource, $0.spec.selector, $0.spec.targetRefs) }
            for (resource, spec) in authentications where applies(resource, spec.selector, spec.targetRefs) {
                scope.jwtRules += spec.jwtRules.map { (resource, $0) }
            }
            if !scope.policies.isEmpty || !scope.jwtRules.isEmpty { state.authorization[declaration.name] = scope }
        }
    }

    /// The documented order (file, then position): rule names and notes come out the same on every build.
    private static func ordered(_ resources: [Resource]) -> [Resource] {
        resources.sorted { ($0.file, $0.mark.line, $0.mark.column) < ($1.file, $1.mark.line, $1.mark.column) }
    }

    /// The authorization a chain of proxy `proxy` enforces on mesh port
    /// `port` (which the proxy listens on at `listenPort`); nil when no
    /// policy applies. TCP chains get Istio's TCP semantics
    /// (`AuthorizationLowering`).
    static func chainAuthorization(_ proxy: String, port: Int, listenPort: Int, tcp: Bool, _ state: inout CompileState) -> Authorization {
        guard let scope = state.authorization[proxy] else { return Authorization() }
        var lowering = AuthorizationLowering(scope: scope, ports: [port, listenPort], tcp: tcp,
                                             trustDomain: state.index.config.trustDomain, extAuthz: state.extAuthz)
        let result = lowering.lower()
        for cluster in lowering.jwksClusters { state.jwksClusters[cluster.name] = cluster }
        for (message, resource, mark) in lowering.notes { state.note(message, in: resource, at: mark) }
        return result
    }

    /// `chains` with the authorization of proxy `proxy` on mesh port `port`
    /// set on each: empty where no policy applies, so that the chain has its
    /// authorization filters from the start and a first policy is a route
    /// change, not a listener change (`HTTPFilters`).
    static func authorize(_ chains: [FilterChain], proxy: String, port: Int, listenPort: Int, _ state: inout CompileState) -> [FilterChain] {
        chains.map { chain in
            var chain = chain
            let tcp = if case .tcp = chain.action { true } else { false }
            chain.authorization = chainAuthorization(proxy, port: port, listenPort: listenPort, tcp: tcp, &state)
            return chain
        }
    }
}

extension AuthorizationPass {
    /// `configs` with the authorization of the HTTP chain serving each.
    static func routed(_ configs: [RouteConfig], _ listeners: [Listener]) -> [RouteConfig] {
        var byName: [String: Authorization] = [:]
        for chain in listeners.flatMap(\.chains) {
            if case .http(let name) = chain.action, let authorization = chain.authorization, byName[name] == nil { byName[name] = authorization }
        }
        return configs.map { config in
            var config = config
            config.authorization = byName[config.name]
            return config
        }
    }

    /// `clusters` plus those `listeners`' policies reach: JWKS servers, ext_authz services and
    /// tracing collectors (sorted by name, each once).
    static func withPolicyClusters(_ clusters: [Cluster], _ listeners: [Listener], _ state: CompileState) -> [Cluster] {
        var names = Set<String>()
        for case let authorization? in listeners.flatMap(\.chains).map(\.authorization) {
            for provider in authorization.jwtProviders {
                if case .remote(_, let cluster, _) = provider.keys { names.insert(cluster) }
            }
            if let custom = authorization.custom { names.insert(custom.service.cluster) }
        }
        // Tracing collectors (Telemetry) are reached like any service.
        for case let provider? in listeners.map({ $0.telemetry?.tracing?.provider }) { names.insert(provider.cluster) }
        guard !names.isEmpty else { return clusters }
        names.subtract(clusters.map(\.name))
        guard !names.isEmpty else { return clusters }
        let built = Dictionary(state.clusters.values.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        return clusters + names.sorted().compactMap { state.jwksClusters[$0] ?? built[$0] }
    }
}

/// An AuthorizationPolicy with its resource (namespace and name name its rules).
struct SelectedPolicy {
    let resource: Resource
    let spec: AuthorizationPolicySpec
}

/// The policies that apply to one proxy's workload.
struct AuthorizationScope {
    /// The workload's namespace (`serviceAccounts` without one resolve in the policy's).
    let namespace: String
    /// AuthorizationPolicies, documented order.
    var policies: [SelectedPolicy] = []
    /// RequestAuthentication `jwtRules`, documented order.
    var jwtRules: [(resource: Resource, rule: JWTRule)] = []
}
