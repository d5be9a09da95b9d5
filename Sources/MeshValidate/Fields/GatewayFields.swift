import MeshDiagnostics
import MeshModel

/// Gateway: servers, hosts, ports and TLS (Istio's ValidateGateway).
extension FieldChecker {
    mutating func gateway(_ spec: GatewaySpec) {
        if let name = resource.metadata.name, !Names.isDNS1123Label(name.value) {
            fail(name.mark, "metadata.name", "invalid gateway name: \"\(name.value)\"",
                 hint: "name Gateways with a lower-case DNS label (no dots), at most 63 characters")
        }
        if spec.servers.isEmpty {
            fail(specMark, "spec.servers", "gateway must have at least one server", hint: "add a server with port and hosts")
        }
        var portNames: Set<String> = []
        for (i, server) in spec.servers.enumerated() {
            func path() -> String { "spec.servers[\(i)]" }
            self.server(server, path())
            if let port = server.port, let name = port.name, !portNames.insert(name.value).inserted {
                fail(name.mark, path() + ".port.name", "port names in servers must be unique: duplicate name \(name.value)",
                     hint: "give each server's port its own name")
            }
        }
        selectorLabels(spec.selector, "spec.selector")
    }

    private mutating func server(_ server: GatewayServer, _ path: @autoclosure () -> String) {
        if server.hosts.isEmpty {
            fail(server.mark, path() + ".hosts", "server config must contain at least one host", hint: "add hosts: [\"*\"] or a DNS name")
        }
        for (i, host) in server.hosts.enumerated() {
            for error in namespaceSlashHostErrors(host.value, gateway: true) {
                fail(host.mark, "\(path()).hosts[\(i)]", error, hint: "write <namespace>/<dns name> or a DNS name like *.example.com")
            }
        }
        let bind = server.bind?.value ?? ""
        var portValid = false
        if let port = server.port {
            portValid = serverPort(port, bind: bind, path() + ".port")
        } else {
            fail(server.mark, path() + ".port", "port is required", hint: "add port: {number: 80, name: http, protocol: HTTP}")
        }
        if let bindValue = server.bind {
            if bind.hasPrefix("unix://") {
                if let error = Names.unixAddressError(String(bind.dropFirst(7))) {
                    fail(bindValue.mark, path() + ".bind", error, hint: "use unix:///absolute/path")
                }
                if let number = server.port?.number, number.value != 0 {
                    fail(number.mark, path() + ".port.number", "port number must be 0 for unix domain socket", hint: "set number: 0")
                }
            } else if !bind.isEmpty && !Names.isIPAddress(bind) {
                fail(bindValue.mark, path() + ".bind", "\(bind) is not a valid IP", hint: "use an IP address or unix:///path")
            }
        }
        if let tls = server.tls { serverTLS(tls, path() + ".tls") }
        guard portValid, let protocolName = server.port?.protocol?.value else { return }
        if Protocols.isTLS(protocolName) && server.tls == nil {
            fail(server.port?.protocol?.mark ?? server.mark, path() + ".tls", "server must have TLS settings for HTTPS/TLS protocols",
                 hint: "add tls with mode SIMPLE and credentialName, or PASSTHROUGH")
        } else if let tls = server.tls, !Protocols.isTLS(protocolName) {
            let passthrough = ["PASSTHROUGH", "AUTO_PASSTHROUGH"].contains(tls.mode?.value ?? "PASSTHROUGH")
            if Protocols.isHTTP(protocolName) {
                if !passthrough || tls.caCertificates != nil || tls.privateKey != nil || tls.serverCertificate != nil {
                    fail(tls.mark, path() + ".tls", "server cannot have TLS settings for plain text HTTP ports",
                         hint: "keep only httpsRedirect on HTTP servers, or change the protocol to HTTPS")
                }
            } else {
                fail(tls.mark, path() + ".tls", "server cannot have TLS settings for non HTTPS/TLS ports", hint: "use protocol HTTPS or TLS")
            }
        }
    }

    /// Istio's validateServerPort; true when the port is valid.
    private mutating func serverPort(_ port: PortSpec, bind: String, _ path: @autoclosure () -> String) -> Bool {
        let before = sink.diagnostics.count
        if let proto = port.protocol, !Protocols.isKnown(proto.value) {
            fail(proto.mark, path() + ".protocol", "invalid protocol \"\(proto.value)\"", hint: Protocols.hint)
        } else if port.protocol == nil {
            fail(port.mark, path() + ".protocol", "invalid protocol \"\"", hint: Protocols.hint)
        }
        let number = port.number ?? Located(0, at: port.mark)
        if number.value > 0 || !bind.hasPrefix("unix://") { self.port(number, path() + ".number") }
        if let target = port.targetPort, target.value > 0 {
            fail(target.mark, path() + ".targetPort", "targetPort has no impact on Gateways", hint: "remove targetPort")
        }
        if (port.name?.value ?? "").isEmpty {
            fail(port.name?.mark ?? port.mark, path() + ".name", "port name must be set", hint: "add name: http (any unique name)")
        }
        return sink.diagnostics.count == before
    }

