import MeshDiagnostics
import MeshIR
import MeshSnapshot

/// IR → Envoy v3: one `ProxySnapshot` per proxy, each resource rendered once.
package enum Emitter {
    /// The snapshot of `proxy`, with what it references (from the IR).
    /// `cache`: renders of earlier emits, reused where the IR is the same (`EmitCache`).
    package static func emit(_ proxy: ProxyConfig, cache: EmitCache? = nil) -> EmittedProxy {
        // Sidecars' lists come sorted: checking is cheaper than copying every cluster into a sorted array.
        let sorted = proxy.clusters.isSorted { $0.name < $1.name }
        let clusters = sorted ? proxy.clusters : proxy.clusters.sorted { $0.name < $1.name }
        let each = { clusters.parallelMap(chunk: parallelChunk) { cluster in cache?.cluster(cluster) { render(cluster) } ?? render(cluster) } }
        let tables = cache?.clusters(of: proxy.name, clusters, render: each) ?? ClusterTables(each())
        var routeClusters: [String: Set<String>] = [:]
        var unchecked = Set<String>()
        let routes = proxy.routeConfigs.sorted { $0.name < $1.name }.map { config in
            let (resource, clusters, checked) = RouteConfigurationBuilder.resource(config, cache: cache, proxy: proxy.name, table: tables)
            // Taken whole (a union into an empty set would hash every name again).
            if let earlier = routeClusters[config.name] { routeClusters[config.name] = earlier.union(clusters) } else { routeClusters[config.name] = clusters }
            if !checked { unchecked.insert(config.name) }
            return resource
        }
        let resources: [EnvoyKind: ResourceTable] = [
            .cluster: tables.clusters,
            .endpoint: tables.endpoints,
            .listener: ResourceTable(proxy.listeners.sorted { $0.port < $1.port }.map { listener in
                cache?.listener(listener) { render(listener) } ?? render(listener)
            }),
            .route: ResourceTable(routes),
            .secret: ResourceTable(secrets(proxy)),
        ]
        return EmittedProxy(snapshot: ProxySnapshot(proxy: proxy.name, tables: resources, references: references(proxy, routeClusters: routeClusters)),
                            config: proxy, checkedRoutes: Set(routeClusters.keys).subtracting(unchecked))
    }

    /// Every proxy's snapshot, in order, on every core. A dispatch_apply
    /// nested in another runs on one thread (libdispatch shares the width
    /// among the outer iterations), so a proxy whose own clusters or hosts
    /// split across cores (`parallelMap`'s chunk) is emitted alone, and the
    /// small ones side by side: a 10k-service sidecar emitted beside a
    /// gateway rendered its 26k clusters on one core (0.54 s on one core or two).
    package static func emitAll(_ proxies: [ProxyConfig], cache: EmitCache? = nil) -> [EmittedProxy] {
        let splits = { (proxy: ProxyConfig) in
            proxy.clusters.count > parallelChunk || proxy.routeConfigs.contains { $0.virtualHosts.count > parallelChunk }
        }
        var emitted = [EmittedProxy?](repeating: nil, count: proxies.count)
        let small = proxies.indices.filter { !splits(proxies[$0]) }
        for (i, proxy) in zip(small, small.map { proxies[$0] }.parallelMap(chunk: 1) { emit($0, cache: cache) }) { emitted[i] = proxy }
        for i in proxies.indices where emitted[i] == nil { emitted[i] = emit(proxies[i], cache: cache) }
        return emitted.map { $0! }
    }

    /// The chunk of the emitter's `parallelMap`s: lists longer than this split across cores.
    package static let parallelChunk = 256

    /// A cluster and its endpoints as resources.
    private static func render(_ cluster: Cluster) -> (cluster: EnvoyResource, endpoint: EnvoyResource) {
        let rendered = ClusterBuilder.render(cluster)
        return (EnvoyResource(kind: .cluster, name: cluster.name, bytes: rendered.cluster),
                EnvoyResource(kind: .endpoint, name: cluster.name, bytes: rendered.endpoints))
    }

    private static func render(_ listener: Listener) -> EnvoyResource {
        EnvoyResource(kind: .listener, name: listener.name, bytes: ListenerBuilder.build(listener, routes: .rds).typed(EnvoyType.listener).rendered())
    }

    /// The SDS secrets the listeners' TLS chains name (`GatewaySecret`), by name.
    static func secrets(_ proxy: ProxyConfig) -> [EnvoyResource] {
        var found: [String: JSON] = [:]
        for listener in proxy.listeners {
            for case let tls? in listener.chains.map(\.tls) {
                guard let secret = tls.secret else { continue }
                found[secret] = GatewaySecret.certificate(name: secret, chain: tls.certificateChain, key: tls.privateKey)
                if let caSecret = tls.caSecret, let ca = tls.caCertificates { found[caSecret] = GatewaySecret.validation(name: caSecret, ca: ca) }
            }
        }
        return found.keys.sorted().map { EnvoyResource(kind: .secret, name: $0, bytes: found[$0]!.typed(EnvoyKind.secret.typeURL).rendered()) }
    }

    /// What the IR's listeners name, and the clusters each route configuration names (`routeClusters`).
    static func references(_ proxy: ProxyConfig, routeClusters: [String: Set<String>]) -> References {
        var references = References()
        references.routeClusters = routeClusters
        for listener in proxy.listeners {
            references.listenerRoutes[listener.name, default: []].formUnion(listener.routeConfigNames)
            references.listenerClusters[listener.name, default: []].formUnion(listener.tcpClusters)
            let secrets = listener.secretNames
            if !secrets.isEmpty { references.listenerSecrets[listener.name, default: []].formUnion(secrets) }
        }
        return references
    }

    /// The clusters `host`'s routes name (actions, weighted shares, mirrors), each once, in the order first named.
    static func clusters(of host: VirtualHost) -> [String] {
        var clusters: [String] = []
        // By index: a route is read in place, not copied.
        let routes = host.routes
        for r in routes.indices {
            switch routes[r].action {
            case .cluster(let name): clusters.append(name)
            case .weighted(let shares): for share in shares { clusters.append(share.cluster) }
            case .redirect, .directResponse: break
            }
            for mirror in routes[r].mirrors { clusters.append(mirror.cluster) }
        }
        if clusters.count < 2 { return clusters }
        // First occurrences in order. A host names a handful: comparing is cheaper than hashing each name.
        if clusters.count <= 16 {
            var unique: [String] = []
            unique.reserveCapacity(clusters.count)
            for name in clusters where !unique.contains(name) { unique.append(name) }
            return unique
        }
        var seen = Set<String>()
        return clusters.filter { seen.insert($0).inserted }
    }
}

