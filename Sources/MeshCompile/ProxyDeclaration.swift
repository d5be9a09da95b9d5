import MeshIR
import MeshModel

/// One proxy to build: from a `Proxy` manifest, or implicit (one gateway per
/// distinct Gateway selector, the sidecar view `mesh`).
struct ProxyDeclaration {
    let name: String
    let role: ProxyConfig.Role
    /// The proxy's namespace: short hosts and Sidecar resources resolve in it.
    let namespace: String
    let labels: StringMap
    /// Where listeners bind.
    let address: String
    /// Mesh port → listen port, as declared.
    let listenPorts: [Int: Int]
    /// Added to mesh ports without a declared listen port (implicit proxies, `--port-offset`).
    let portOffset: Int
    /// Sidecars: the outbound HTTP listener's port.
    let outboundPort: Int
    let adminPort: Int
    let agentAddress: String?
    /// The proxy's identity: the Proxy's `serviceAccount`, else its
    /// WorkloadEntry's, else `default`, in the workload's (or Proxy's) namespace.
    var identity = WorkloadIdentity(namespace: "default", serviceAccount: "default")
    /// Sidecars: the WorkloadEntry the proxy fronts.
    let workload: Resource?
    /// The Proxy manifest; nil for implicit proxies.
    let resource: Resource?

    /// Istio's source labels for this proxy's stats: the workload it fronts
    /// (sidecars) or the proxy itself (gateways), its `app` and `version`
    /// labels (or Istio's canonical-name and canonical-revision labels).
    var workloadTags: [String: String] {
        let labels = workload?.labels ?? self.labels
        var tags = ["source_workload": workload?.name ?? name]
        if let app = labels["app"] ?? labels["service.istio.io/canonical-name"] { tags["source_app"] = app }
        if let version = labels["version"] ?? labels["service.istio.io/canonical-revision"] { tags["source_version"] = version }
        return tags
    }

    /// The port the proxy listens on for mesh port `port`.
    func listenPort(_ port: Int) -> Int { listenPorts[port] ?? port + portOffset }

    /// Istio's listener name: `<address>_<port>`.
    func listenerName(_ port: Int) -> String { "\(address)_\(port)" }
}

/// A sidecar proxy: outbound virtual hosts for what it can reach, inbound
/// listeners for the workload it fronts.
struct SidecarProxy {
    let declaration: ProxyDeclaration
    /// One per reachable HTTP service port, sorted by name.
    var outbound: [OutboundHost] = []
    /// One per fronted workload port, sorted by port.
    var inbound: [InboundPort] = []
    /// One per non-HTTP service port in scope, sorted by port.
    var tcpOutbound: [TCPOutbound] = []
    /// The view `GatewayProxy` code paths (matches, sourceLabels) read.
    var asRouteOwner: GatewayProxy { GatewayProxy(declaration: declaration) }
}

/// A service port as a sidecar's outbound route table serves it.
struct OutboundHost {
    /// FQDN of the Service or ServiceEntry host.
    let host: String
    let port: Int
    /// Names a request's authority may use (FQDN, short forms, with and without port), sorted.
    let domains: [String]
    /// The mesh VirtualService rules for the host, in merge order; empty: the default route.
    var rules: [RuleRef]
    /// The Service or ServiceEntry that declares the host (the default route's source).
    let origin: Resource
    /// `host:port`, the virtual host's name (made once: sorting and lowering read it often).
    let name: String

    init(host: String, port: Int, domains: [String], rules: [RuleRef], origin: Resource, name: String? = nil) {
        self.host = host
        self.port = port
        self.domains = domains
        self.rules = rules
        self.origin = origin
        self.name = name ?? "\(host):\(port)"
    }

    /// The cluster the default route forwards to.
    var defaultCluster: ClusterKey { ClusterKey(host: host, port: port, subset: nil) }
}

/// A workload port a sidecar fronts: traffic to it enters through the proxy.
struct InboundPort {
    let port: Int
    let listenPort: Int
    /// Istio's `inbound|<port>||` cluster: the workload itself.
    let cluster: Cluster
}

/// A non-HTTP service port a sidecar forwards as a TCP stream.
struct TCPOutbound {
    let host: String
    let port: Int
    let cluster: ClusterKey
}
