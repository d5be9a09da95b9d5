import MeshDiagnostics

/// One manifest: its identity, where it was written, and its typed body.
///
/// A class: analyzers and indexes share one instance instead of copying it.
package final class Resource: Sendable {
    package let kind: ResourceKind
    package let apiVersion: String
    package let metadata: ObjectMeta
    package let body: ResourceBody
    package let file: String
    /// Position of the document's root mapping.
    package let mark: Mark
    /// Position of the `spec` field (or the root when there is none).
    package let specMark: Mark
    /// Where the bytes of the document it was read from are in `file` (nil
    /// when unknown). The same bytes read from the same position decode to
    /// the same resource: a parse cache keeps the old object for them.
    package let span: Range<Int>?

    package init(kind: ResourceKind, apiVersion: String, metadata: ObjectMeta, body: ResourceBody, file: String, mark: Mark, specMark: Mark,
                 span: Range<Int>? = nil) {
        self.kind = kind
        self.apiVersion = apiVersion
        self.metadata = metadata
        self.body = body
        self.file = file
        self.mark = mark
        self.specMark = specMark
        self.span = span
    }

    /// The resource's name ("" when missing; MSH0005 was reported).
    package var name: String { metadata.name?.value ?? "" }
    /// The namespace as written, or `default`.
    package var namespace: String { metadata.namespace?.value ?? "default" }
    package var labels: StringMap { metadata.labels }

    /// The reference used in diagnostics and suppressions.
    package var ref: ResourceRef { ResourceRef(kind: kind.rawValue, namespace: namespace, name: name) }
}

