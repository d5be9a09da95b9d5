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
    /// `host:port` of the proxy's `meshc agent`, when declared.
    public var agentAddress: String?
    /// Listeners, sorted by port.
    public var listeners: [Listener]
    /// Route configurations, sorted by name.
    public var routeConfigs: [RouteConfig]
    /// Clusters, sorted by name.
    public var clusters: [Cluster]

    public init(name: String, role: Role, adminPort: Int, agentAddress: String? = nil, listeners: [Listener], routeConfigs: [RouteConfig],
                clusters: [Cluster]) {
        self.name = name
        self.role = role
        self.adminPort = adminPort
        self.agentAddress = agentAddress
        self.listeners = listeners
        self.routeConfigs = routeConfigs
        self.clusters = clusters
    }
}

/// A port the proxy accepts connections on, and what it does with them.
public struct Listener: Sendable, Equatable {
    /// `0.0.0.0_80`, Istio's style.
    public var name: String
    public var address: String
    public var port: Int
    /// Filter chains, tried by their match (SNI); one chain without server names serves everything else.
    public var chains: [FilterChain]
    /// Match `Host: a.example.com:8080` as `a.example.com` (gateways: their domains carry no port).
    /// Sidecars keep the port: it picks the service port's virtual host.
    public var stripsHostPort: Bool

    public init(name: String, address: String, port: Int, chains: [FilterChain], stripsHostPort: Bool = true) {
        self.name = name
        self.address = address
        self.port = port
        self.chains = chains
        self.stripsHostPort = stripsHostPort
    }

    /// A plain HTTP listener served by one route configuration.
    public init(name: String, address: String, port: Int, routeConfigName: String, stripsHostPort: Bool = true) {
        self.init(name: name, address: address, port: port, chains: [FilterChain(action: .http(routeConfig: routeConfigName))],
                  stripsHostPort: stripsHostPort)
    }

    /// Route configurations the listener's HTTP chains name, sorted.
    public var routeConfigNames: [String] {
        Set(chains.compactMap { chain -> String? in
            if case .http(let name) = chain.action { return name }
            return nil
        }).sorted()
    }

    /// Clusters the listener's TCP chains forward to, sorted.
    public var tcpClusters: [String] {
        Set(chains.flatMap { chain -> [String] in
            if case .tcp(let shares) = chain.action { return shares.map(\.cluster) }
            return []
        }).sorted()
    }

    /// True when some chain matches on SNI (the listener needs the TLS inspector).
    public var inspectsTLS: Bool { chains.contains { !$0.serverNames.isEmpty } }
}

/// One way of serving a listener's connections.
public struct FilterChain: Sendable, Equatable {
    /// SNI names the chain serves (`*.example.com` allowed); empty serves any.
    public var serverNames: [String]
    /// TLS terminated here; nil for plain text or passthrough.
    public var tls: ServerTLS?
    public var action: Action

    public enum Action: Sendable, Equatable {
        /// HTTP connection manager with routes from this route configuration (RDS).
        case http(routeConfig: String)
        /// TCP proxy to one cluster or a weighted split.
        case tcp([WeightedCluster])
    }

    public init(serverNames: [String] = [], tls: ServerTLS? = nil, action: Action) {
        self.serverNames = serverNames
        self.tls = tls
        self.action = action
    }
}

/// Downstream TLS termination with certificate files (Istio's SIMPLE and MUTUAL server modes).
public struct ServerTLS: Sendable, Equatable {
    public var certificateChain: String
    public var privateKey: String
    /// CA bundle to verify client certificates (MUTUAL).
    public var caCertificates: String?
    public var requireClientCertificate: Bool
    /// Accepted client certificate SANs (MUTUAL), sorted.
    public var subjectAltNames: [String]
    /// ALPN offered to clients (`h2`, `http/1.1` for HTTPS servers).
    public var alpn: [String]

    public init(certificateChain: String, privateKey: String, caCertificates: String? = nil, requireClientCertificate: Bool = false,
                subjectAltNames: [String] = [], alpn: [String] = []) {
        self.certificateChain = certificateChain
        self.privateKey = privateKey
        self.caCertificates = caCertificates
        self.requireClientCertificate = requireClientCertificate
        self.subjectAltNames = subjectAltNames
        self.alpn = alpn
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
    /// Plain-text requests get a redirect to https (a Gateway server's `httpsRedirect`).
    public var requireTLS: Bool

    public init(name: String, domains: [String], routes: [Route], requireTLS: Bool = false) {
        self.name = name
        self.domains = domains
        self.routes = routes
        self.requireTLS = requireTLS
    }
}
