import Foundation
import MeshDiagnostics
import MeshEmit

/// What `PUT /v1/snapshot` carries: one proxy's whole config, the JSON of
/// `EnvoySnapshot.bundle()`:
///
///     {"proxy": NAME, "version": SNAPSHOT_VERSION,
///      "clusters": DiscoveryResponse, "endpoints": DiscoveryResponse,
///      "listeners": DiscoveryResponse, "routes": DiscoveryResponse}
public struct SnapshotBundle: Sendable, Equatable {
    /// The proxy (Envoy node id) the bundle is for.
    public var proxy: String
    /// The writer's snapshot version; the `If-Match` precondition compares it.
    public var version: String
    /// CDS: the clusters, endpoints inline.
    public var clusters: DiscoveryResponse
    /// Kept for plans; Envoy gets each cluster's endpoints inline in CDS.
    public var endpoints: DiscoveryResponse
    /// LDS: listeners naming their route configurations over RDS.
    public var listeners: DiscoveryResponse
    /// RDS: route configurations.
    public var routes: DiscoveryResponse

    /// The four members by name, in the order Envoy needs them.
    public static let kinds = ["clusters", "endpoints", "listeners", "routes"]

    /// The member named `kind` (one of `kinds`).
    public func response(_ kind: String) -> DiscoveryResponse {
        switch kind {
        case "clusters": clusters
        case "endpoints": endpoints
        case "listeners": listeners
        default: routes
        }
    }

    /// The empty config an agent starts from before its first snapshot.
    package static func empty(proxy: String) -> SnapshotBundle {
        func none(_ kind: String) -> DiscoveryResponse {
            DiscoveryResponse(versionInfo: "", typeURL: SnapshotVersions.typeURLs[kind]!, resources: [])
        }
        return SnapshotBundle(proxy: proxy, version: "", clusters: none("clusters"), endpoints: none("endpoints"),
                              listeners: none("listeners"), routes: none("routes"))
    }

    /// The bundle as JSON (canonical: the same bundle gives the same bytes).
    public var json: JSON {
        var members: [String: JSON] = ["proxy": .string(proxy), "version": .string(version)]
        for kind in Self.kinds { members[kind] = response(kind).json }
        return .object(members)
    }

    /// Parses and checks a bundle. Throws `BundleError` naming what is wrong.
    public init(parsing data: Data) throws {
        let json: JSON
        do { json = try JSON.parse(data) } catch { throw BundleError("the body is not JSON: \(error)") }
        guard let members = json.members else { throw BundleError("the body must be a JSON object {proxy, version, clusters, endpoints, listeners, routes}") }
        guard let proxy = members["proxy"]?.string, !proxy.isEmpty else { throw BundleError("\"proxy\" must be a non-empty string") }
        guard let version = members["version"]?.string, !version.isEmpty else { throw BundleError("\"version\" must be a non-empty string") }
        var responses: [String: DiscoveryResponse] = [:]
        for kind in Self.kinds {
            guard let member = members[kind] else { throw BundleError("\"\(kind)\" is missing (a DiscoveryResponse, as in meshc build's \(kind).json)") }
            responses[kind] = try DiscoveryResponse(parsing: member, kind: kind)
        }
        self.init(proxy: proxy, version: version, clusters: responses["clusters"]!, endpoints: responses["endpoints"]!,
                  listeners: responses["listeners"]!, routes: responses["routes"]!)
        let routeNames = Set(routes.resources.map(\.name))
        for listener in listeners.resources {
            for name in ListenerRDS.routeNames(listener.json) where !routeNames.contains(name) {
                throw BundleError("listener \(listener.name) names route configuration \(name), which is not in \"routes\"")
            }
        }
    }

    /// The bundle of what `meshc build` wrote for one proxy: the four
    /// DiscoveryResponse files in `folder` (`<out>/<proxy>`); the version
    /// is `EnvoySnapshot.snapshotVersion`'s hash of their `version_info`s.
    public init(buildFolder folder: URL, proxy: String) throws {
        var members: [String: JSON] = ["proxy": .string(proxy)]
        var infos: [String] = []
        for kind in Self.kinds {
            let response = try JSON.parse(Data(contentsOf: folder.appendingPathComponent("\(kind).json")))
            infos.append(response["version_info"]?.string ?? "")
            members[kind] = response
        }
        members["version"] = .string(SnapshotVersions.snapshot(versionInfos: infos))
        try self.init(parsing: Data(JSON.object(members).rendered().utf8))
    }