/// Every kind meshc understands.
package enum ResourceKind: String, Sendable, CaseIterable, Hashable {
    case service = "Service"
    case pod = "Pod"
    case deployment = "Deployment"
    case statefulSet = "StatefulSet"
    case daemonSet = "DaemonSet"
    case replicaSet = "ReplicaSet"
    case job = "Job"
    case namespace = "Namespace"
    case gateway = "Gateway"
    case virtualService = "VirtualService"
    case destinationRule = "DestinationRule"
    case serviceEntry = "ServiceEntry"
    case workloadEntry = "WorkloadEntry"
    case workloadGroup = "WorkloadGroup"
    case sidecar = "Sidecar"
    case peerAuthentication = "PeerAuthentication"
    case authorizationPolicy = "AuthorizationPolicy"
    case requestAuthentication = "RequestAuthentication"
    case telemetry = "Telemetry"
    /// Read only as a Gateway credentialName reference (`SecretSpec`).
    case secret = "Secret"
    /// meshc's own: a proxy the repository declares.
    case proxy = "Proxy"
    /// meshc's own: mesh-wide settings (Istio's MeshConfig fields).
    case meshConfig = "MeshConfig"
    /// Read for the sidecar injector's settings (`ConfigMapSpec`).
    case configMap = "ConfigMap"
    /// Read for the sidecar injector webhooks' selectors.
    case mutatingWebhookConfiguration = "MutatingWebhookConfiguration"

    /// The kind's place in `allCases`: an array index, for grouping
    /// resources by kind without hashing (`ResourceKind.grouped`).
    package var ordinal: Int {
        switch self {
        case .service: 0
        case .pod: 1
        case .deployment: 2
        case .statefulSet: 3
        case .daemonSet: 4
        case .replicaSet: 5
        case .job: 6
        case .namespace: 7
        case .gateway: 8
        case .virtualService: 9
        case .destinationRule: 10
        case .serviceEntry: 11
        case .workloadEntry: 12
        case .workloadGroup: 13
        case .sidecar: 14
        case .peerAuthentication: 15
        case .authorizationPolicy: 16
        case .requestAuthentication: 17
        case .telemetry: 18
        case .secret: 19
        case .proxy: 20
        case .meshConfig: 21
        case .configMap: 22
        case .mutatingWebhookConfiguration: 23
        }
    }

    /// `resources` by kind, each kind's in the given order, kinds without
    /// one left out: `Dictionary(grouping:by:)`, with one array per kind
    /// sized up front instead of a hash lookup and a growing array per resource.
    package static func grouped(_ resources: [Resource]) -> [ResourceKind: [Resource]] {
        var counts = [Int](repeating: 0, count: allCases.count)
        for resource in resources { counts[resource.kind.ordinal] += 1 }
        var buckets = counts.map { count -> [Resource] in
            var bucket: [Resource] = []
            bucket.reserveCapacity(count)
            return bucket
        }
        for resource in resources { buckets[resource.kind.ordinal].append(resource) }
        var result: [ResourceKind: [Resource]] = [:]
        for kind in allCases where counts[kind.ordinal] > 0 { result[kind] = buckets[kind.ordinal] }
        return result
    }

    /// Whether the kind is an Istio CRD (decoded strictly: unknown fields are errors).
    package var isIstio: Bool {
        switch self {
        case .service, .pod, .deployment, .statefulSet, .daemonSet, .replicaSet, .job, .namespace, .secret, .proxy, .meshConfig,
             .configMap, .mutatingWebhookConfiguration: false
        default: true
        }
    }

    /// API groups and versions that carry the kind (shared arrays: every
    /// document's decode reads them, and a literal here was an allocation each time).
    package var apiVersions: [String] {
        switch self {
        case .service, .pod, .namespace, .secret, .configMap: Self.coreVersions
        case .deployment, .statefulSet, .daemonSet, .replicaSet: Self.appsVersions
        case .job: Self.batchVersions
        case .gateway, .virtualService, .destinationRule, .serviceEntry, .workloadEntry, .sidecar, .workloadGroup: Self.networkingVersions
        case .peerAuthentication, .authorizationPolicy, .requestAuthentication: Self.securityVersions
        case .telemetry: Self.telemetryVersions
        case .proxy, .meshConfig: Self.meshcVersions
        case .mutatingWebhookConfiguration: Self.admissionVersions
        }
    }

    private static let coreVersions = ["v1"]
    private static let appsVersions = ["apps/v1"]
    private static let batchVersions = ["batch/v1"]
    private static let networkingVersions = ["networking.istio.io/v1", "networking.istio.io/v1beta1", "networking.istio.io/v1alpha3"]
    private static let securityVersions = ["security.istio.io/v1", "security.istio.io/v1beta1"]
    private static let telemetryVersions = ["telemetry.istio.io/v1", "telemetry.istio.io/v1alpha1"]
    private static let meshcVersions = ["meshc.dev/v1alpha1"]
    private static let admissionVersions = ["admissionregistration.k8s.io/v1"]

    /// The kind named `name` (a manifest's `kind`), by one hash lookup (the
    /// string switch of `init(rawValue:)` compares names one after another).
    package static func named(_ name: String) -> ResourceKind? { byName[name] }

    private static let byName = Dictionary(uniqueKeysWithValues: allCases.map { ($0.rawValue, $0) })
}

/// The typed body of a resource, one case per kind.
package enum ResourceBody: Sendable {
    case service(ServiceSpec)
    case workload(WorkloadSpec)
    case namespace
    case gateway(GatewaySpec)
    case virtualService(VirtualServiceSpec)
    case destinationRule(DestinationRuleSpec)
    case serviceEntry(ServiceEntrySpec)
    case workloadEntry(WorkloadEntrySpec)
    case workloadGroup(WorkloadGroupSpec)
    case sidecar(SidecarSpec)
    case peerAuthentication(PeerAuthenticationSpec)
    case authorizationPolicy(AuthorizationPolicySpec)
    case requestAuthentication(RequestAuthenticationSpec)
    case telemetry(TelemetrySpec)
    case secret(SecretSpec)
    case proxy(ProxySpec)
    case meshConfig(MeshConfigSpec)
    case configMap(ConfigMapSpec)
    case mutatingWebhookConfiguration(MutatingWebhookConfigurationSpec)
}
