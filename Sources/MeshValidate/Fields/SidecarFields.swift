import MeshDiagnostics
import MeshModel

/// Sidecar: ingress and egress listeners (Istio's ValidateSidecar).
extension FieldChecker {
    mutating func sidecar(_ spec: SidecarSpec) {
        selectorLabels(spec.workloadSelector?.labels, "spec.workloadSelector.labels")
        enumValue(spec.outboundTrafficPolicyMode, ["REGISTRY_ONLY", "ALLOW_ANY"], "spec.outboundTrafficPolicy.mode",
                  what: "outbound traffic policy mode")
        var ports: Set<Int> = []
        for (i, listener) in spec.ingress.enumerated() {
            func path() -> String { "spec.ingress[\(i)]" }
            enumValue(listener.captureMode, Self.captureModes, path() + ".captureMode", what: "capture mode")
            guard let port = listener.port else {
                fail(specMark, path() + ".port", "sidecar: port is required for ingress listeners", hint: "add port with number and protocol")
                continue
            }
            sidecarPort(port, path() + ".port")
            let number = port.number ?? Located(0, at: port.mark)
            self.port(number, path() + ".port.number")
            bindAddress(listener.bind, path() + ".bind")
            if !ports.insert(number.value).inserted {
                fail(number.mark, path() + ".port.number", "sidecar: ports on IP bound listeners must be unique", hint: "list each port once")
            }
            if let endpoint = listener.defaultEndpoint { defaultEndpoint(endpoint, path() + ".defaultEndpoint") }
        }
        ports = []
        var unixBinds: Set<String> = []
        var catchAll = false
        for (i, listener) in spec.egress.enumerated() {
            func path() -> String { "spec.egress[\(i)]" }
            enumValue(listener.captureMode, Self.captureModes, path() + ".captureMode", what: "capture mode")
            let mark = listener.hosts.first?.mark ?? specMark
            if let port = listener.port {
                sidecarPort(port, path() + ".port")
                let number = port.number?.value ?? 0
                let bind = listener.bind?.value ?? ""
                if number == 0 {
                    if !bind.hasPrefix("unix://") {
                        fail(port.number?.mark ?? port.mark, path() + ".port.number", "sidecar: ports with 0 value must have a unix domain socket bind address",
                             hint: "set a port number, or bind: unix:///path")
                    } else if let error = Names.unixAddressError(String(bind.dropFirst(7))) {
                        fail(listener.bind?.mark ?? port.mark, path() + ".bind", error, hint: "use unix:///absolute/path")
                    }
                    if let mode = listener.captureMode, mode.value != "DEFAULT" && mode.value != "NONE" {
                        fail(mode.mark, path() + ".captureMode", "sidecar: captureMode must be DEFAULT/NONE for unix domain socket listeners",
                             hint: "use captureMode DEFAULT or NONE")
                    }
                    if !unixBinds.insert(bind).inserted {
                        fail(listener.bind?.mark ?? port.mark, path() + ".bind", "sidecar: unix domain socket values for listeners must be unique",
                             hint: "use a different socket path")
                    }
                } else {
                    self.port(port.number, path() + ".port.number")
                    bindAddress(listener.bind, path() + ".bind")
                    if !ports.insert(number).inserted, let located = port.number {
                        fail(located.mark, path() + ".port.number", "sidecar: ports on IP bound listeners must be unique", hint: "list each port once")
                    }
                }
            } else if catchAll {
                fail(mark, path(), "sidecar: egress can have only one listener with empty port", hint: "merge the hosts into one catch-all listener")
            } else if i == spec.egress.count - 1 {
                catchAll = true
            } else {
                fail(mark, path(), "sidecar: the egress listener with empty port should be the last listener in the list",
                     hint: "move the listener without a port to the end")
            }
            if listener.hosts.isEmpty {
                fail(specMark, path() + ".hosts", "sidecar: egress listener must contain at least one host", hint: "add hosts like ./* or istio-system/*")
            }
            for (h, host) in listener.hosts.enumerated() {
                for error in namespaceSlashHostErrors(host.value, gateway: false) {
                    fail(host.mark, "\(path()).hosts[\(h)]", error, hint: "write <namespace>/<dns name>, like ./* or istio-system/*.example.com")
                }
            }
        }
    }

    static let captureModes = ["DEFAULT", "IPTABLES", "NONE"]

    /// A Sidecar listener port: optional DNS-label name, known protocol.
    private mutating func sidecarPort(_ port: PortSpec, _ path: @autoclosure () -> String) {
        if let name = port.name, !name.value.isEmpty, !Names.isDNS1123Label(name.value) {
            fail(name.mark, path() + ".name", "invalid port name: \(name.value)", hint: "use a lower-case DNS label like http")
        }
        if let proto = port.protocol, !proto.value.isEmpty, !Protocols.isKnown(proto.value) {
            fail(proto.mark, path() + ".protocol", "unsupported protocol: \(proto.value)", hint: Protocols.hint)
        }
        if let target = port.targetPort, target.value > 0 {
            fail(target.mark, path() + ".targetPort", "targetPort has no impact on Sidecars", hint: "remove targetPort")
        }
    }

    private mutating func bindAddress(_ bind: Located<String>?, _ path: @autoclosure () -> String) {
        guard let bind, !bind.value.isEmpty, !Names.isIPAddress(bind.value) else { return }
        fail(bind.mark, path(), "\(bind.value) is not a valid IP", hint: "use an IP address like 127.0.0.1 or 0.0.0.0")
    }

    /// `127.0.0.1:port`, `0.0.0.0:port`, `[::1]:port`, `[::]:port`, `:port` or `unix://path`.
    private mutating func defaultEndpoint(_ endpoint: Located<String>, _ path: @autoclosure () -> String) {
        let text = endpoint.value
        let hint = "use 127.0.0.1:<port>, 0.0.0.0:<port>, [::1]:<port>, [::]:<port> or unix:///path"
        if text.isEmpty { return }
        if text.hasPrefix("unix://") {
            if let error = Names.unixAddressError(String(text.dropFirst(7))) { fail(endpoint.mark, path(), error, hint: hint) }
            return
        }
        guard let colon = text.lastIndex(of: ":") else {
            fail(endpoint.mark, path(), "sidecar: defaultEndpoint \"\(text)\" has no port", hint: hint)
            return
        }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if !["", "127.0.0.1", "0.0.0.0", "::1", "::"].contains(host) {
            fail(endpoint.mark, path(), "sidecar: defaultEndpoint must be of form 127.0.0.1:<port>,0.0.0.0:<port>,[::1]:port,[::]:port,unix://filepath or unset",
                 hint: hint)
        }
        let portText = text[text.index(after: colon)...]
        if let number = Int(portText) {
            port(Located(number, at: endpoint.mark), path())
        } else {
            fail(endpoint.mark, path(), "sidecar: defaultEndpoint port (\(portText)) is not a number", hint: hint)
        }
    }
}
