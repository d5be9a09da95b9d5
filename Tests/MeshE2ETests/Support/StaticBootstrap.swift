/// Hand-written Envoy v3 bootstraps for proving the harness before
/// `meshc build` emits them: one loopback listener (`enable_reuse_port:
/// false`, inline routes), STATIC clusters of `meshc echo` backends, and an
/// admin API on port 0 (the harness reads the real port back).
enum StaticBootstrap {
    /// A cluster of one loopback endpoint.
    struct Cluster {
        var name: String
        var port: Int
    }

    /// Every path → `cluster`.
    static func single(listenerPort: Int, cluster: Cluster) -> String {
        bootstrap(listenerPort: listenerPort, clusters: [cluster], route: #"{ "cluster": "\#(cluster.name)" }"#)
    }

    /// Every path → a weighted split over `clusters` (weights need not add to 100).
    static func weighted(listenerPort: Int, _ clusters: [(cluster: Cluster, weight: Int)]) -> String {
        let entries = clusters.map { #"{ "name": "\#($0.cluster.name)", "weight": \#($0.weight) }"# }.joined(separator: ", ")
        return bootstrap(listenerPort: listenerPort, clusters: clusters.map(\.cluster),
                         route: #"{ "weighted_clusters": { "clusters": [\#(entries)] } }"#)
    }

    /// The whole bootstrap with `route` (a RouteAction's JSON) on prefix "/".
    static func bootstrap(listenerPort: Int, clusters: [Cluster], route: String) -> String {
        let clusterJSON = clusters.map { cluster in
            """
                  {
                    "name": "\(cluster.name)",
                    "type": "STATIC",
                    "connect_timeout": "1s",
                    "load_assignment": {
                      "cluster_name": "\(cluster.name)",
                      "endpoints": [{ "lb_endpoints": [{ "endpoint": { "address": {
                        "socket_address": { "address": "127.0.0.1", "port_value": \(cluster.port) } } } }] }]
                    }
                  }
            """
        }.joined(separator: ",\n")
        return """
        {
          "admin": { "address": { "socket_address": { "address": "127.0.0.1", "port_value": 0 } } },
          "static_resources": {
            "listeners": [{
              "name": "ingress",
              "address": { "socket_address": { "address": "127.0.0.1", "port_value": \(listenerPort) } },
              "enable_reuse_port": false,
              "filter_chains": [{ "filters": [{
                "name": "envoy.filters.network.http_connection_manager",
                "typed_config": {
                  "@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
                  "stat_prefix": "ingress_http",
                  "route_config": {
                    "name": "ingress",
                    "virtual_hosts": [{
                      "name": "all",
                      "domains": ["*"],
                      "routes": [{ "match": { "prefix": "/" }, "route": \(route) }]
                    }]
                  },
                  "http_filters": [{
                    "name": "envoy.filters.http.router",
                    "typed_config": { "@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router" }
                  }]
                }
              }] }]
            }],
            "clusters": [
        \(clusterJSON)
            ]
          }
        }
        """
    }
}
