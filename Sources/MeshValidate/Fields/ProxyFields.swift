import MeshDiagnostics
import MeshModel

/// meshc's Proxy kind: role, ports, addresses.
extension FieldChecker {
    mutating func proxy(_ spec: ProxySpec) {
        if let role = spec.role {
            enumValue(role, ["gateway", "sidecar"], "spec.role", what: "proxy role")
        } else {
            fail(specMark, "spec.role", "a Proxy needs a role", hint: "add role: gateway or role: sidecar")
        }
        selectorLabels(spec.labels, "spec.labels")
        if let workload = spec.workload, spec.role?.value == "gateway" {
            fail(workload.mark, "spec.workload", "a gateway proxy fronts no workload", hint: "remove workload, or make the proxy role: sidecar")
        }
        if let address = spec.address, !Names.isIPAddress(address.value) {
            fail(address.mark, "spec.address", "\(address.value) is not an IP address", hint: "use an address like 127.0.0.1 or 0.0.0.0")
        }
        var mesh: Set<Int> = []
        var listen: Set<Int> = []
        for (i, entry) in spec.ports.enumerated() {
            guard let port = entry.port else {
                fail(entry.mark, "spec.ports[\(i)].port", "a proxy port needs port", hint: "add port: the Gateway server or workload port")
                continue
            }
            self.port(port, "spec.ports[\(i)].port")
            self.port(entry.listenPort, "spec.ports[\(i)].listenPort")
            if !mesh.insert(port.value).inserted {
                fail(port.mark, "spec.ports[\(i)].port", "port \(port.value) is listed twice", hint: "list each port once")
            }
            let listenPort = entry.listenPort ?? port
            if !listen.insert(listenPort.value).inserted {
                fail(listenPort.mark, "spec.ports[\(i)].listenPort", "two ports listen on \(listenPort.value)", hint: "give each port its own listenPort")
            }
        }
        port(spec.outboundPort, "spec.outboundPort")
        if let outbound = spec.outboundPort, spec.role?.value == "gateway" {
            fail(outbound.mark, "spec.outboundPort", "outboundPort is for sidecars", hint: "remove it from the gateway proxy")
        }
        port(spec.admin?.port, "spec.admin.port")
        if let address = spec.agent?.address, !Self.isHostPort(address.value) {
            fail(address.mark, "spec.agent.address", "agent address \(address.value) is not host:port", hint: "write it like 127.0.0.1:19100")
        }
    }

    /// `host:port` or `[v6]:port` with a port in range.
    static func isHostPort(_ text: String) -> Bool {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]) else { return false }
        return colon != text.startIndex && (1...65535).contains(port)
    }
}
