import MeshDiagnostics

/// meshc.dev/v1alpha1 Proxy: one Envoy the repository declares, gateway or
/// sidecar. With none declared, `meshc build` compiles implicit ones (one
/// gateway per distinct Gateway selector and a sidecar view `mesh`).
///
///     apiVersion: meshc.dev/v1alpha1
///     kind: Proxy
///     metadata: {name: ingressgateway, namespace: istio-system}
///     spec:
///       role: gateway                 # or sidecar
///       labels: {istio: ingressgateway}
///       address: 127.0.0.1            # where listeners bind (default 0.0.0.0)
///       ports: [{port: 80, listenPort: 18080}]
///       admin: {port: 19000}
///       agent: {address: 127.0.0.1:19100}
///       serviceAccount: istio-ingressgateway   # the identity (default: the WorkloadEntry's, else `default`)
package final class ProxySpec: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["role", "labels", "workload", "address", "ports", "outboundPort", "admin", "agent", "serviceAccount"]
    /// `gateway` or `sidecar`.
    package let role: Located<String>?
    /// Gateway: the labels Gateway selectors match. Sidecar: the workload's
    /// labels (for Sidecar selectors and sourceLabels); the WorkloadEntry's when not given.
    package let labels: StringMap?
    /// Sidecar: the WorkloadEntry (same namespace) this proxy fronts.
    package let workload: Located<String>?
    /// The address listeners bind; 0.0.0.0 when not given.
    package let address: Located<String>?
    /// Gateway: Gateway server port → listener port. Sidecar: workload port → inbound listener port.
    package let ports: [ProxyPort]
    /// Sidecar: the outbound HTTP listener that routes by authority (15001 when not given).
    package let outboundPort: Located<Int>?
    package let admin: ProxyAdmin?
    package let agent: ProxyAgent?
    /// The service account of the proxy's identity (`spiffe://<td>/ns/<namespace>/sa/<serviceAccount>`).
    package let serviceAccount: Located<String>?
    package let mark: Mark

    package init(_ o: ObjectReader) {
        role = o.string("role")
        labels = o.stringMap("labels")
        workload = o.string("workload")
        address = o.string("address")
        ports = o.list("ports")
        outboundPort = o.int("outboundPort")
        admin = o.object("admin")
        agent = o.object("agent")
        serviceAccount = o.string("serviceAccount")
        mark = o.mark
    }
}

/// Where a proxy takes traffic for one mesh port.
package struct ProxyPort: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["port", "listenPort"]
    /// The mesh port: a Gateway server port, or the workload port a sidecar fronts.
    package var port: Located<Int>?
    /// The port the proxy listens on; `port` when not given.
    package var listenPort: Located<Int>?
    package var mark: Mark

    package init(_ o: ObjectReader) {
        port = o.int("port")
        listenPort = o.int("listenPort")
        mark = o.mark
    }
}

/// The proxy's Envoy admin interface (always bound to 127.0.0.1).
package struct ProxyAdmin: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["port"]
    package var port: Located<Int>?

    package init(_ o: ObjectReader) {
        port = o.int("port")
    }
}

/// The `meshc agent` beside the proxy, as the reconciler reaches it.
package struct ProxyAgent: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["address"]
    /// `host:port` of the agent's HTTP API.
    package var address: Located<String>?

    package init(_ o: ObjectReader) {
        address = o.string("address")
    }
}
