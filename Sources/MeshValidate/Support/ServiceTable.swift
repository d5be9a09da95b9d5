import MeshModel

/// What a destination host resolves to in the mesh.
package enum ServiceTarget {
    case service(Resource, ServiceSpec)
    case serviceEntry(Resource, ServiceEntrySpec)
    /// `istio-system/istio-ingressgateway`, assumed like its workload.
    case implicitIngress

    /// The port numbers the target exposes.
    package var ports: [Int] {
        switch self {
        case .service(_, let spec): spec.ports.compactMap { $0.port?.value }
        case .serviceEntry(_, let spec): spec.ports.compactMap { $0.number?.value }
        case .implicitIngress: MeshIndex.implicitIngressServicePorts.map(\.port)
        }
    }

    /// True when the target exposes port `number` (`ports.contains`, without building the list).
    package func hasPort(_ number: Int) -> Bool {
        switch self {
        case .service(_, let spec): spec.ports.contains { $0.port?.value == number }
        case .serviceEntry(_, let spec): spec.ports.contains { $0.number?.value == number }
        case .implicitIngress: MeshIndex.implicitIngressServicePorts.contains { $0.port == number }
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

    /// The target's one port (what a destination naming no port gets, as in
    /// Istio); nil when it has none or several. Without building the list:
    /// most destinations name no port.
    package var onlyPort: Int? {
        portCount == 1 ? firstPort : nil
    }

    private var firstPort: Int? {
        switch self {
        case .service(_, let spec): spec.ports.lazy.compactMap { $0.port?.value }.first
        case .serviceEntry(_, let spec): spec.ports.lazy.compactMap { $0.number?.value }.first
        case .implicitIngress: MeshIndex.implicitIngressServicePorts.first?.port
        }
    }
}

/// The Services and ServiceEntries of the mesh, arranged for host lookups
/// by host ID (see `HostTable`).
struct ServiceTable {
    /// Kubernetes Services in resource order.
    let services: [(resource: Resource, spec: ServiceSpec)]
    let entries: [(resource: Resource, spec: ServiceEntrySpec)]
    /// Host ID → index into `services` of the Service with that FQDN (the
    /// last one declared), -1 for none. Shorter than the host table when
    /// hosts were interned later: those have no Service.
    private let serviceByHost: [Int32]
    /// Host ID → index into `entries` of the first entry declaring it (FQDN-resolved), -1 for none.
    private let entryByHost: [Int32]
    /// ServiceEntry wildcard hosts as written, in entry then host order.
    private let entryWildcards: [(pattern: String, entry: Int)]
    /// FQDN of the implicit ingress gateway Service.
    let implicitIngressHost: String
    /// Its host ID.
    let implicitIngressID: HostTable.ID

    init(services: [(resource: Resource, spec: ServiceSpec)], entries: [(resource: Resource, spec: ServiceEntrySpec)],
         resolver: inout HostResolver) {
        self.services = services
        self.entries = entries
        var byHost: [Int32] = []
        for (index, service) in services.enumerated() {
            let id = Int(resolver.id(service.resource.name, namespace: service.resource.namespace))
            if id >= byHost.count { byHost.append(contentsOf: repeatElement(-1, count: id + 1 - byHost.count)) }
            byHost[id] = Int32(index)
        }
        var exact: [Int32] = []
        var wildcards: [(pattern: String, entry: Int)] = []
        for (index, entry) in entries.enumerated() {
            for host in entry.spec.hosts {
                let id = Int(resolver.id(host.value, namespace: entry.resource.namespace))
                if id >= exact.count { exact.append(contentsOf: repeatElement(-1, count: id + 1 - exact.count)) }
                if exact[id] < 0 { exact[id] = Int32(index) }
                if host.value.hasPrefix("*") { wildcards.append((host.value, index)) }
            }
        }
        serviceByHost = byHost
        entryByHost = exact
        entryWildcards = wildcards
        implicitIngressHost = "istio-ingressgateway.istio-system.svc.\(resolver.domain)"
        implicitIngressID = resolver.table.intern(implicitIngressHost)
    }

    /// Index into `services` of the Service whose FQDN has host ID `id`.
    func serviceIndex(forHost id: HostTable.ID) -> Int? {
        let i = Int(id)
        return i < serviceByHost.count && serviceByHost[i] >= 0 ? Int(serviceByHost[i]) : nil
    }

    /// The Service or ServiceEntry that provides host `id` (named `host`), as
    /// istioctl's GetDestinationHost finds it: Services, then ServiceEntry
    /// hosts (the first entry declaring it), the implicit ingress gateway,
    /// then the first ServiceEntry with a wildcard covering it.
    func target(forHost id: HostTable.ID, named host: String) -> ServiceTarget? {
        if let index = serviceIndex(forHost: id) { return .service(services[index].resource, services[index].spec) }
        let i = Int(id)
        if i < entryByHost.count, entryByHost[i] >= 0 {
            let entry = entries[Int(entryByHost[i])]
            return .serviceEntry(entry.resource, entry.spec)
        }
        if id == implicitIngressID { return .implicitIngress }
        for wildcard in entryWildcards where Hosts.covers(wildcard.pattern, host) {
            return .serviceEntry(entries[wildcard.entry].resource, entries[wildcard.entry].spec)
        }
        return nil
    }
}
