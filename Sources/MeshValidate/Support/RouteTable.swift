import MeshModel

/// A VirtualService with what the routing analyzers read, resolved once when
/// the index is built so no analyzer rebuilds or hashes host names.
///
/// The routed records are classes: analyzers loop over them, and a struct
/// this size would be copied (every field retained) on each iteration.
package final class RoutedVirtualService: Sendable {
    let resource: Resource
    let spec: VirtualServiceSpec
    /// `spec.hosts`, FQDN-resolved in the VirtualService's namespace (same indices).
    let hosts: [String]
    /// Host IDs of `hosts` (same indices).
    let hostIDs: [HostTable.ID]
    /// True when the sidecars of the mesh apply it (see `VirtualServiceSpec.isMeshBound`).
    let isMeshBound: Bool
    /// The Gateways it binds, `mesh` left out.
    let gatewayBindings: [GatewayBinding]
    /// Every destination that names a host, in `sitedDestinations` order.
    let destinations: [ResolvedDestination]
    /// Its own hosts (IDs) that an HTTP route sends to a subset, each once,
    /// in `destinations` order (what `IngressSubsetAnalyzer` looks for in every
    /// VirtualService: made once per record, kept with it across commits).
    let subsetRoutedHostIDs: [HostTable.ID]

    init(resource: Resource, spec: VirtualServiceSpec, hosts: [String], hostIDs: [HostTable.ID], isMeshBound: Bool,
         gatewayBindings: [GatewayBinding], destinations: [ResolvedDestination]) {
        self.resource = resource
        self.spec = spec
        self.hosts = hosts
        self.hostIDs = hostIDs
        self.isMeshBound = isMeshBound
        self.gatewayBindings = gatewayBindings
        self.destinations = destinations
        var subsetRouted: [HostTable.ID] = []
        for resolved in destinations where resolved.sited.site.isRoute && resolved.sited.destination.subset != nil {
            let id = resolved.hostID
            if hostIDs.contains(id), !subsetRouted.contains(id) { subsetRouted.append(id) }
        }
        subsetRoutedHostIDs = subsetRouted
    }
}

/// A destination with its host FQDN-resolved and looked up in the mesh.
final class ResolvedDestination: Sendable {
    let sited: SitedDestination
    /// The destination host, FQDN-resolved in the VirtualService's namespace.
    let fqdn: String
    /// The host ID of `fqdn`.
    let hostID: HostTable.ID
    /// The Service or ServiceEntry providing `fqdn` (`ServiceTable.target(forHost:named:)`).
    let target: ServiceTarget?

    init(sited: SitedDestination, fqdn: String, hostID: HostTable.ID, target: ServiceTarget?) {
        self.sited = sited
        self.fqdn = fqdn
        self.hostID = hostID
        self.target = target
    }
}

/// A DestinationRule with its host FQDN-resolved (nil when it names none).
final class RoutedDestinationRule {
    let resource: Resource
    let spec: DestinationRuleSpec
    let fqdn: String?
    /// The host ID of `fqdn`.
    let hostID: HostTable.ID?

    init(resource: Resource, spec: DestinationRuleSpec, fqdn: String?, hostID: HostTable.ID?) {
        self.resource = resource
        self.spec = spec
        self.fqdn = fqdn
        self.hostID = hostID
    }
}

extension MeshIndex {
    /// Interns every VirtualService's hosts, in the order one pass over them
    /// meets them (each one's destinations, then its own hosts), so host IDs
    /// never depend on threads; a record of `previous` for the same object
    /// (resolved against the same tables and resolver) is taken as it is.
    static func internVirtualServices(_ virtualServices: [Resource], _ resolver: inout HostResolver,
                                      reusing previous: [RoutedVirtualService], kept keptCount: inout Int) -> [VirtualServiceWork] {
        let kept = Dictionary(previous.map { (ObjectIdentifier($0.resource), $0) }, uniquingKeysWith: { first, _ in first })
        var work: [VirtualServiceWork] = []
        work.reserveCapacity(virtualServices.count)
        for resource in virtualServices {
            if let record = kept[ObjectIdentifier(resource)], record.resource === resource {
                work.append(.kept(record))
                keptCount += 1
                continue
            }
            guard case .virtualService(let spec) = resource.body else { continue }
            let namespace = resource.namespace
            let destinationIDs = spec.sitedDestinations.map { resolver.id($0.host.value, namespace: namespace) }
            let hostIDs = spec.hosts.map { resolver.id($0.value, namespace: namespace) }
            work.append(.new(resource, spec, namespace: namespace, hostIDs: hostIDs, destinationIDs: destinationIDs))
        }
        return work
    }

    /// The records of interned VirtualServices: destinations looked up in the
    /// Service table, Gateways bound. Only reads the tables: on every core,
    /// unless nearly every record is taken over (a commit's few edits: waking
    /// a second thread would cost more than it saves).
    static func routeVirtualServices(_ work: [VirtualServiceWork], _ services: ServiceTable, _ gateways: GatewayTable,
                                     _ hosts: HostTable) -> [RoutedVirtualService] {
        let record: @Sendable (VirtualServiceWork) -> RoutedVirtualService = { item in
            switch item {
            case .kept(let record):
                return record
            case .new(let resource, let spec, let namespace, let hostIDs, let destinationIDs):
                let destinations = zip(spec.sitedDestinations, destinationIDs).map { sited, id in
                    let fqdn = hosts[id]
                    return ResolvedDestination(sited: sited, fqdn: fqdn, hostID: id, target: services.target(forHost: id, named: fqdn))
                }
                return RoutedVirtualService(
                    resource: resource, spec: spec, hosts: hostIDs.map { hosts[$0] }, hostIDs: hostIDs,
                    isMeshBound: spec.isMeshBound, gatewayBindings: gateways.bindings(of: spec, namespace: namespace),
                    destinations: destinations)
            }
        }
        let fresh = work.reduce(0) { count, item in if case .new = item { count + 1 } else { count } }
        return fresh < 512 ? work.map(record) : work.parallelMap(chunk: 512, record)
    }

    /// DestinationRules in resource order, hosts resolved.
    static func routeDestinationRules(_ rules: [Resource], _ resolver: inout HostResolver) -> [RoutedDestinationRule] {
        rules.compactMap { resource in
            guard case .destinationRule(let spec) = resource.body else { return nil }
            let id = spec.host.map { resolver.id($0.value, namespace: resource.namespace) }
            return RoutedDestinationRule(resource: resource, spec: spec, fqdn: id.map { resolver.table[$0] }, hostID: id)
        }
    }
}

/// A VirtualService between interning its hosts and making its record.
enum VirtualServiceWork: Sendable {
    case kept(RoutedVirtualService)
    case new(Resource, VirtualServiceSpec, namespace: String, hostIDs: [HostTable.ID], destinationIDs: [HostTable.ID])
}
