import MeshDiagnostics
import MeshEmit

/// One proxy's xDS resources, desired or running, per type in the order
/// Envoy needs them: clusters, endpoints, listeners, routes. Each resource
/// carries the version the emitter gives it (a hash of its canonical bytes),
/// so the same resource from any source compares equal.
public struct ProxyResources: Sendable, Equatable {
    /// The proxy's name (`gateway-istio-ingressgateway`).
    public var proxy: String
    /// `Cluster`s, named by `name`.
    public var clusters: [VersionedResource]
    /// `ClusterLoadAssignment`s, named by `cluster_name`.
    public var endpoints: [VersionedResource]
    /// `Listener`s, named by `name`.
    public var listeners: [VersionedResource]
    /// `RouteConfiguration`s, named by `name`.
    public var routes: [VersionedResource]

    /// A proxy with the given resources (empty types by default).
    public init(proxy: String, clusters: [VersionedResource] = [], endpoints: [VersionedResource] = [],
                listeners: [VersionedResource] = [], routes: [VersionedResource] = []) {
        self.proxy = proxy
        self.clusters = clusters
        self.endpoints = endpoints
        self.listeners = listeners
        self.routes = routes
    }

    /// What the compiler produced for one proxy.
    public init(_ snapshot: EnvoySnapshot) {
        self.init(proxy: snapshot.proxy, clusters: snapshot.clusters, endpoints: snapshot.endpoints,
                  listeners: snapshot.listeners, routes: snapshot.routes)
    }

    /// The resources of one type.
    public subscript(type: EnvoyResourceType) -> [VersionedResource] {
        get {
            switch type {
            case .cluster: clusters
            case .endpoint: endpoints
            case .listener: listeners
            case .route: routes
            }
        }
        set {
            switch type {
            case .cluster: clusters = newValue
            case .endpoint: endpoints = newValue
            case .listener: listeners = newValue
            case .route: routes = newValue
            }
        }
    }

    /// A proxy from its four DiscoveryResponses (`{"version_info", "type_url",
    /// "resources": [...]}`), one per type; a missing type means none of it.
    /// Each resource is named by its `name` (`cluster_name` for endpoints) and
    /// versioned over its canonical bytes. `origin` names the source in errors.
    public init(proxy: String, responses: [EnvoyResourceType: JSON], origin: String) throws {
        self.init(proxy: proxy)
        for type in EnvoyResourceType.allCases {
            guard let response = responses[type] else { continue }
            self[type] = try Self.resources(of: type, in: response, origin: "\(origin) (\(type.fileName))")
        }
    }

    /// The resources of a DiscoveryResponse, checked against `type`.
    static func resources(of type: EnvoyResourceType, in response: JSON, origin: String) throws -> [VersionedResource] {
        guard case .object(let members) = response else { throw PlanInputError("\(origin): expected a DiscoveryResponse object") }
        if let url = members["type_url"], url != .string(type.typeURL) {
            throw PlanInputError("\(origin): type_url is \(url.rendered()), expected \"\(type.typeURL)\"")
        }
        guard case .array(let items)? = members["resources"] ?? .array([]) else {
            throw PlanInputError("\(origin): `resources` is not an array")
        }
        var seen = Set<String>()
        return try items.enumerated().map { index, item in
            guard case .object(let resource) = item, case .string(let name)? = resource[type.nameKey] else {
                throw PlanInputError("\(origin): resources[\(index)] has no string `\(type.nameKey)`")
            }
            if let url = resource["@type"], url != .string(type.typeURL) {
                throw PlanInputError("\(origin): resources[\(index)] (\(name)) has @type \(url.rendered()), expected \"\(type.typeURL)\"")
            }
            guard seen.insert(name).inserted else { throw PlanInputError("\(origin): two resources named \(name)") }
            return VersionedResource(name: name, json: item)
        }
    }
}

/// A source of resources that cannot be read as a proxy's state: a missing
/// file, a file that is not JSON, a DiscoveryResponse of the wrong shape.
public struct PlanInputError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What cannot be read and where, e.g. `build/gw/routes.json: missing or unreadable`.
    public var message: String

    /// An error saying `message`.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
