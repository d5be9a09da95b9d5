import MeshModel
import MeshValidate

/// What a sidecar may reach: the egress hosts of the Sidecar resource that
/// applies to it (Istio's order: one in the proxy's namespace whose
/// workloadSelector selects it, else the namespace's Sidecar without a
/// selector, else the root namespace's), or everything (`*/*`).
struct SidecarScope {
    /// `(namespace or nil for any, host pattern)`.
    let hosts: [(namespace: String?, host: String)]
    /// The Sidecar resource that gave the scope; nil when none applies.
    let resource: Resource?

    init(for declaration: ProxyDeclaration, _ state: inout CompileState) {
        let sidecars = ResolveHostsPass.ordered(state.index.resources(of: .sidecar)).compactMap { resource -> (Resource, SidecarSpec)? in
            guard case .sidecar(let spec) = resource.body else { return nil }
            return (resource, spec)
        }
        let root = state.index.config.rootNamespace
        let chosen = sidecars.first { $0.0.namespace == declaration.namespace && $0.1.workloadSelector.map { $0.labels.selects(declaration.labels) } == true }
            ?? sidecars.first { $0.0.namespace == declaration.namespace && $0.1.workloadSelector == nil }
            ?? sidecars.first { $0.0.namespace == root && $0.1.workloadSelector == nil }
        guard let (resource, spec) = chosen else {
            self.hosts = [(nil, "*")]
            self.resource = nil
            return
        }
        if !spec.ingress.isEmpty {
            state.note("Sidecar ingress listeners are not built; the proxy's inbound ports come from its Proxy manifest", in: resource)
        }
        var hosts: [(namespace: String?, host: String)] = []
        for listener in spec.egress {
            if listener.port != nil || listener.bind != nil {
                state.note("Sidecar egress port and bind are not built; the egress hosts apply to every port", in: resource)
            }
            for written in listener.hosts {
                let parts = Hosts.splitNamespace(written.value)
                switch parts.namespace {
                case "*": hosts.append((nil, parts.host))
                case ".": hosts.append((resource.namespace, parts.host))
                case "~": continue // no host from any namespace
                default: hosts.append((parts.namespace ?? resource.namespace, parts.host))
                }
            }
        }
        self.hosts = spec.egress.isEmpty ? [(nil, "*")] : hosts
        self.resource = resource
    }

    /// True when `host`, declared in `namespace`, is within the scope.
    func allows(_ host: String, namespace: String) -> Bool {
        hosts.contains { ($0.namespace == nil || $0.namespace == namespace) && Hosts.covers($0.host, host) }
    }
}
