import MeshDiagnostics
import MeshIR

/// Builds an Envoy v3 `Listener` with one HTTP connection manager.
enum ListenerBuilder {
    /// Where the connection manager gets its routes.
    enum Routes {
        /// The route configuration inline (a self-contained bootstrap).
        case inline(JSON)
        /// RDS from a file Envoy watches (route changes apply without a listener drain).
        case file(path: String)
    }

    static func build(_ listener: Listener, routes: Routes) -> JSON {
        .object([
            "name": .string(listener.name),
            "address": .socketAddress(listener.address, port: listener.port),
            // Two Envoys binding one port would otherwise share it silently.
            "enable_reuse_port": .bool(false),
            "filter_chains": .array([.object(["filters": .array([.object([
                "name": .string(EnvoyFilter.httpConnectionManager),
                "typed_config": HttpConnectionManagerBuilder.build(listener, routes: routes),
            ])])])]),
        ])
    }
}

/// Builds the `HttpConnectionManager` typed config with `HTTPFilters.chain`.
enum HttpConnectionManagerBuilder {
    static func build(_ listener: Listener, routes: ListenerBuilder.Routes) -> JSON {
        var members: [String: JSON] = [
            "stat_prefix": .string(listener.name),
            "codec_type": .string("AUTO"),
            // Gateway domains carry no port; match `Host: a.example.com:8080` as `a.example.com`.
            "strip_any_host_port": .bool(true),
            "http_filters": HTTPFilters.chain,
        ]
        switch routes {
        case .inline(let config): members["route_config"] = config
        case .file(let path):
            members["rds"] = .object([
                "route_config_name": .string(listener.routeConfigName),
                "config_source": .object([
                    "path_config_source": .object(["path": .string(path)]),
                    "resource_api_version": .string("V3"),
                ]),
            ])
        }
        return JSON.object(members).typed(EnvoyType.httpConnectionManager)
    }
}

/// Builds a static Envoy v3 `Bootstrap`: admin on loopback, listeners with
/// inline routes, clusters with inline endpoints. Self-contained: `envoy -c` runs it as is.
enum BootstrapBuilder {
    static func build(_ proxy: ProxyConfig) -> JSON {
        let routesByName = Dictionary(proxy.routeConfigs.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let listeners: [JSON] = proxy.listeners.map { listener in
            let config = routesByName[listener.routeConfigName] ?? RouteConfig(name: listener.routeConfigName, virtualHosts: [])
            return ListenerBuilder.build(listener, routes: .inline(RouteConfigurationBuilder.build(config, validateClusters: false)))
        }
        return .object([
            "node": .object(["id": .string(proxy.name), "cluster": .string(proxy.name)]),
            "admin": .object(["address": .socketAddress("127.0.0.1", port: proxy.adminPort)]),
            "static_resources": .object([
                "listeners": .array(listeners),
                "clusters": .array(proxy.clusters.map(ClusterBuilder.build)),
            ]),
        ])
    }
}
