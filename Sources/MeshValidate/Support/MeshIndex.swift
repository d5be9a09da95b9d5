import MeshDiagnostics
import MeshModel

/// Every resource of a lint run, indexed the ways analyzers look them up.
/// Built once; analyzers only read it.
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
    /// Posting lists: `namespace` → `key=value` → workload indices, and the
    /// same across all namespaces under the key "". Selection reads the
    /// shortest list instead of scanning every workload.
    private let labelIndex: [String: [String: [Int]]]
    private let namespaceIndex: [String: [Int]]
    private let resourcesByKind: [ResourceKind: [Resource]]

    public init(_ resources: [Resource], config: MeshConfig = .default) {
        self.config = config
        self.resources = resources
        var workloads = resources.compactMap(Workload.from)
        let ingress = workloads.contains { $0.labels["istio"] == "ingressgateway" }
        hasDeclaredIngressGateway = ingress
        if !ingress { workloads.append(.implicitIngressGateway) }
        self.workloads = workloads
        var labels: [String: [String: [Int]]] = [:]
        var namespaces: [String: [Int]] = [:]
        for (index, workload) in workloads.enumerated() {
            namespaces[workload.namespace, default: []].append(index)
            for entry in workload.labels.entries {
                let key = Self.posting(entry.key, entry.value.value)
                labels[workload.namespace, default: [:]][key, default: []].append(index)
                labels["", default: [:]][key, default: []].append(index)
            }
        }
        labelIndex = labels
        resourcesByKind = Dictionary(grouping: resources, by: \.kind)
        namespaceIndex = namespaces

        var services: [String: Resource] = [:]
        var entries: [(Resource, ServiceEntrySpec)] = []
        var gateways: [String: Resource] = [:]
        var rules: [String: [Resource]] = [:]
        for resource in resources {
            switch resource.body {
            case .service:
                services[Hosts.fqdn(resource.name, namespace: resource.namespace, domain: config.domainSuffix)] = resource
            case .serviceEntry(let spec):
                entries.append((resource, spec))
            case .gateway:
                gateways["\(resource.namespace)/\(resource.name)"] = resource
            case .destinationRule(let spec):
                if let host = spec.host?.value {
                    rules[Hosts.fqdn(host, namespace: resource.namespace, domain: config.domainSuffix), default: []].append(resource)
                }
            default:
                break
            }
        }
        servicesByHost = services
        serviceEntries = entries
        gatewaysByKey = gateways
        destinationRulesByHost = rules
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
        guard case .service(let spec) = service.body, let selector = spec.selector, !selector.isEmpty else { return [] }
        return workloadIndices(in: service.namespace, matching: selector).map { workloads[$0] }
    }

    /// Workloads in `namespace` (or every namespace when it is the root namespace) matching `labels`.
    public func workloads(in namespace: String, matching labels: StringMap) -> [Workload] {
        workloadIndices(in: namespace == config.rootNamespace ? nil : namespace, matching: labels).map { workloads[$0] }
    }

    /// Indices (into `workloads`, ascending) of the workloads in `namespace`
    /// (nil: any namespace) carrying every label of `selector`. An empty
    /// selector selects every workload there.
    public func workloadIndices(in namespace: String?, matching selector: StringMap) -> [Int] {
        guard !selector.isEmpty else {
            guard let namespace else { return Array(workloads.indices) }
            return namespaceIndex[namespace] ?? []
        }
        guard let postings = labelIndex[namespace ?? ""] else { return [] }
        var shortest: [Int]?
        for entry in selector.entries {
            guard let list = postings[Self.posting(entry.key, entry.value.value)] else { return [] }
            if list.count < (shortest?.count ?? Int.max) { shortest = list }
        }
        return (shortest ?? []).filter { workloads[$0].matches(selector) }
    }

    private static func posting(_ key: String, _ value: String) -> String { key + "\u{0}" + value }

    /// Resources of one kind, in order.
    public func resources(of kind: ResourceKind) -> [Resource] {
        resourcesByKind[kind] ?? []
    }
}
