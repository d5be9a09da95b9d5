/// The xDS resource kinds a proxy gets, in the order Envoy needs them
/// applied: secrets, clusters and endpoints before the listeners and routes
/// that use them. Later kinds (stats) are added here, in their place.
///
/// `secret` is optional everywhere: a snapshot without secrets has the
/// bundle, files and version it had before the kind existed.
package enum EnvoyKind: Int, CaseIterable, Comparable, Sendable {
    case secret, cluster, endpoint, listener, route

    /// The type URL in DiscoveryResponses and in each resource's `@type`.
    package var typeURL: String {
        switch self {
        case .cluster: "type.googleapis.com/envoy.config.cluster.v3.Cluster"
        case .endpoint: "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment"
        case .listener: "type.googleapis.com/envoy.config.listener.v3.Listener"
        case .route: "type.googleapis.com/envoy.config.route.v3.RouteConfiguration"
        case .secret: "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret"
        }
    }

    /// The bundle member and `AgentState` type holding this kind: `clusters`, `endpoints`, `listeners`, `routes`.
    package var member: String {
        switch self {
        case .cluster: "clusters"
        case .endpoint: "endpoints"
        case .listener: "listeners"
        case .route: "routes"
        case .secret: "secrets"
        }
    }

    /// The DiscoveryResponse file `meshc build` writes for this kind (`clusters.json`),
    /// when the kind is written whole (`isWrittenWhole`).
    package var fileName: String { member + ".json" }

    /// Whether `meshc build` writes the kind's resources as one DiscoveryResponse,
    /// `fileName`. Route configurations are not: each is in its own file,
    /// `routes/<name>.json` (`RouteSource.file`), the RDS file the listeners read.
    package var isWrittenWhole: Bool { self != .route }

    /// The word plans and messages use for one resource of this kind.
    package var label: String {
        switch self {
        case .cluster: "cluster"
        case .endpoint: "endpoints"
        case .listener: "listener"
        case .route: "route"
        case .secret: "secret"
        }
    }

    /// The member naming a resource of this kind (a ClusterLoadAssignment has `cluster_name`).
    package var nameKey: String { self == .endpoint ? "cluster_name" : "name" }

    /// Whether a snapshot may leave the kind out (bundles, build folders) when it holds none.
    package var isOptional: Bool { self == .secret }

    /// The kind whose bundle member is `member`, or nil.
    package init?(member: String) {
        guard let kind = Self.allCases.first(where: { $0.member == member }) else { return nil }
        self = kind
    }

    package static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
