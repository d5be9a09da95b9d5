import MeshDiagnostics
import MeshModel

/// IST0133 SchemaWarning: what Istio's validation (`pkg/config/validation`)
/// accepts with a warning — `kubectl apply` prints it, istioctl analyze
/// reports it as IST0133 — among the fields meshc decodes. Each message is
/// Istio's text, with the field path and what to do. Warnings on routing
/// kinds are in SchemaWarnings+Routing.swift.
///
/// Not reported: warnings about fields meshc does not decode (cipher suite
/// names, Sidecar ingress TLS and connection pools, locality failover,
/// EnvoyFilter, Telemetry); the ServiceEntry address warning, which is
/// IST0134; and the warning on every DENY AuthorizationPolicy rule naming only
/// HTTP attributes, which MSH0011 reports where a TCP port is really affected.
extension FieldChecker {
    /// Reports IST0133 at `mark`.
    mutating func warn(_ mark: Mark, _ path: @autoclosure () -> String, _ message: @autoclosure () -> String, hint: String) {
        sink.report(Codes.schemaWarning, resource, at: mark, path: path(), message(), hint: hint)
    }

    /// Every warning Istio's validation gives this resource.
    mutating func schemaWarnings() {
        switch resource.body {
        case .gateway(let spec): gatewayWarnings(spec)
        case .sidecar(let spec): sidecarWarnings(spec)
        case .virtualService(let spec): virtualServiceWarnings(spec)
        case .destinationRule(let spec): destinationRuleWarnings(spec)
        case .serviceEntry(let spec): serviceEntryWarnings(spec)
        case .workloadEntry(let spec): workloadEntryWarnings(spec, "spec")
        case .authorizationPolicy(let spec): selectorWarning(spec.selector?.matchLabels)
        case .requestAuthentication(let spec): selectorWarning(spec.selector?.matchLabels)
        case .peerAuthentication(let spec): selectorWarning(spec.selector?.matchLabels)
        default: break
        }
    }

    /// A security `selector` (or a DestinationRule `workloadSelector`) without `matchLabels`.
    mutating func selectorWarning(_ matchLabels: StringMap?, path: String = "spec.selector") {
        guard let labels = matchLabels, labels.isEmpty else { return }
        warn(labels.mark, path, "workload selector specified without labels",
             hint: "add matchLabels to select the workloads, or remove the selector to apply the policy to the whole namespace")
    }

    private mutating func gatewayWarnings(_ spec: GatewaySpec) {
        for (i, server) in spec.servers.enumerated() {
            guard let tls = server.tls else { continue }
            func path() -> String { "spec.servers[\(i)].tls" }
            if let redirect = tls.httpsRedirect, redirect.value, let proto = server.port?.protocol?.value, !Protocols.isHTTP(proto) {
                warn(redirect.mark, path() + ".httpsRedirect", "tls.httpsRedirect should only be used with http servers",
                     hint: "remove httpsRedirect here; set it on the plain HTTP server whose clients should move to HTTPS")
            }
            serverTLSWarnings(tls, path())
        }
    }

    /// Istio's validateTLSOptions warnings for a server's TLS settings.
    private mutating func serverTLSWarnings(_ tls: ServerTLSSettings, _ path: @autoclosure () -> String) {
        if let version = tls.minProtocolVersion, ["TLSV1_0", "TLSV1_1"].contains(version.value), tls.cipherSuites.isEmpty {
            warn(version.mark, path() + ".minProtocolVersion",
                 "TLS version below TLSV1_2 require setting compatible ciphers as by default they no longer include compatible ciphers",
                 hint: "list cipherSuites the old clients support, or raise minProtocolVersion to TLSV1_2")
        }
        let mode = tls.mode?.value ?? "PASSTHROUGH"
        if mode == "PASSTHROUGH" || mode == "AUTO_PASSTHROUGH" {
            let certificates: [(String, Mark?)] = [
                ("serverCertificate", tls.serverCertificate?.mark), ("privateKey", tls.privateKey?.mark),
                ("caCertificates", tls.caCertificates?.mark), ("credentialName", tls.credentialName?.mark),
                ("credentialNames", tls.credentialNames.first?.mark), ("tlsCertificates", tls.tlsCertificateCount > 0 ? tls.mark : nil),
            ]
            if let (field, mark) = certificates.first(where: { $0.1 != nil }), let mark {
                warn(mark, "\(path()).\(field)", "\(mode) mode does not use certificates, they will be ignored",
                     hint: "remove the certificate settings, or use mode SIMPLE to terminate TLS at the gateway")
            }
        }
        if ["SIMPLE", "MUTUAL", "OPTIONAL_MUTUAL"].contains(mode), tls.credentialName == nil, tls.credentialNames.isEmpty,
           tls.tlsCertificateCount > 2 {
            warn(tls.mark, path() + ".tlsCertificates", "\(mode == "SIMPLE" ? "SIMPLE TLS" : "MUTUAL TLS") can support up to 2 server certificates",
                 hint: "keep at most two tlsCertificates (one RSA, one ECDSA)")
        }
    }

    private mutating func sidecarWarnings(_ spec: SidecarSpec) {
        if let labels = spec.workloadSelector?.labels, labels.isEmpty {
            warn(labels.mark, "spec.workloadSelector",
                 "sidecar: workload selector specified without labels, will be applied to all services in namespace",
                 hint: "add labels to select the workloads, or remove workloadSelector to make the Sidecar namespace-wide")
        }
        for (i, listener) in spec.egress.enumerated() {
            var seen: [String: Set<String>] = [:]
            for (j, host) in listener.hosts.enumerated() {
                let parts = host.value.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                guard parts.count == 2 else { continue }
                let namespace = parts[0] == "." ? resource.namespace : parts[0], name = parts[1]
                let taken = seen[namespace, default: []]
                if name == "*" ? !taken.isEmpty : (taken.contains(name) || taken.contains("*")) {
                    warn(host.mark, "spec.egress[\(i)].hosts[\(j)]", "duplicated egress host: \(host.value)",
                         hint: taken.contains(name) ? "list each host once"
                             : "keep either \(parts[0])/* or the hosts of that namespace: \(parts[0])/* takes all of them")
                }
                seen[namespace, default: []].insert(name)
            }
            if seen["*"]?.contains("*") == true, seen.count != 1, let first = listener.hosts.first {
                warn(first.mark, "spec.egress[\(i)].hosts", "`*/*` host select all resources, no other hosts can be added",
                     hint: "keep */* alone, or list the namespaces and hosts the workloads need")
            }
        }
    }
}
