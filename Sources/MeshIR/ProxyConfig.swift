/// Everything one proxy needs, proxy-neutral: the contract between
/// MeshCompile (which reads manifests) and MeshEmit (which writes Envoy).
public struct ProxyConfig: Sendable, Equatable {
    /// What kind of proxy this is.
    public enum Role: String, Sendable, Equatable {
        case gateway
        case sidecar
    }

    /// Stable proxy name, also the output folder (`gateway-istio-ingressgateway`).
    public var name: String
    public var role: Role
    /// Port of the proxy's admin interface (bound to loopback).
    public var adminPort: Int
    /// Listeners, sorted by port.
    public var listeners: [Listener]
    /// Route configurations, sorted by name.
    public var routeConfigs: [RouteConfig]
    /// Clusters, sorted by name.
    public var clusters: [Cluster]

    public init(name: String, role: Role, adminPort: Int, listeners: [Listener], routeConfigs: [RouteConfig], clusters: [Cluster]) {
        self.name = name
        self.role = role
        self.adminPort = adminPort
        self.listeners = listeners
        self.routeConfigs = routeConfigs
        self.clusters = clusters
    }
}

/// A port the proxy accepts HTTP on, served by one route configuration.
public struct Listener: Sendable, Equatable {
    /// `0.0.0.0_80`, Istio's style.
    public var name: String
    public var address: String
    public var port: Int
    public var routeConfigName: String

    public init(name: String, address: String, port: Int, routeConfigName: String) {
        self.name = name
        self.address = address
        self.port = port
        self.routeConfigName = routeConfigName
    }
}

/// A named set of virtual hosts (Envoy's RouteConfiguration).
public struct RouteConfig: Sendable, Equatable {
    /// `http.80`, Istio's style for gateway routes.
    public var name: String
    /// Virtual hosts, sorted by name (Envoy picks by domain, not by order).
    public var virtualHosts: [VirtualHost]

    public init(name: String, virtualHosts: [VirtualHost]) {
        self.name = name
        self.virtualHosts = virtualHosts
    }
}

/// The routes for a set of domains; routes are tried in order.
public struct VirtualHost: Sendable, Equatable {
    public var name: String
    public var domains: [String]
    public var routes: [Route]

    public init(name: String, domains: [String], routes: [Route]) {
        self.name = name
        self.domains = domains
        self.routes = routes
    }
}
