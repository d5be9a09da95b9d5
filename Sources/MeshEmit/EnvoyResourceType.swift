import MeshDiagnostics

/// The four xDS resource types a proxy gets, in the order Envoy needs them
/// applied: clusters and endpoints before the listeners and routes that use them.
public enum EnvoyResourceType: Int, CaseIterable, Comparable, Sendable {
    case cluster, endpoint, listener, route

    /// The type URL in DiscoveryResponses and in each resource's `@type`.
    public var typeURL: String {
        switch self {
        case .cluster: EnvoyType.cluster
        case .endpoint: EnvoyType.clusterLoadAssignment
        case .listener: EnvoyType.listener
        case .route: EnvoyType.routeConfiguration
        }
    }

    /// The DiscoveryResponse file `meshc build` writes for this type.
    public var fileName: String {
        switch self {
        case .cluster: "clusters.json"
        case .endpoint: "endpoints.json"
        case .listener: "listeners.json"
        case .route: "routes.json"
        }
    }

    /// The word plans and messages use for one resource of this type.
    public var label: String {
        switch self {
        case .cluster: "cluster"
        case .endpoint: "endpoints"
        case .listener: "listener"
        case .route: "route"
        }
    }

    /// The member naming a resource of this type (a ClusterLoadAssignment has `cluster_name`).
    public var nameKey: String { self == .endpoint ? "cluster_name" : "name" }

    /// A DiscoveryResponse of `resources` of this type, as `meshc build` writes it.
    public func response(_ resources: [VersionedResource]) -> JSON {
        discoveryResponse(resources, typeURL: typeURL)
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension VersionedResource {
    /// `json` (with its `@type`) versioned as the emitter versions it: FNV-1a
    /// over its compact canonical rendering, so the same resource read back
    /// from a file or an agent compares equal.
    public init(name: String, json: JSON) {
        let rendered = json.rendered()
        self.init(name: name, version: FNV1a64.hex(rendered), rendered: rendered)
    }
}

/// A DiscoveryResponse: `version_info` from every resource's name and version.
func discoveryResponse(_ resources: [VersionedResource], typeURL: String) -> JSON {
    JSON.object([
        "version_info": .string(SnapshotVersions.versionInfo(resources)),
        "type_url": .string(typeURL),
        "resources": .array(resources.map(\.json)),
    ])
}
