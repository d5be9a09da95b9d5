import MeshModel

/// The workload half of `MeshIndex`: workloads, their label index, and which
/// Services select which workloads.
struct WorkloadTables {
    /// The resources the workloads were read from (every workload, workload
    /// entry and proxy, in resource order): an update compares these.
    var sources: [Resource]
    var workloads: [Workload]
    var hasDeclaredIngressGateway: Bool
    var labelIndex: LabelIndex
    /// Service → indices of the workloads it selects (non-empty selectors
    /// only); empty until `select(_:)`.
    var selections: [ObjectIdentifier: [Int]] = [:]
    /// Per workload, the Services that select it, in resource order; empty until `select(_:)`.
    var servicesByWorkload: [[Resource]] = []

    /// A resource `Workload.mayRead`s and the workload it gives, if any.
    struct Source: Sendable {
        var resource: Resource
        var workload: Workload?
    }

    /// The tables of the workloads `MeshIndex` made, in resource order.
    init(_ made: [Source]) {
        sources = made.map(\.resource)
        workloads = made.compactMap(\.workload)
        hasDeclaredIngressGateway = workloads.contains { $0.labels["istio"] == "ingressgateway" }
        if !hasDeclaredIngressGateway { workloads.append(.implicitIngressGateway) }
        labelIndex = LabelIndex(workloads)
    }

    /// Which of `services` select which workloads. One thread: `MeshIndex`
    /// calls it inside its workload half, beside the routing half that
    /// takes about as long.
    mutating func select(_ services: [Resource]) {
        servicesByWorkload = [[Resource]](repeating: [], count: workloads.count)
        for service in services {
            // A Service selects in its own namespace, and only with a non-empty selector.
            guard case .service(let spec) = service.body, let selector = spec.selector, !selector.isEmpty else { continue }
            let indices = labelIndex.indices(in: service.namespace, matching: selector, of: workloads)
            selections[ObjectIdentifier(service)] = indices
            for index in indices { servicesByWorkload[index].append(service) }
        }
    }
}

/// The routing half of `MeshIndex`: Services, ServiceEntries, Gateways and
/// DestinationRules by host ID, and every VirtualService resolved against them.
struct RoutingTables {
    /// The interned hosts with their FQDN cache, kept so that an update
    /// interns new hosts after the old ones and every old ID stays valid.
    var resolver: HostResolver
    var hosts: HostTable { resolver.table }
    /// The host count when the tables were last built from scratch: an
    /// update starts over once hosts nobody names any more could be a fifth of the table.
    var freshHostCount: Int
    /// What this build took over from the previous tables.
    var kept = MeshIndex.Kept()
    var serviceTable: ServiceTable
    var gatewayTable: GatewayTable
    var destinationRules: [RoutedDestinationRule]
    var rulesByHost: [[Int]] = []
    var wildcardRuleHosts: [HostTable.ID] = []
    /// Every VirtualService resolved against the tables: empty until
    /// `routeVirtualServices()` made the records of what `init` interned.
    var virtualServices: [RoutedVirtualService] = []
    /// The VirtualServices `init` interned, waiting for their records.
    private var pendingVirtualServices: [VirtualServiceWork]

    init(_ byKind: [ResourceKind: [Resource]], domain: String) {
        self.init(byKind, domain: domain, previous: nil)
    }

    /// The tables of `byKind`, taking over each part of `previous` (the
    /// tables of `previous.byKind`) whose inputs are the same resources:
    /// Gateways; DestinationRules; Services and ServiceEntries; and each
    /// VirtualService itself, when the Gateway and Service tables it was
    /// resolved against were taken over. Host IDs then differ from a build
    /// from scratch, but only as names: nothing reads an order from them.
    init(_ byKind: [ResourceKind: [Resource]], domain: String,
         previous: (tables: RoutingTables, byKind: [ResourceKind: [Resource]])?) {
        let base = previous.flatMap { previous in
            previous.tables.resolver.domain == domain
                && previous.tables.hosts.count <= previous.tables.freshHostCount * 5 / 4 + 64 ? previous : nil
        }
        func unchanged(_ kinds: ResourceKind...) -> Bool {
            guard let base else { return false }
            return kinds.allSatisfy { MeshIndex.same(byKind[$0] ?? [], base.byKind[$0] ?? []) }
        }
        var resolver = base?.tables.resolver ?? HostResolver(domain: domain)
        freshHostCount = base?.tables.freshHostCount ?? 0

        kept.hosts = base != nil
        let gatewaysKept = unchanged(.gateway)
        kept.gateways = gatewaysKept
        gatewayTable = gatewaysKept ? base!.tables.gatewayTable : GatewayTable(byKind[.gateway] ?? [])
        if unchanged(.destinationRule) {
            kept.destinationRules = true
            destinationRules = base!.tables.destinationRules
            rulesByHost = base!.tables.rulesByHost
            wildcardRuleHosts = base!.tables.wildcardRuleHosts
        } else {
            destinationRules = MeshIndex.routeDestinationRules(byKind[.destinationRule] ?? [], &resolver)
            for (index, rule) in destinationRules.enumerated() {
                guard let id = rule.hostID.map(Int.init) else { continue }
                if id >= rulesByHost.count { rulesByHost.append(contentsOf: repeatElement([], count: id + 1 - rulesByHost.count)) }
                if rulesByHost[id].isEmpty, rule.fqdn?.hasPrefix("*") == true { wildcardRuleHosts.append(HostTable.ID(id)) }
                rulesByHost[id].append(index)
            }
        }
        let servicesKept = unchanged(.service, .serviceEntry)
        kept.services = servicesKept
        if servicesKept {
            serviceTable = base!.tables.serviceTable
        } else {
            let services = (byKind[.service] ?? []).compactMap { resource -> (resource: Resource, spec: ServiceSpec)? in
                guard case .service(let spec) = resource.body else { return nil }
                return (resource, spec)
            }
            let entries = (byKind[.serviceEntry] ?? []).compactMap { resource -> (resource: Resource, spec: ServiceEntrySpec)? in
                guard case .serviceEntry(let spec) = resource.body else { return nil }
                return (resource, spec)
            }
            serviceTable = ServiceTable(services: services, entries: entries, resolver: &resolver)
        }
        // A VirtualService's record holds Gateway indices and Service targets: kept only with both tables.
        let routed = gatewaysKept && servicesKept ? base!.tables.virtualServices : []
        pendingVirtualServices = MeshIndex.internVirtualServices(byKind[.virtualService] ?? [], &resolver,
                                                                 reusing: routed, kept: &kept.virtualServices)
        if base == nil { freshHostCount = resolver.table.count }
        self.resolver = resolver
    }

    /// Makes the records of the VirtualServices `init` interned, on every
    /// core (`MeshIndex` calls it once the workload half is done too: run
    /// beside it, the records were made on one thread).
    mutating func routeVirtualServices() {
        virtualServices = MeshIndex.routeVirtualServices(pendingVirtualServices, serviceTable, gatewayTable, hosts)
        pendingVirtualServices = []
    }
}
