/// Everything one proxy needs, proxy-neutral: the contract between
/// MeshCompile (which reads manifests) and MeshEmit (which writes Envoy).
package struct ProxyConfig: Sendable, Hashable {
    /// What kind of proxy this is.
    package enum Role: String, Sendable, Hashable {
        case gateway
        case sidecar
    }

    /// Stable proxy name, also the output folder (`gateway-istio-ingressgateway`).
    package var name: String
    package var role: Role
    /// Port of the proxy's admin interface (bound to loopback).
    package var adminPort: Int
    /// `host:port` of the proxy's `meshc agent`, when declared.
    package var agentAddress: String?
    /// Who the proxy is in the mesh: its certificate names this identity.
    package var identity: WorkloadIdentity
    /// Listeners, sorted by port.
    package var listeners: [Listener]
    /// Route configurations, sorted by name.
    package var routeConfigs: [RouteConfig]
    /// Clusters, sorted by name.
    package var clusters: [Cluster]
    /// Istio's source labels for the proxy's own stats (`source_workload`,
    /// `source_app`, `source_version`): fixed tags of the static bootstrap.
    package var workloadTags: [String: String] = [:]

    package init(name: String, role: Role, adminPort: Int, agentAddress: String? = nil,
                identity: WorkloadIdentity = WorkloadIdentity(namespace: "default", serviceAccount: "default"),
                listeners: [Listener], routeConfigs: [RouteConfig], clusters: [Cluster]) {
        self.name = name
        self.role = role
        self.adminPort = adminPort
        self.agentAddress = agentAddress
        self.identity = identity
        self.listeners = listeners
        self.routeConfigs = routeConfigs
        self.clusters = clusters
    }
}

/// A workload's identity, as Istio derives it: namespace and service
/// account (`spiffe://<trust domain>/ns/<namespace>/sa/<serviceAccount>`).
package struct WorkloadIdentity: Sendable, Hashable {
    package var namespace: String
    package var serviceAccount: String

    package init(namespace: String, serviceAccount: String) {
        self.namespace = namespace
        self.serviceAccount = serviceAccount
    }

    /// `spiffe://<trustDomain>/ns/<namespace>/sa/<serviceAccount>`, the URI SAN of the workload's certificate.
    package func spiffeID(trustDomain: String) -> String { "spiffe://\(trustDomain)/ns/\(namespace)/sa/\(serviceAccount)" }
}

/// A port the proxy accepts connections on, and what it does with them.
package struct Listener: Sendable, Hashable {
    /// `0.0.0.0_80`, Istio's style.
    package var name: String
    package var address: String
    package var port: Int
    /// Filter chains, tried by their match (SNI); one chain without server names serves everything else.
    package var chains: [FilterChain]
    /// Match `Host: a.example.com:8080` as `a.example.com` (gateways: their domains carry no port).
    /// Sidecars keep the port: it picks the service port's virtual host.
    package var stripsHostPort: Bool
    /// Access logs and tracing on every chain (Telemetry); nil: none.
    package var telemetry: ListenerTelemetry?

    package init(name: String, address: String, port: Int, chains: [FilterChain], stripsHostPort: Bool = true) {
        self.name = name
        self.address = address
        self.port = port
        self.chains = chains
        self.stripsHostPort = stripsHostPort
    }

    /// A plain HTTP listener served by one route configuration.
    package init(name: String, address: String, port: Int, routeConfigName: String, stripsHostPort: Bool = true) {
        self.init(name: name, address: address, port: port, chains: [FilterChain(action: .http(routeConfig: routeConfigName))],
                  stripsHostPort: stripsHostPort)
    }

    /// Route configurations the listener's HTTP chains name, sorted.
    package var routeConfigNames: [String] {
        Set(chains.compactMap { chain -> String? in
            if case .http(let name) = chain.action { return name }
            return nil
        }).sorted()
    }

    /// The SDS secrets the listener's TLS chains name (a gateway's
    /// certificates and client CA), each a file Envoy watches.
    package var secretNames: Set<String> {
        Set(chains.compactMap(\.tls).flatMap { [$0.secret, $0.caSecret].compactMap { $0 } })
    }

    /// Clusters the listener's TCP chains forward to, sorted.
    package var tcpClusters: [String] {
        Set(chains.flatMap { chain -> [String] in
            if case .tcp(let shares) = chain.action { return shares.map(\.cluster) }
            return []
        }).sorted()
    }

    /// True when some chain matches on SNI or transport protocol (the listener needs the TLS inspector).
    package var inspectsTLS: Bool { chains.contains { !$0.serverNames.isEmpty || $0.transportProtocol != nil } }
}

