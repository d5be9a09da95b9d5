import Foundation
import MeshDiagnostics
import MeshIR
import MeshSnapshot

/// Builds a static Envoy v3 `Bootstrap`: admin on loopback, listeners with
/// inline routes, clusters with inline endpoints. Self-contained: `envoy -c` runs it as is.
///
/// The route configurations inline are the RDS ones (`validate_clusters`
/// included: every cluster is static and present), so the bootstrap and the
/// xDS files carry the same resources.
enum BootstrapBuilder {
    static func build(_ proxy: ProxyConfig) -> JSON {
        let inline = Dictionary(proxy.routeConfigs.map { ($0.name, RouteConfigurationBuilder.build($0, validateClusters: true)) },
                                uniquingKeysWith: { first, _ in first })
        let secrets = Emitter.secrets(proxy)
        let listeners = proxy.listeners.map { ListenerBuilder.build($0, routes: .inline(inline)) }
        return shell(proxy, clusters: .array(proxy.clusters.map(ClusterBuilder.build)),
                     listeners: .array(secrets.isEmpty ? listeners : listeners.map(GatewaySecret.staticReferences)),
                     secrets: secrets.compactMap { try? JSON.parse(ValidationBootstrap.untyped($0.bytes, .secret)) })
    }

    /// The bootstrap around its clusters and listeners (and the snapshot's
    /// secrets, static: the listeners name them without `sds_config`).
    static func shell(_ proxy: ProxyConfig, clusters: JSON, listeners: JSON, secrets: [JSON] = []) -> JSON {
        var resources: JSONObject = ["listeners": listeners, "clusters": clusters]
        if !secrets.isEmpty { resources["secrets"] = .array(secrets) }
        return .object([
            "node": .object(["id": .string(proxy.name), "cluster": .string(proxy.name)]),
            "admin": .object(["address": .socketAddress("127.0.0.1", port: proxy.adminPort)]),
            "layered_runtime": EnvoyRuntime.layeredRuntime,
            "static_resources": .object(resources),
            "stats_config": statsConfig(proxy),
        ])
    }

    /// `build(proxy).rendered()`, spliced from the snapshot's renderings of
    /// the same clusters and route configurations instead of rendering them
    /// again. Member order is the canonical one: `admin`, `layered_runtime`, `node`,
    /// `static_resources` {`clusters`, `listeners`, `secrets`}, `stats_config`.
    /// The bootstrap `meshc build` writes unless asked for the static one
    /// (`FileBootstrap`): CDS and LDS read from the folder's `clusters.json`
    /// and `listeners.json` (whose listeners read `routes/<name>.json` and
    /// the secret files, bound to the same folder). A few KB where the static
    /// one repeats every resource; Envoy serves the same configuration from it.
    static func dynamic(_ proxy: ProxyConfig, folder: String) -> JSON {
        .object(FileBootstrap.members(proxy: proxy.name, adminPort: proxy.adminPort, clusters: folder + "/" + EnvoyKind.cluster.fileName,
                                      listeners: folder + "/" + EnvoyKind.listener.fileName, stats: statsConfig(proxy)))
    }

    /// The proxy's `stats_config` (`EnvoyStats`): its name, namespace, workload, app and version as fixed tags.
    static func statsConfig(_ proxy: ProxyConfig) -> JSON {
        EnvoyStats.config(proxy: proxy.name, source: [("source_namespace", proxy.identity.namespace)]
                          + proxy.workloadTags.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    static func compact(_ proxy: ProxyConfig, snapshot: ProxySnapshot) -> String {
        let clusters = snapshot[.cluster], routes = snapshot[.route], secrets = snapshot[.secret]
        guard case .object(let shell) = shell(proxy, clusters: .array([]), listeners: .array([])) else { return "" }
        var out = "{\"admin\":" + shell["admin"]!.rendered() + ",\"layered_runtime\":" + EnvoyRuntime.rendered
            + ",\"node\":" + shell["node"]!.rendered() + ",\"static_resources\":{\"clusters\":["
        out.reserveCapacity(clusters.reduce(0) { $0 + $1.bytes.utf8.count } + routes.reduce(4096) { $0 + $1.bytes.utf8.count })
        for (index, cluster) in clusters.enumerated() {
            if index > 0 { out += "," }
            out += ValidationBootstrap.untyped(cluster.bytes, .cluster)
        }
        out += "],\"listeners\":["
        // Each listener is rendered with a marker string where a route configuration goes, then the marker is replaced.
        let marker = "\u{1}meshc-route:"
        let markers = Dictionary(routes.map { ($0.name, JSON.string(marker + $0.name)) }, uniquingKeysWith: { first, _ in first })
        let byName = Dictionary(routes.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for (index, listener) in proxy.listeners.enumerated() {
            if index > 0 { out += "," }
            var text = ListenerBuilder.build(listener, routes: .inline(markers)).rendered()
            // Every chain naming it (a PERMISSIVE port has an mTLS and a plain chain on one route configuration).
            for name in listener.routeConfigNames {
                guard let route = byName[name] else { continue }
                text = text.replacingAll(JSON.string(marker + name).rendered(), with: ValidationBootstrap.untyped(route.bytes, .route))
            }
            out += GatewaySecret.staticReferences(text, names: secrets.map(\.name))
        }
        out += "]"
        if !secrets.isEmpty { out += ",\"secrets\":[" + secrets.map { ValidationBootstrap.untyped($0.bytes, .secret) }.joined(separator: ",") + "]" }
        return out + "},\"stats_config\":" + statsConfig(proxy).rendered() + "}\n"
    }
}