    /// A bundle from its parts, unchecked.
    public init(proxy: String, version: String, clusters: DiscoveryResponse, endpoints: DiscoveryResponse,
                listeners: DiscoveryResponse, routes: DiscoveryResponse) {
        self.proxy = proxy
        self.version = version
        self.clusters = clusters
        self.endpoints = endpoints
        self.listeners = listeners
        self.routes = routes
    }
}

/// An xDS DiscoveryResponse: `version_info`, `type_url` and named resources.
public struct DiscoveryResponse: Sendable, Equatable {
    /// The compiler's hash of the resources' names and versions.
    public var versionInfo: String
    /// The xDS type URL of every resource.
    public var typeURL: String
    /// The resources, in the compiler's order.
    public var resources: [Resource]

    /// One resource, versioned as the compiler versions it (a hash of its canonical JSON).
    public struct Resource: Sendable, Equatable {
        /// `name` (`cluster_name` for a ClusterLoadAssignment).
        public var name: String
        /// FNV-1a of the canonical JSON, as `VersionedResource.version`.
        public var version: String
        /// The resource with its `@type`, as Envoy reads it.
        public var json: JSON

        /// The resource `json`, versioned here.
        public init(json: JSON, name: String) {
            self.name = name
            self.version = SnapshotVersions.resource(json)
            self.json = json
        }
    }

    /// A response from its parts.
    public init(versionInfo: String, typeURL: String, resources: [Resource]) {
        self.versionInfo = versionInfo
        self.typeURL = typeURL
        self.resources = resources
    }

    /// The resource named `name`, or nil.
    public func resource(named name: String) -> Resource? { resources.first { $0.name == name } }

    /// The response's JSON, as `meshc build` writes it.
    public var json: JSON {
        .object(["version_info": .string(versionInfo), "type_url": .string(typeURL), "resources": .array(resources.map(\.json))])
    }

    /// Checks the shape of bundle member `kind`: version_info, the type URL
    /// that kind must have, and resources with distinct names.
    init(parsing json: JSON, kind: String) throws {
        let expectedType = SnapshotVersions.typeURLs[kind]!
        guard let members = json.members else { throw BundleError("\"\(kind)\" must be a DiscoveryResponse object") }
        guard let versionInfo = members["version_info"]?.string else { throw BundleError("\(kind).version_info must be a string") }
        let typeURL = members["type_url"]?.string ?? expectedType
        guard typeURL == expectedType else { throw BundleError("\(kind).type_url is \(typeURL); it must be \(expectedType)") }
        guard let items = members["resources"]?.items else { throw BundleError("\(kind).resources must be an array") }
        var seen = Set<String>()
        var resources: [Resource] = []
        for (index, item) in items.enumerated() {
            let nameKey = kind == "endpoints" ? "cluster_name" : "name"
            guard let type = item["@type"]?.string, let name = item[nameKey]?.string, !name.isEmpty else {
                throw BundleError("\(kind).resources[\(index)] must be an object with \"@type\" and a non-empty \"\(nameKey)\"")
            }
            guard type == expectedType else { throw BundleError("\(kind).resources[\(index)] (\(name)) has @type \(type); it must be \(expectedType)") }
            guard seen.insert(name).inserted else { throw BundleError("\(kind) has two resources named \(name)") }
            resources.append(Resource(json: item, name: name))
        }
        self.init(versionInfo: versionInfo, typeURL: typeURL, resources: resources)
    }
}

/// Why a bundle was refused before it reached Envoy (HTTP 400).
public struct BundleError: Error, CustomStringConvertible, Sendable {
    /// What is wrong and what to send instead.
    public var description: String
    /// An error saying `description`.
    public init(_ description: String) { self.description = description }
}