/// One way of serving a listener's connections.
package struct FilterChain: Sendable, Hashable {
    /// SNI names the chain serves (`*.example.com` allowed); empty serves any.
    package var serverNames: [String]
    /// TLS terminated here; nil for plain text or passthrough.
    package var tls: ServerTLS?
    /// `tls` or `raw_buffer`: the chain serves only connections that are
    /// (or are not) TLS, as the TLS inspector finds (a PERMISSIVE port); nil: any.
    package var transportProtocol: String?
    /// Mesh mutual TLS terminated here (a STRICT or PERMISSIVE sidecar
    /// port): the proxy's workload certificate (SDS `default`), a client
    /// certificate required and verified against the mesh trust bundle
    /// (SDS `ROOTCA`); the connection manager tells the workload who called
    /// in `x-forwarded-client-cert`.
    package var meshTLS: Bool
    package var action: Action
    /// AuthorizationPolicy and RequestAuthentication as this chain enforces
    /// them: set (maybe empty) on every sidecar inbound and gateway chain,
    /// which therefore always carries the JWT and RBAC filters; nil on
    /// outbound chains, which enforce nothing.
    package var authorization: Authorization?

    package enum Action: Sendable, Hashable {
        /// HTTP connection manager with routes from this route configuration (RDS).
        case http(routeConfig: String)
        /// TCP proxy to one cluster or a weighted split.
        case tcp([WeightedCluster])
    }

    package init(serverNames: [String] = [], tls: ServerTLS? = nil, transportProtocol: String? = nil, meshTLS: Bool = false,
                action: Action, authorization: Authorization? = nil) {
        self.authorization = authorization
        self.serverNames = serverNames
        self.tls = tls
        self.transportProtocol = transportProtocol
        self.meshTLS = meshTLS
        self.action = action
    }
}

/// Downstream TLS termination with certificate files (Istio's SIMPLE and MUTUAL server modes).
package struct ServerTLS: Sendable, Hashable {
    package var certificateChain: String
    package var privateKey: String
    /// CA bundle to verify client certificates (MUTUAL).
    package var caCertificates: String?
    package var requireClientCertificate: Bool
    /// Accepted client certificate SANs (MUTUAL), sorted.
    package var subjectAltNames: [String]
    /// ALPN offered to clients (`h2`, `http/1.1` for HTTPS servers).
    package var alpn: [String]
    /// The SDS secret serving the certificate files (`<namespace>/<credentialName>`), nil for
    /// files named in the listener; the client CA then comes from `<secret>-cacert`.
    package var secret: String?
    /// The SDS secret of the client CA (`<secret>-cacert`), when there is a secret and a CA.
    package var caSecret: String? { caCertificates == nil ? nil : secret.map { $0 + "-cacert" } }

    package init(certificateChain: String, privateKey: String, caCertificates: String? = nil, requireClientCertificate: Bool = false,
                subjectAltNames: [String] = [], alpn: [String] = [], secret: String? = nil) {
        self.secret = secret
        self.certificateChain = certificateChain
        self.privateKey = privateKey
        self.caCertificates = caCertificates
        self.requireClientCertificate = requireClientCertificate
        self.subjectAltNames = subjectAltNames
        self.alpn = alpn
    }
}

/// A named set of virtual hosts (Envoy's RouteConfiguration).
package struct RouteConfig: Sendable, Hashable {
    /// `http.80`, Istio's style for gateway routes.
    package var name: String
    /// Virtual hosts, sorted by name (Envoy picks by domain, not by order).
    package var virtualHosts: [VirtualHost]
    /// The AuthorizationPolicy rules every request routed here is checked
    /// against: those of the HTTP chain serving this configuration. They
    /// travel with the routes (RDS), so a policy change applies to requests
    /// on open connections too, with no listener drain; nil: none.
    package var authorization: Authorization?

    package init(name: String, virtualHosts: [VirtualHost], authorization: Authorization? = nil) {
        self.name = name
        self.virtualHosts = virtualHosts
        self.authorization = authorization
    }
}

/// The routes for a set of domains; routes are tried in order.
package struct VirtualHost: Sendable, Hashable {
    package var name: String
    package var domains: [String]
    package var routes: [Route]
    /// Plain-text requests get a redirect to https (a Gateway server's `httpsRedirect`).
    package var requireTLS: Bool

    package init(name: String, domains: [String], routes: [Route], requireTLS: Bool = false) {
        self.name = name
        self.domains = domains
        self.routes = routes
        self.requireTLS = requireTLS
    }
}
