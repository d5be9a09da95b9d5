import Dispatch
import MeshModel

/// The workload half of `MeshIndex`: workloads, their label index, and which
/// Services select which workloads.
struct WorkloadTables {
    var workloads: [Workload]
    var hasDeclaredIngressGateway: Bool
    var labelIndex: LabelIndex
    /// Service → indices of the workloads it selects (non-empty selectors only).
    var selections: [ObjectIdentifier: [Int]] = [:]
    /// Per workload, the Services that select it, in resource order.
    var servicesByWorkload: [[Resource]]

    init(_ resources: [Resource], services: [Resource]) {
        workloads = resources.compactMap(Workload.from)
        hasDeclaredIngressGateway = workloads.contains { $0.labels["istio"] == "ingressgateway" }
        if !hasDeclaredIngressGateway { workloads.append(.implicitIngressGateway) }
        labelIndex = LabelIndex(workloads)
        servicesByWorkload = [[Resource]](repeating: [], count: workloads.count)
        for service in services {
            // A Service selects in its own namespace, and only with a non-empty selector.
            guard case .service(let spec) = service.body, let selector = spec.selector, !selector.isEmpty else { continue }
            let selected = labelIndex.indices(in: service.namespace, matching: selector, of: workloads)
            selections[ObjectIdentifier(service)] = selected
            for index in selected { servicesByWorkload[index].append(service) }
        }
    }
}

/// The routing half of `MeshIndex`: Services, ServiceEntries, Gateways and
/// DestinationRules by host ID, and every VirtualService resolved against them.
struct RoutingTables {
    var hosts: HostTable
    var serviceTable: ServiceTable
    var gatewayTable: GatewayTable
    var destinationRules: [RoutedDestinationRule]
    var rulesByHost: [[Int]] = []
    var wildcardRuleHosts: [HostTable.ID] = []
    var virtualServices: [RoutedVirtualService]

    init(_ byKind: [ResourceKind: [Resource]], domain: String) {
        var resolver = HostResolver(domain: domain)
        let services = (byKind[.service] ?? []).compactMap { resource -> (resource: Resource, spec: ServiceSpec)? in
            guard case .service(let spec) = resource.body else { return nil }
            return (resource, spec)
        }
        let entries = (byKind[.serviceEntry] ?? []).compactMap { resource -> (resource: Resource, spec: ServiceEntrySpec)? in
            guard case .serviceEntry(let spec) = resource.body else { return nil }
            return (resource, spec)
        }
        gatewayTable = GatewayTable(byKind[.gateway] ?? [])
        destinationRules = MeshIndex.routeDestinationRules(byKind[.destinationRule] ?? [], &resolver)
        for (index, rule) in destinationRules.enumerated() {
            guard let id = rule.hostID.map(Int.init) else { continue }
            if id >= rulesByHost.count { rulesByHost.append(contentsOf: repeatElement([], count: id + 1 - rulesByHost.count)) }
            if rulesByHost[id].isEmpty, rule.fqdn?.hasPrefix("*") == true { wildcardRuleHosts.append(HostTable.ID(id)) }
            rulesByHost[id].append(index)
        }
        serviceTable = ServiceTable(services: services, entries: entries, resolver: &resolver)
        virtualServices = MeshIndex.routeVirtualServices(byKind[.virtualService] ?? [], serviceTable, gatewayTable, &resolver)
        hosts = resolver.table
    }
}

/// Runs two independent computations on two threads.
enum Parallel {
    static func both<A, B>(_ first: () -> A, _ second: () -> B) -> (A, B) {
        var a: A?
        var b: B?
        withoutActuallyEscaping(first) { first in
            withoutActuallyEscaping(second) { second in
                // Each iteration writes only its own variable.
                DispatchQueue.concurrentPerform(iterations: 2) { index in
                    if index == 0 { a = first() } else { b = second() }
                }
            }
        }
        return (a!, b!)
    }
}
