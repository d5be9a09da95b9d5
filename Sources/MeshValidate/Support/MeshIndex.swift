import MeshDiagnostics
import MeshModel

/// Every resource of a lint run, indexed the ways analyzers look them up.
///
/// Everything is computed in `init` and only read afterwards (no lazy state),
/// so analyzers may read one index from several threads at once.
package final class MeshIndex: @unchecked Sendable {
    package let config: MeshConfig
    package let resources: [Resource]
    /// Workloads in resource order, plus the implicit ingress gateway when none is declared.
    package let workloads: [Workload]
    /// ServiceEntries with the hosts they declare (as written).
    package let serviceEntries: [(resource: Resource, spec: ServiceEntrySpec)]
    package let hasDeclaredIngressGateway: Bool

    /// Every FQDN host the index resolved, by ID.
    let hosts: HostTable
    /// VirtualServices in resource order, hosts and destinations resolved.
    let virtualServices: [RoutedVirtualService]
    /// DestinationRules in resource order, hosts resolved.
    let destinationRules: [RoutedDestinationRule]
    /// Gateways in resource order, with their specs.
    let gateways: [(resource: Resource, spec: GatewaySpec)]
    let gatewayTable: GatewayTable
    /// For each workload (same indices as `workloads`), the Services that
    /// select it, in resource order.
    let servicesByWorkload: [[Resource]]
    /// Host IDs of DestinationRule hosts that are wildcards (`*.example.com`).
    let wildcardRuleHosts: [HostTable.ID]
    let serviceTable: ServiceTable
    /// Host ID → indices (into `destinationRules`) of the rules for that host,
    /// in resource order. Shorter than `hosts` when later hosts have none.
    private let rulesByHost: [[Int]]
    private let labelIndex: LabelIndex
    private let resourcesByKind: [ResourceKind: [Resource]]
    /// Service → indices of the workloads it selects (Services with a non-empty selector only).
    private let selections: [ObjectIdentifier: [Int]]
    /// What this index took over from `previous` (nothing without one).
    package let kept: Kept
    /// The two halves as built, for the next index to take over.
    private let workloadTables: WorkloadTables
    private let routingTables: RoutingTables

    /// The index of `resources`. With `previous` (an index of an earlier
    /// commit under the same config), the parts whose inputs are the same
    /// resource objects are taken over instead of rebuilt — with a parse
    /// cache, every unchanged file's resources are — so a commit that
    /// changes one VirtualService re-resolves that VirtualService only.
    /// Either way the index answers every lookup as one built from scratch.
    package init(_ resources: [Resource], config: MeshConfig = .default, previous: MeshIndex? = nil) {
        self.config = config
        self.resources = resources
        let base = previous.flatMap { $0.config == config ? $0 : nil }
        let routingBase = base.map { (tables: $0.routingTables, byKind: $0.resourcesByKind) }
        let domain = config.domainSuffix
        let byKind: [ResourceKind: [Resource]]
        var selection: WorkloadTables, routing: RoutingTables
        let keptWorkloads = base.flatMap { base in Self.workloadTables(of: resources, over: base) }
        if let keptWorkloads {
            byKind = ResourceKind.grouped(resources)
            (selection, routing) = (keptWorkloads, RoutingTables(byKind, domain: domain, previous: routingBase))
        } else {
            // Two halves of about the same length, on two cores: the workloads, their label index and which
            // Services select them (inside `both`, on this half's one thread); and the resources by kind with
            // the host tables the routing analyzers read. Made after both, the selections left the routing
            // half running alone for as long.
            (selection, (byKind, routing)) = Parallel.both(
                { () -> WorkloadTables in
                    let sources = resources.compactMap { resource in
                        Workload.mayRead(resource) ? WorkloadTables.Source(resource: resource, workload: Workload.from(resource)) : nil
                    }
                    var tables = WorkloadTables(sources)
                    tables.select(resources.filter { $0.kind == .service })
                    return tables
                },
                { () -> ([ResourceKind: [Resource]], RoutingTables) in
                    let byKind = ResourceKind.grouped(resources)
                    return (byKind, RoutingTables(byKind, domain: domain, previous: routingBase))
                })
        }
        resourcesByKind = byKind
        // Then, on both cores, the VirtualServices' records.
        routing.routeVirtualServices()
        workloadTables = selection
        routingTables = routing
        var kept = routing.kept
        kept.workloads = keptWorkloads != nil
        self.kept = kept
        workloads = selection.workloads
        hasDeclaredIngressGateway = selection.hasDeclaredIngressGateway
        labelIndex = selection.labelIndex
        selections = selection.selections
        servicesByWorkload = selection.servicesByWorkload
        hosts = routing.hosts
        serviceEntries = routing.serviceTable.entries
        serviceTable = routing.serviceTable
        gatewayTable = routing.gatewayTable
        gateways = routing.gatewayTable.gateways
        rulesByHost = routing.rulesByHost
        wildcardRuleHosts = routing.wildcardRuleHosts
        destinationRules = routing.destinationRules
        virtualServices = routing.virtualServices
    }

    /// `base` with other VirtualServices (and `resources` to match); every
    /// other table is `base`'s. See `restricted(toVirtualServices:)`.
    private init(_ base: MeshIndex, virtualServices: [RoutedVirtualService], resources: [Resource]) {
        config = base.config
        self.resources = resources
        var byKind = base.resourcesByKind
        byKind[.virtualService] = virtualServices.map(\.resource)
        resourcesByKind = byKind
        self.virtualServices = virtualServices
        workloads = base.workloads
        serviceEntries = base.serviceEntries
        hasDeclaredIngressGateway = base.hasDeclaredIngressGateway
        hosts = base.hosts
        destinationRules = base.destinationRules
        gateways = base.gateways
        gatewayTable = base.gatewayTable
        servicesByWorkload = base.servicesByWorkload
        wildcardRuleHosts = base.wildcardRuleHosts
        serviceTable = base.serviceTable
        rulesByHost = base.rulesByHost
        labelIndex = base.labelIndex
        selections = base.selections
        kept = base.kept
        workloadTables = base.workloadTables
        routingTables = base.routingTables
    }

    /// This index as a `perVirtualService` analyzer should see it to report
    /// on `subjects` only: those VirtualServices are the only ones listed
    /// (in `virtualServices` and by kind); every lookup table is this
    /// index's own, and so is `resources`, every resource: no such analyzer
    /// reads it (each walks `virtualServices`), and filtering 50,000
    /// resources was a fifth of a one-route commit's analysis.
    /// `IndexUpdateTests` checks the findings equal a fresh run's.
    func restricted(toVirtualServices subjects: Set<ObjectIdentifier>) -> MeshIndex {
        MeshIndex(self, virtualServices: virtualServices.filter { subjects.contains(ObjectIdentifier($0.resource)) }, resources: resources)
    }

    /// The kinds whose resources are the same objects in the same order as in `previous`.
    package func unchangedKinds(since previous: MeshIndex) -> Set<ResourceKind> {
        Set(ResourceKind.allCases.filter { Self.same(resourcesByKind[$0] ?? [], previous.resourcesByKind[$0] ?? []) })
    }

    /// What differs from `previous`: the kinds whose resources are the same
    /// objects in the same order, and the objects each side has alone.
    func change(since previous: MeshIndex) -> IndexChange {
        var change = IndexChange()
        change.unchanged = unchangedKinds(since: previous)
        for kind in ResourceKind.allCases where !change.unchanged.contains(kind) {
            let now = resourcesByKind[kind] ?? [], before = previous.resourcesByKind[kind] ?? []
            let old = Set(before.map(ObjectIdentifier.init)), new = Set(now.map(ObjectIdentifier.init))
            change.added += now.filter { !old.contains(ObjectIdentifier($0)) }
            change.removed += before.filter { !new.contains(ObjectIdentifier($0)) }
        }
        return change
    }

    /// Service ports of the implicit `istio-system/istio-ingressgateway` Service (Istio's defaults).
    package static let implicitIngressServicePorts: [(name: String, port: Int, targetPort: Int)] = [
        ("status-port", 15021, 15021), ("http2", 80, 8080), ("https", 443, 8443),
    ]

    /// The FQDN of `host` written in a resource of `namespace`.
    package func fqdn(_ host: String, namespace: String) -> String {
        Hosts.fqdn(host, namespace: namespace, domain: config.domainSuffix)
    }

    /// Kubernetes Services by FQDN (built on each call; the analyzers look hosts up by ID).
    package var servicesByHost: [String: Resource] {
        var result: [String: Resource] = [:]
        for service in serviceTable.services { result[fqdn(service.resource.name, namespace: service.resource.namespace)] = service.resource }
        return result
    }

    /// Gateways by `namespace/name` (built on each call).
    package var gatewaysByKey: [String: Resource] { gatewayTable.byName }

    /// DestinationRules by FQDN host, in the documented order (file path, then
    /// position); built on each call: the whole table, which tests compare
    /// between indexes (the compiler asks `destinationRules(forHost:)`).
    package var destinationRulesByHost: [String: [Resource]] {
        var result: [String: [Resource]] = [:]
        for id in rulesByHost.indices where !rulesByHost[id].isEmpty {
            result[hosts[HostTable.ID(id)]] = destinationRules(forHost: HostTable.ID(id))
        }
        return result
    }

    /// The DestinationRules whose host is `host` (an FQDN), in resource order.
    package func destinationRules(forHost host: String) -> [Resource] {
        hosts.id(of: host).map(destinationRules(forHost:)) ?? []
    }

    private func destinationRules(forHost id: HostTable.ID) -> [Resource] {
        rules(forHost: id).map { destinationRules[$0].resource }
    }

    /// Indices (into `destinationRules`) of the rules whose host has ID `id`, in resource order.
    func rules(forHost id: HostTable.ID) -> [Int] {
        Int(id) < rulesByHost.count ? rulesByHost[Int(id)] : []
    }

    /// True when some Service or ServiceEntry provides `host` (an FQDN or wildcard).
    package func serviceExists(_ host: String) -> Bool {
        if let id = hosts.id(of: host), serviceTable.serviceIndex(forHost: id) != nil { return true }
        return serviceEntries.contains { entry in entry.spec.hosts.contains { Hosts.covers($0.value, host) } }
    }

    /// The workloads a Kubernetes Service selects (none for selector-less Services).
    package func workloads(selectedBy service: Resource) -> [Workload] {
        workloadIndices(selectedBy: service).map { workloads[$0] }
    }

    /// Indices (into `workloads`, ascending) of the workloads a Kubernetes Service selects:
    /// a caller reading a few fields of each copies no `Workload` out.
    package func workloadIndices(selectedBy service: Resource) -> [Int] {
        if let known = selections[ObjectIdentifier(service)] { return known }
        guard case .service(let spec) = service.body, let selector = spec.selector, !selector.isEmpty else { return [] }
        return workloadIndices(in: service.namespace, matching: selector)
    }

    /// Workloads in `namespace` (or every namespace when it is the root namespace) matching `labels`.
    package func workloads(in namespace: String, matching labels: StringMap) -> [Workload] {
        workloadIndices(in: namespace == config.rootNamespace ? nil : namespace, matching: labels).map { workloads[$0] }
    }

    /// Indices (into `workloads`, ascending) of the workloads in `namespace`
    /// (nil: any namespace) carrying every label of `selector`. An empty
    /// selector selects every workload there.
    package func workloadIndices(in namespace: String?, matching selector: StringMap) -> [Int] {
        labelIndex.indices(in: namespace, matching: selector, of: workloads)
    }

    /// The parts an index took over from the previous one instead of building them.
    package struct Kept: Equatable, Sendable {
        /// The host table (IDs) went on from the previous one.
        package var hosts = false
        package var workloads = false
        package var gateways = false
        package var destinationRules = false
        /// Services and ServiceEntries.
        package var services = false
        /// VirtualServices whose resolved records were taken over.
        package var virtualServices = 0

        package init() {}
    }

    /// `base`'s workload tables when `resources` has the same Services and
    /// the same workload sources (the same objects, in order) as `base`.
    private static func workloadTables(of resources: [Resource], over base: MeshIndex) -> WorkloadTables? {
        // Cheaper than building the tables: passes that compare object identities.
        var services = base.resources(of: .service).makeIterator()
        var sources = base.workloadTables.sources.makeIterator()
        for resource in resources {
            if resource.kind == .service { guard let old = services.next(), old === resource else { return nil } }
            if Workload.mayRead(resource) { guard let old = sources.next(), old === resource else { return nil } }
        }
        return services.next() == nil && sources.next() == nil ? base.workloadTables : nil
    }

    /// True when `a` and `b` hold the same resource objects in the same order.
    static func same(_ a: [Resource], _ b: [Resource]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0 === $1 }
    }

    /// Resources of one kind, in order.
    package func resources(of kind: ResourceKind) -> [Resource] {
        resourcesByKind[kind] ?? []
    }
}
