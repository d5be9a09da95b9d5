import MeshDiagnostics
import MeshIR

/// Settings of the Envoy output.
public struct EmitOptions: Sendable {
    /// Folder the proxy's files will be read from; listeners name `<folder>/routes/<name>.json` as their RDS source.
    public var directory: String

    public init(directory: String) {
        self.directory = directory
    }

    /// Where delivered snapshots say their files are (`/var/lib/meshc`): what
    /// `plan`, `apply` and `reconcile` emit with, so the same manifests give
    /// the same listener resources whichever command compiled them (agents
    /// rewrite the RDS paths to their own files anyway).
    public static let deliveryRoot = "/var/lib/meshc"

    /// `EmitOptions` for proxy `name` under `deliveryRoot`.
    public static func delivery(_ name: String) -> EmitOptions { EmitOptions(directory: "\(deliveryRoot)/\(name)") }
}

/// One Envoy resource with its version: a hash of its canonical bytes.
public struct VersionedResource: Sendable, Equatable {
    public var name: String
    public var version: String
    /// The resource rendered compact and canonical, as Envoy reads it inside
    /// an `Any` (`@type` included): the bytes `version` hashes and the files
    /// carry. Only the text is kept (a snapshot of 10,000 services holds
    /// tens of thousands of resources); `json` parses it back when asked.
    public var rendered: String

    /// The resource as a JSON value (parsed from `rendered`).
    public var json: JSON { (try? JSON.parse(rendered)) ?? .null }
}

/// Everything one proxy gets, the unit of consistency: each resource
/// versioned, checked before it is written.
public struct EnvoySnapshot: Sendable {
    public var proxy: String
    public var clusters: [VersionedResource]
    /// One `ClusterLoadAssignment` per cluster, for EDS delivery and plans.
    public var endpoints: [VersionedResource]
    public var listeners: [VersionedResource]
    public var routes: [VersionedResource]
    /// The proxy the snapshot was emitted from (for the bootstrap).
    let config: ProxyConfig
    /// The static bootstrap (listeners with inline routes, clusters with inline endpoints).
    public var bootstrap: JSON { BootstrapBuilder.build(config) }

    /// `bootstrap.rendered()` + newline, spliced from the resources' renderings.
    func compactBootstrap() -> String { BootstrapBuilder.compact(config, clusters: clusters, routes: routes) }
    /// Cluster names the routes and TCP listeners name, for `consistencyErrors`.
    let routedClusters: Set<String>
    /// Listener name → the route configuration it names, for `consistencyErrors`.
    let listenerRoutes: [(listener: String, route: String)]

    /// The files to write, in the order Envoy needs them applied: clusters
    /// and endpoints before the listeners and routes that use them, then each
    /// route configuration alone (`routes/<name>.json`, the listeners' RDS files), then the bootstrap. Compact
    /// canonical JSON, spliced from each resource's rendering (no resource is
    /// rendered twice); `pretty` indents them for reading and for goldens.
    public func files(pretty: Bool = false) -> [(name: String, text: String)] {
        let types: [(EnvoyResourceType, [VersionedResource])] = [(.cluster, clusters), (.endpoint, endpoints), (.listener, listeners), (.route, routes)]
        var result = types.map { type, resources in
            (type.fileName, pretty ? type.response(resources).rendered(pretty: true) + "\n" : Self.compactResponse(resources, type.typeURL))
        }
        // Envoy reads one route configuration per RDS file: each also gets its own, as the listeners name them.
        for route in routes {
            result.append((RouteFile.path(route.name),
                           pretty ? EnvoyResourceType.route.response([route]).rendered(pretty: true) + "\n" : Self.compactResponse([route], EnvoyType.routeConfiguration)))
        }
        result.append(("bootstrap.json", pretty ? bootstrap.rendered(pretty: true) + "\n" : compactBootstrap()))
        return result
    }

    /// The files `meshc build` writes (compact).
    public var files: [(name: String, text: String)] { files() }

    /// What makes the snapshot unfit to publish: a route naming a missing
    /// cluster, a listener naming a missing route configuration. Empty when consistent.
    public func consistencyErrors() -> [String] {
        let clusterNames = Set(clusters.map(\.name))
        let routeNames = Set(routes.map(\.name))
        var errors = routedClusters.subtracting(clusterNames).sorted().map { "\(proxy): a route names cluster \($0), which is not in the snapshot" }
        for (listener, route) in listenerRoutes where !routeNames.contains(route) {
            errors.append("\(proxy): listener \(listener) names route configuration \(route), which is not in the snapshot")
        }
        return errors
    }

    /// `discoveryResponse(resources).rendered()`, spliced from the resources' renderings (keys in canonical order).
    static func compactResponse(_ resources: [VersionedResource], _ typeURL: String) -> String {
        var out = "{\"resources\":["
        out.reserveCapacity(resources.reduce(64) { $0 + $1.rendered.utf8.count + 1 })
        for (index, resource) in resources.enumerated() {
            if index > 0 { out += "," }
            out += resource.rendered
        }
        out += "],\"type_url\":"
        JSON.quote(typeURL, into: &out)
        out += ",\"version_info\":"
        JSON.quote(SnapshotVersions.versionInfo(resources), into: &out)
        return out + "}\n"
    }
}

/// IR → Envoy v3 JSON.
public enum Emitter {
    public static func snapshot(_ proxy: ProxyConfig, options: EmitOptions) -> EnvoySnapshot {
        func versioned(_ name: String, _ json: JSON, _ typeURL: String) -> VersionedResource {
            VersionedResource(name: name, json: json.typed(typeURL))
        }
        var routed = Set<String>()
        for config in proxy.routeConfigs {
            for host in config.virtualHosts {
                for route in host.routes {
                    switch route.action {
                    case .cluster(let name): routed.insert(name)
                    case .weighted(let shares): routed.formUnion(shares.map(\.cluster))
                    case .redirect, .directResponse: break
                    }
                    routed.formUnion(route.mirrors.map(\.cluster))
                }
            }
        }
        for listener in proxy.listeners { routed.formUnion(listener.tcpClusters) }
        let clusters = proxy.clusters.sorted { $0.name < $1.name }
        return EnvoySnapshot(
            proxy: proxy.name,
            clusters: clusters.parallelMap { versioned($0.name, ClusterBuilder.build($0), EnvoyType.cluster) },
            endpoints: clusters.parallelMap { versioned($0.name, ClusterLoadAssignmentBuilder.build($0), EnvoyType.clusterLoadAssignment) },
            listeners: proxy.listeners.sorted { $0.port < $1.port }.map {
                versioned($0.name, ListenerBuilder.build($0, routes: .files(folder: options.directory)), EnvoyType.listener)
            },
            routes: proxy.routeConfigs.sorted { $0.name < $1.name }.map {
                versioned($0.name, RouteConfigurationBuilder.build($0, validateClusters: true), EnvoyType.routeConfiguration)
            },
            config: proxy,
            routedClusters: routed,
            listenerRoutes: proxy.listeners.flatMap { listener in listener.routeConfigNames.map { (listener.name, $0) } })
    }
}