/// Which bootstrap `EmittedProxy.files` writes.
package enum BootstrapForm: Sendable {
    /// Small: clusters and listeners read from the folder's xDS files (`BootstrapBuilder.dynamic`).
    case dynamic
    /// Self-contained: every resource inline; `envoy --mode validate` checks all of it.
    case `static`
}

/// A proxy's snapshot and the IR it came from (for the bootstrap `meshc build` writes).
package struct EmittedProxy: Sendable {
    /// The snapshot: what plan, apply and reconcile use.
    package let snapshot: ProxySnapshot
    let config: ProxyConfig
    /// Route configurations every cluster of which the emitter found in the
    /// snapshot's clusters (`consistencyErrors(checkedRoutes:)` skips them).
    package let checkedRoutes: Set<String>

    /// The snapshot's errors (`ProxySnapshot.consistencyErrors`), without
    /// looking up again the route clusters the emitter already found.
    package func consistencyErrors() -> [String] { snapshot.consistencyErrors(checkedRoutes: checkedRoutes) }

    /// The proxy's name.
    package var proxy: String { snapshot.proxy }

    /// The files `meshc build` writes for this proxy, in the order Envoy
    /// needs them: `clusters.json`, `endpoints.json` and `listeners.json`
    /// (DiscoveryResponses; `secrets.json` first when there are secrets, and
    /// one `secrets/<name>.json` per secret, `GatewaySecret`), one `routes/<name>.json` per route
    /// configuration (the listeners' RDS files, read from `folder`; `EnvoyKind.isWrittenWhole`), then
    /// `bootstrap.json` in `bootstrap`'s form. Secret files (`certs/default.json`, `certs/ROOTCA.json`,
    /// `SecretSource`) are named in `folder` too but not written: they hold the
    /// proxy's key, which whoever runs the proxy provides. Compact canonical JSON spliced from each resource's
    /// bytes; `pretty` indents them for reading and goldens.
    package func files(folder: String, pretty: Bool = false, bootstrap form: BootstrapForm = .dynamic) -> [(name: String, text: String)] {
        // A 10k sidecar's files are tens of MiB each: made on every core.
        fileJobs(folder: folder, pretty: pretty, bootstrap: form).parallelMap(chunk: 1) { (name: $0.name, text: $0.text()) }
    }

    /// `files`, each still to be written: a caller writing many proxies'
    /// files writes each in one step, largest first (`FileJob.bytes`),
    /// streamed from the resources' bytes (`FileJob.write`), never whole in memory.
    package func fileJobs(folder: String, pretty: Bool = false, bootstrap form: BootstrapForm = .dynamic) -> [FileJob] {
        let snapshot = self.snapshot
        let binding = RouteSource.Binding(folder: folder)
        let response: (EnvoyKind, [EnvoyResource], String?) -> FileJob.Content = { kind, resources, versionInfo in
            // Listeners name route files and secret files, clusters secret files: both are bound to `folder`.
            let bind: @Sendable (String) -> String = { binding($0) }
            return .response(kind, resources, versionInfo: versionInfo, transform: kind == .listener || kind == .cluster ? bind : nil, pretty: pretty)
        }
        let size = EnvoyResource.byteCount(of:)
        // Each kind's version_info as the snapshot keeps it (hashing 26k names again per file is not free).
        var jobs = EnvoyKind.allCases.filter { $0.isWrittenWhole && !($0.isOptional && snapshot[$0].isEmpty) }.map { kind in
            FileJob(name: kind.fileName, bytes: size(snapshot[kind]), content: response(kind, snapshot[kind], snapshot.versionInfo(kind)))
        }
        for secret in snapshot[.secret] {
            jobs.append(FileJob(name: GatewaySecret.file(secret.name), bytes: secret.byteCount, content: response(.secret, [secret], secret.version)))
        }
        for route in snapshot[.route] {
            jobs.append(FileJob(name: RouteSource.file(route.name), bytes: route.byteCount, content: response(.route, [route], route.version)))
        }
        let config = self.config
        switch (form, pretty) {
        case (.dynamic, _):
            jobs.append(FileJob(name: "bootstrap.json", bytes: 0, content: .text { BootstrapBuilder.dynamic(config, folder: folder).rendered(pretty: pretty) + "\n" }))
        // The static bootstrap: listeners with inline routes, clusters with inline endpoints, admin on
        // loopback; `envoy -c` runs it as is. Its routes are inline; what it still names unbound are the
        // secret files (`SecretSource`). Compact, it is spliced from the resources' bytes; pretty, built from the IR.
        case (.static, true):
            jobs.append(FileJob(name: "bootstrap.json", bytes: EnvoyKind.allCases.reduce(0) { $0 + size(snapshot[$1]) }, content: .text {
                let bound = RouteSource.bind(BootstrapBuilder.build(config).rendered(), folder: folder)
                return ((try? JSON.parse(bound).rendered(pretty: true)) ?? bound) + "\n"
            }))
        case (.static, false):
            jobs.append(FileJob(name: "bootstrap.json", bytes: EnvoyKind.allCases.reduce(0) { $0 + size(snapshot[$1]) }, content: .text {
                RouteSource.bind(BootstrapBuilder.compact(config, snapshot: snapshot), folder: folder)
            }))
        }
        return jobs
    }
}

