import MeshModel
import MeshValidate

/// Binds Gateways to the gateway proxies whose labels carry the Gateway's
/// selector (any namespace, as Istio does by default). A server's listener
/// binds the server's `bind` address when it has one, else the proxy's.
enum BindGatewaysPass {
    /// Server protocols served by an HTTP connection manager.
    static let httpProtocols: Set<String> = ["HTTP", "HTTP2", "GRPC", "GRPC-WEB", "HTTPS"]
    /// Server protocols served as TCP streams (TLS: passthrough by SNI).
    static let streamProtocols: Set<String> = ["TCP", "TLS", "MONGO", "REDIS", "MYSQL"]

    static func run(_ state: inout CompileState) {
        let gateways = ResolveHostsPass.ordered(state.index.resources(of: .gateway)).compactMap { resource -> (Resource, GatewaySpec)? in
            guard case .gateway(let spec) = resource.body else { return nil }
            return (resource, spec)
        }
        var bound = Set<ObjectIdentifier>()
        for declaration in state.declarations where declaration.role == .gateway {
            if let wanted = state.options.proxies, !wanted.contains(declaration.name) { continue }
            var proxy = GatewayProxy(declaration: declaration)
            for (resource, spec) in gateways {
                guard let selector = spec.selector, !selector.isEmpty, selector.selects(declaration.labels) else { continue }
                bound.insert(ObjectIdentifier(resource))
                for (index, server) in spec.servers.enumerated() { bind(server, index: index, of: resource, to: &proxy, &state) }
            }
            state.proxies.append(proxy)
        }
        for (resource, spec) in gateways where !bound.contains(ObjectIdentifier(resource)) && state.options.proxies == nil {
            let selector = spec.selector.map { $0.entries.map { "\($0.key)=\($0.value.value)" }.joined(separator: ",") } ?? ""
            state.note("no proxy carries the labels of Gateway \(resource.namespace)/\(resource.name)'s selector {\(selector)}, so nothing serves it; "
                       + "declare a Proxy with role: gateway and those labels", in: resource)
        }
    }

    private static func bind(_ server: GatewayServer, index: Int, of resource: Resource, to proxy: inout GatewayProxy, _ state: inout CompileState) {
        guard let port = server.port?.number?.value else { return }
        let proto = (server.port?.protocol?.value ?? "").uppercased()
        guard httpProtocols.contains(proto) || streamProtocols.contains(proto) else {
            state.note("\(proto.isEmpty ? "a server without a protocol" : proto + " servers") on port \(port) are not built; "
                       + "use HTTP, HTTPS, HTTP2, GRPC, TLS or TCP", in: resource, at: server.mark)
            return
        }
        let hosts = server.hosts.map { written -> (namespace: String?, host: String) in
            let parts = Hosts.splitNamespace(written.value)
            let namespace = parts.namespace == "." ? resource.namespace : (parts.namespace == "*" ? nil : parts.namespace)
            return (namespace, parts.host)
        }
        proxy.servers.append(BoundServer(gateway: resource, server: server, gatewayKey: "\(resource.namespace)/\(resource.name)",
                                         port: port, index: index, hosts: hosts, protocol: proto))
    }
}
