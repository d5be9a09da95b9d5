import MeshDiagnostics
import MeshModel

/// Every resource of a lint run, indexed the ways analyzers look them up.
///
/// Everything is computed in `init` and only read afterwards (no lazy state),
/// so analyzers may read one index from several threads at once.
public final class MeshIndex: @unchecked Sendable {
    public let config: MeshConfig
    public let resources: [Resource]
    /// Workloads in resource order, plus the implicit ingress gateway when none is declared.
    public let workloads: [Workload]
    /// Kubernetes Services by FQDN (`name.namespace.svc.cluster.local`).
    public let servicesByHost: [String: Resource]
    /// ServiceEntries with the hosts they declare (as written).
    public let serviceEntries: [(resource: Resource, spec: ServiceEntrySpec)]
    /// Gateways by `namespace/name`.
    public let gatewaysByKey: [String: Resource]
    /// DestinationRules by FQDN host, in the documented order (file path, then position).
    public let destinationRulesByHost: [String: [Resource]]
    public let hasDeclaredIngressGateway: Bool

    /// VirtualServices in resource order, hosts and destinations resolved.
    let virtualServices: [RoutedVirtualService]
    /// DestinationRules in resource order, hosts resolved.
    let destinationRules: [RoutedDestinationRule]
    /// Gateways in resource order, with their specs.
    let gateways: [(resource: Resource, spec: GatewaySpec)]
    /// For each workload (same indices as `workloads`), the Services that
    /// select it, in resource order.
    let servicesByWorkload: [[Resource]]
    /// DestinationRule hosts that are wildcards (`*.example.com`).
    let wildcardRuleHosts: [String]
    let serviceTable: ServiceTable
    private let labelIndex: LabelIndex
    private let resourcesByKind: [ResourceKind: [Resource]]
    /// Service → indices of the workloads it selects (Services with a non-empty selector only).
    private let selections: [ObjectIdentifier: [Int]]

    public init(_ resources: [Resource], config: MeshConfig = .default) {
        self.config = config
        self.resources = resources
        let byKind = Dictionary(grouping: resources, by: \.kind)
        resourcesByKind = byKind
        // Two independent halves, built on two cores: workloads and who selects
        // them, and the host tables the routing analyzers read.
        let (selection, routing) = Parallel.both(
            { WorkloadTables(resources, services: byKind[.service] ?? []) },
            { RoutingTables(byKind, domain: config.domainSuffix) })
        workloads = selection.workloads
        hasDeclaredIngressGateway = selection.hasDeclaredIngressGateway
        labelIndex = selection.labelIndex
        selections = selection.selections
        servicesByWorkload = selection.servicesByWorkload
        servicesByHost = routing.serviceTable.byHost
        serviceEntries = routing.serviceTable.entries
        serviceTable = routing.serviceTable
        gatewaysByKey = routing.gatewaysByKey
        gateways = routing.gateways
        destinationRulesByHost = routing.destinationRulesByHost
        wildcardRuleHosts = routing.wildcardRuleHosts
        destinationRules = routing.destinationRules
        virtualServices = routing.virtualServices
    }

    /// Service ports of the implicit `istio-system/istio-ingressgateway` Service (Istio's defaults).
    public static let implicitIngressServicePorts: [(name: String, port: Int, targetPort: Int)] = [
        ("status-port", 15021, 15021), ("http2", 80, 8080), ("https", 443, 8443),
    ]

    /// The FQDN of `host` written in a resource of `namespace`.
    public func fqdn(_ host: String, namespace: String) -> String {
        Hosts.fqdn(host, namespace: namespace, domain: config.domainSuffix)
    }

    /// True when some Service or ServiceEntry provides `host` (an FQDN or wildcard).
    public func serviceExists(_ host: String) -> Bool {
        if servicesByHost[host] != nil { return true }
        return serviceEntries.contains { entry in entry.spec.hosts.contains { Hosts.covers($0.value, host) } }
    }

    /// The workloads a Kubernetes Service selects (none for selector-less Services).
    public func workloads(selectedBy service: Resource) -> [Workload] {
        workloadIndices(selectedBy: service).map { workloads[$0] }
    }

    /// Indices (into `workloads`, ascending) of the workloads a Kubernetes Service selects.
    func workloadIndices(selectedBy service: Resource) -> [Int] {
        if let known = selections[ObjectIdentifier(service)] { return known }
        guard case .service(let spec) = service.body, let selector = spec.selector, !selector.isEmpty else { return [] }
        return workloadIndices(in: service.namespace, matching: selector)
    }

    /// Workloads in `namespace` (or every namespace when it is the root namespace) matching `labels`.
    public func workloads(in namespace: String, matching labels: StringMap) -> [Workload] {
        workloadIndices(in: namespace == config.rootNamespace ? nil : namespace, matching: labels).map { workloads[$0] }
    }

    /// Indices (into `workloads`, ascending) of the workloads in `namespace`
    /// (nil: any namespace) carrying every label of `selector`. An empty
    /// selector selects every workload there.
    public func workloadIndices(in namespace: String?, matching selector: StringMap) -> [Int] {
        labelIndex.indices(in: namespace, matching: selector, of: workloads)
    }

    /// Resources of one kind, in order.
    public func resources(of kind: ResourceKind) -> [Resource] {
        resourcesByKind[kind] ?? []
    }
}
