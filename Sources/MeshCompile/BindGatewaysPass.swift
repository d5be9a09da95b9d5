import MeshModel
import MeshValidate

/// Binds Gateways to gateway proxies by selector. With no proxies declared
/// (the meshc Proxy kind is not there yet), each distinct selector is one
/// implicit proxy named after it: `istio: ingressgateway` →
/// `gateway-istio-ingressgateway`.
enum BindGatewaysPass {
    static func run(_ state: inout CompileState) {
        var byName: [String: GatewayProxy] = [:]
        for resource in ResolveHostsPass.ordered(state.index.resources(of: .gateway)) {
            guard case .gateway(let spec) = resource.body else { continue }
            guard let selector = spec.selector, !selector.isEmpty else {
                state.note("Gateway \(resource.namespace)/\(resource.name) has no selector, so no proxy serves it", in: resource)
                continue
            }
            let name = proxyName(selector)
            if let wanted = state.options.proxies, !wanted.contains(name) { continue }
            var proxy = byName[name] ?? GatewayProxy(name: name, labels: selector)
            for server in spec.servers {
                guard let port = server.port?.number?.value else { continue }
                let proto = (server.port?.protocol?.value ?? "").uppercased()
                guard ["HTTP", "HTTP2", "GRPC"].contains(proto) else {
                    state.note("\(proto.isEmpty ? "a server without a protocol" : proto + " servers") on port \(port) are not built yet; only HTTP is",
                               in: resource, at: server.mark)
                    continue
                }
                if server.tls != nil {
                    state.note("server TLS settings (httpsRedirect, …) are not built yet and are ignored", in: resource, at: server.mark)
                }
                let hosts = server.hosts.map { written -> (namespace: String?, host: String) in
                    let parts = Hosts.splitNamespace(written.value)
                    let namespace = parts.namespace == "." ? resource.namespace : (parts.namespace == "*" ? nil : parts.namespace)
                    return (namespace, parts.host)
                }
                proxy.servers.append(BoundServer(gateway: resource, server: server, gatewayKey: "\(resource.namespace)/\(resource.name)",
                                                 port: port, hosts: hosts))
            }
            byName[name] = proxy
        }
        state.proxies = byName.keys.sorted().map { byName[$0]! }
    }

    /// `gateway-` and the selector's `key-value` pairs sorted by key, lower-cased,
    /// anything but letters, digits, `-` and `.` turned into `-`.
    static func proxyName(_ selector: StringMap) -> String {
        let pairs = selector.dictionary.sorted { $0.key < $1.key }.map { "\($0.key)-\($0.value)" }
        let raw = "gateway-" + pairs.joined(separator: "-")
        return String(raw.lowercased().map { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == "." ? $0 : "-" })
    }
}
