import MeshModel

/// What a destination host resolves to in the mesh.
enum ServiceTarget {
    case service(Resource, ServiceSpec)
    case serviceEntry(Resource, ServiceEntrySpec)
    /// `istio-system/istio-ingressgateway`, assumed like its workload.
    case implicitIngress

    /// The port numbers the target exposes.
    var ports: [Int] {
        switch self {
        case .service(_, let spec): spec.ports.compactMap { $0.port?.value }
        case .serviceEntry(_, let spec): spec.ports.compactMap { $0.number?.value }
        case .implicitIngress: MeshIndex.implicitIngressServicePorts.map(\.port)
        }
    }

    /// `ports.count`, without building the list.
    var portCount: Int {
        switch self {
        case .service(_, let spec): spec.ports.count(where: { $0.port != nil })
        case .serviceEntry(_, let spec): spec.ports.count(where: { $0.number != nil })
        case .implicitIngress: MeshIndex.implicitIngressServicePorts.count
        }
    }
}

/// The Services and ServiceEntries of the mesh, arranged for host lookups.
struct ServiceTable {
    /// Kubernetes Services by FQDN.
    let byHost: [String: Resource]
    let entries: [(resource: Resource, spec: ServiceEntrySpec)]
    /// FQDN-resolved ServiceEntry host → index (into `entries`) of the first entry declaring it.
    private let entryByHost: [String: Int]
    /// ServiceEntry wildcard hosts as written, in entry then host order.
    private let entryWildcards: [(pattern: String, entry: Int)]
    /// FQDN of the implicit ingress gateway Service.
    let implicitIngressHost: String

    init(byHost: [String: Resource], entries: [(resource: Resource, spec: ServiceEntrySpec)], resolver: inout HostResolver) {
        self.byHost = byHost
        self.entries = entries
        var exact: [String: Int] = [:]
        var wildcards: [(pattern: String, entry: Int)] = []
        for (index, entry) in entries.enumerated() {
            for host in entry.spec.hosts {
                let fqdn = resolver.fqdn(host.value, namespace: entry.resource.namespace)
                if exact[fqdn] == nil { exact[fqdn] = index }
                if host.value.hasPrefix("*") { wildcards.append((host.value, index)) }
            }
        }
        entryByHost = exact
        entryWildcards = wildcards
        implicitIngressHost = "istio-ingressgateway.istio-system.svc.\(resolver.domain)"
    }

    /// The Service or ServiceEntry that provides `host` (an FQDN), as istioctl's
    /// GetDestinationHost finds it: Services, then ServiceEntry hosts (the first
    /// entry declaring it), the implicit ingress gateway, then the first
    /// ServiceEntry with a wildcard covering it.
    func target(forHost host: String) -> ServiceTarget? {
        if let service = byHost[host], case .service(let spec) = service.body { return .service(service, spec) }
        if let index = entryByHost[host] { return .serviceEntry(entries[index].resource, entries[index].spec) }
        if host == implicitIngressHost { return .implicitIngress }
        for wildcard in entryWildcards where Hosts.covers(wildcard.pattern, host) {
            return .serviceEntry(entries[wildcard.entry].resource, entries[wildcard.entry].spec)
        }
        return nil
    }
}
