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
/// DestinationRules by host, and every VirtualService resolved against them.
struct RoutingTables {
    var serviceTable: ServiceTable
    var gatewaysByKey: [String: Resource] = [:]
    var gateways: [(resource: Resource, spec: GatewaySpec)] = []
    var destinationRules: [RoutedDestinationRule]
    var destinationRulesByHost: [String: [Resource]] = [:]
    var wildcardRuleHosts: [String]
    var virtualServices: [RoutedVirtualService]

    init(_ byKind: [ResourceKind: [Resource]], domain: String) {
        var resolver = HostResolver(domain: domain)
        var services: [String: Resource] = [:]
        for resource in byKind[.service] ?? [] {
            guard case .service = resource.body else { continue }
            services[resolver.fqdn(resource.name, namespace: resource.namespace)] = resource
        }
        let entries = (byKind[.serviceEntry] ?? []).compactMap { resource -> (resource: Resource, spec: ServiceEntrySpec)? in
            guard case .serviceEntry(let spec) = resource.body else { return nil }
            return (resource, spec)
        }
        for resource in byKind[.gateway] ?? [] {
            guard case .gateway(let spec) = resource.body else { continue }
            gatewaysByKey["\(resource.namespace)/\(resource.name)"] = resource
            gateways.append((resource, spec))
        }
        destinationRules = MeshIndex.routeDestinationRules(byKind[.destinationRule] ?? [], &resolver)
        for rule in destinationRules {
            if let fqdn = rule.fqdn { destinationRulesByHost[fqdn, default: []].append(rule.resource) }
        }
        wildcardRuleHosts = destinationRulesByHost.keys.filter { $0.hasPrefix("*") }
        serviceTable = ServiceTable(byHost: services, entries: entries, resolver: &resolver)
        virtualServices = MeshIndex.routeVirtualServices(byKind[.virtualService] ?? [], serviceTable, &resolver)
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
