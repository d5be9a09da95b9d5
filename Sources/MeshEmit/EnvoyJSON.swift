import MeshDiagnostics

/// Envoy v3 type URLs and the small JSON shapes every builder uses.
enum EnvoyType {
    static let cluster = "type.googleapis.com/envoy.config.cluster.v3.Cluster"
    static let clusterLoadAssignment = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment"
    static let listener = "type.googleapis.com/envoy.config.listener.v3.Listener"
    static let routeConfiguration = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration"
    static let httpConnectionManager = "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager"
    static let router = "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router"
    static let fault = "type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault"
    static let httpProtocolOptions = "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions"
    static let previousHosts = "type.googleapis.com/envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate"
}

/// Envoy filter names.
enum EnvoyFilter {
    static let httpConnectionManager = "envoy.filters.network.http_connection_manager"
    static let fault = "envoy.filters.http.fault"
    static let router = "envoy.filters.http.router"
}

extension JSON {
    /// A protobuf Duration in JSON form: `10s`, `0.250s`.
    static func duration(milliseconds ms: Int) -> JSON {
        let seconds = ms / 1000, rest = ms % 1000
        guard rest != 0 else { return .string("\(seconds)s") }
        let digits = String(rest)
        return .string("\(seconds).\(String(repeating: "0", count: 3 - digits.count))\(digits)s")
    }

    /// A `SocketAddress` wrapped in an `Address`.
    static func socketAddress(_ address: String, port: Int) -> JSON {
        .object(["socket_address": .object(["address": .string(address), "port_value": .int(port)])])
    }

    /// `self` with an `@type` member, as a resource inside an `Any` (xDS responses, typed configs).
    func typed(_ typeURL: String) -> JSON {
        guard case .object(var members) = self else { return self }
        members["@type"] = .string(typeURL)
        return .object(members)
    }
}