    /// Istio's validateTLSOptions for a server's TLS settings.
    mutating func serverTLS(_ tls: ServerTLSSettings, _ path: @autoclosure () -> String) {
        let modes = ["PASSTHROUGH", "SIMPLE", "MUTUAL", "AUTO_PASSTHROUGH", "ISTIO_MUTUAL", "OPTIONAL_MUTUAL"]
        enumValue(tls.mode, modes, path() + ".mode", what: "TLS mode")
        let versions = ["TLS_AUTO", "TLSV1_0", "TLSV1_1", "TLSV1_2", "TLSV1_3"]
        enumValue(tls.minProtocolVersion, versions, path() + ".minProtocolVersion", what: "TLS protocol version")
        enumValue(tls.maxProtocolVersion, versions, path() + ".maxProtocolVersion", what: "TLS protocol version")
        let mode = tls.mode?.value ?? "PASSTHROUGH"
        let modeMark = tls.mode?.mark ?? tls.mark
        if mode == "ISTIO_MUTUAL" {
            let forbidden: [(String, Mark?)] = [
                ("serverCertificate", tls.serverCertificate?.mark), ("privateKey", tls.privateKey?.mark),
                ("caCertificates", tls.caCertificates?.mark), ("credentialName", tls.credentialName?.mark),
                ("credentialNames", tls.credentialNames.first?.mark), ("tlsCertificates", tls.tlsCertificateCount > 0 ? modeMark : nil),
            ]
            for (field, mark) in forbidden {
                if let mark {
                    fail(mark, "\(path()).\(field)", "ISTIO_MUTUAL TLS cannot have associated \(field)",
                         hint: "remove \(field); ISTIO_MUTUAL uses the mesh certificates")
                }
            }
            return
        }
        let hasPair = tls.serverCertificate != nil && tls.privateKey != nil
        let sources = [hasPair, tls.credentialName != nil, !tls.credentialNames.isEmpty, tls.tlsCertificateCount > 0].filter { $0 }.count
        if sources > 1 {
            fail(modeMark, path(), "only one of credentialName, credentialNames, serverCertificate/privateKey, tlsCertificates should be specified",
                 hint: "keep one certificate source")
        }
        guard ["SIMPLE", "MUTUAL", "OPTIONAL_MUTUAL"].contains(mode) else { return }
        // With credentialName the certificates (and CA) come from the secret.
        if tls.credentialName != nil || !tls.credentialNames.isEmpty { return }
        let prefix = mode == "SIMPLE" ? "SIMPLE TLS" : "MUTUAL TLS"
        if mode != "SIMPLE" && tls.caCertificates == nil {
            fail(modeMark, path() + ".caCertificates", "\(prefix) requires a client CA bundle", hint: "set caCertificates, or use credentialName")
        }
        if tls.tlsCertificateCount > 0 { return }
        if tls.serverCertificate == nil {
            fail(modeMark, path() + ".serverCertificate", "\(prefix) requires a server certificate",
                 hint: "set credentialName to a TLS secret, or serverCertificate and privateKey")
        }
        if tls.privateKey == nil {
            fail(modeMark, path() + ".privateKey", "\(prefix) requires a private key",
                 hint: "set credentialName to a TLS secret, or serverCertificate and privateKey")
        }
    }

    /// Istio's ValidateNamespaceSlashWildcardHostname (Gateway servers and Sidecar egress hosts).
    func namespaceSlashHostErrors(_ host: String, gateway: Bool) -> [String] {
        let parts = host.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 else {
            return gateway ? hostnamePartErrors(host, gateway: true) : ["host must be of form namespace/dnsName"]
        }
        var errors: [String] = []
        if parts[0].isEmpty || parts[1].isEmpty { errors.append("config namespace and dnsName in host entry cannot be empty") }
        let special = gateway ? ["*", "."] : ["*", ".", "~"]
        if !special.contains(parts[0]) && !Names.isDNS1123Label(parts[0]) {
            errors.append("invalid namespace value \"\(parts[0])\" in \(gateway ? "gateway" : "sidecar")")
        }
        return errors + hostnamePartErrors(parts[1], gateway: gateway)
    }

    private func hostnamePartErrors(_ host: String, gateway: Bool) -> [String] {
        var errors: [String] = []
        if host != "*" && !host.contains(".") { errors.append("short names (non FQDN) are not allowed") }
        if let error = Names.wildcardDomainError(host), !(gateway && Names.isIPAddress(host)) { errors.append(error) }
        if Names.isPartialWildcard(host) { errors.append("partial wildcard \"\(host)\" not allowed") }
        return errors
    }
}