/// One file of `meshc build`'s output, written when `write(to:)` runs.
package struct FileJob: Sendable {
    /// What the file holds.
    package enum Content: Sendable {
        /// A DiscoveryResponse of `resources`, spliced from their bytes (`transform` binds paths on the way);
        /// `pretty` indents it (goldens), which parses the whole text first.
        case response(EnvoyKind, [EnvoyResource], versionInfo: String?, transform: (@Sendable (String) -> String)?, pretty: Bool)
        /// A text made whole (bootstraps).
        case text(@Sendable () -> String)
    }

    /// The path in the proxy's folder (`routes/<name>.json`).
    package let name: String
    /// About how many bytes it holds (the resources' renderings): the order to write files in.
    package let bytes: Int
    package let content: Content

    /// Writes the text to `out` piece by piece: a compact DiscoveryResponse
    /// goes resource by resource, never joined (`DiscoveryResponse.append`).
    package func write(to out: inout some TextOutputStream) {
        switch content {
        case .response(let kind, let resources, let versionInfo, let transform, pretty: false):
            DiscoveryResponse.append(kind, resources, versionInfo: versionInfo, transform: transform, to: &out)
            out.write("\n")
        case .response(let kind, let resources, let versionInfo, let transform, pretty: true):
            let text = DiscoveryResponse.text(kind, resources, versionInfo: versionInfo, transform: transform)
            out.write(((try? JSON.parse(text))?.rendered(pretty: true) ?? text) + "\n")
        case .text(let make):
            out.write(make())
        }
    }

    /// The whole text, joined in memory (goldens, tests, benchmarks).
    package func text() -> String {
        var text = ""
        text.reserveCapacity(bytes + 256)
        write(to: &text)
        return text
    }
}
