import MeshDiagnostics
import MeshModel

/// DestinationRule: host, subsets and traffic policies (Istio's ValidateDestinationRule).
extension FieldChecker {
    mutating func destinationRule(_ spec: DestinationRuleSpec) {
        if let host = spec.host {
            if let error = Names.wildcardDomainError(host.value) {
                fail(host.mark, "spec.host", error, hint: "use a service name like reviews or reviews.default.svc.cluster.local")
            }
        } else {
            fail(specMark, "spec.host", "host is required", hint: "add host: <service>")
        }
        if let policy = spec.trafficPolicy { trafficPolicy(policy, "spec.trafficPolicy") }
        for (i, subset) in spec.subsets.enumerated() {
            func path() -> String { "spec.subsets[\(i)]" }
            if let name = subset.name {
                // A scan, not a Set: subset lists are short, and this allocates nothing.
                if spec.subsets[..<i].contains(where: { $0.name?.value == name.value }) {
                    fail(name.mark, path() + ".name", "duplicate subset names: \(name.value)", hint: "give each subset its own name")
                }
                if !Names.isDNS1123Label(name.value) {
                    fail(name.mark, path() + ".name", name.value.isEmpty ? "subset name cannot be empty" : "subset name is invalid: \(name.value)",
                         hint: "use a lower-case DNS label like v1")
                }
            } else {
                fail(subset.mark, path() + ".name", "subset name cannot be empty", hint: "add name: v1")
            }
            labels(subset.labels, path() + ".labels")
            if let policy = subset.trafficPolicy { trafficPolicy(policy, path() + ".trafficPolicy") }
        }
        exportTo(spec.exportTo, "spec.exportTo", selectorRule: spec.workloadSelector != nil)
        selectorLabels(spec.workloadSelector?.labels, "spec.workloadSelector.matchLabels")
    }

    private mutating func trafficPolicy(_ policy: TrafficPolicy, _ path: @autoclosure () -> String) {
        if policy.loadBalancer == nil && policy.connectionPool == nil && policy.outlierDetection == nil && policy.tls == nil
            && policy.portLevelSettings.isEmpty && !policy.hasOtherSettings {
            fail(policy.mark, path(), "traffic policy must have at least one field", hint: "add a setting or remove trafficPolicy")
        }
        if let lb = policy.loadBalancer { loadBalancer(lb, path() + ".loadBalancer") }
        if let pool = policy.connectionPool { connectionPool(pool, policy.mark, path() + ".connectionPool") }
        if let outlier = policy.outlierDetection { outlierDetection(outlier, path() + ".outlierDetection") }
        if let tls = policy.tls { clientTLS(tls, path() + ".tls") }
        for (i, setting) in policy.portLevelSettings.enumerated() {
            func itemPath() -> String { "\(path()).portLevelSettings[\(i)]" }
            if let selector = setting.port {
                port(selector.number ?? Located(0, at: setting.mark), itemPath() + ".port.number")
            } else {
                fail(setting.mark, itemPath() + ".port", "portTrafficPolicy must have valid port", hint: "add port: {number: 80}")
            }
            if setting.loadBalancer == nil && setting.connectionPool == nil && setting.outlierDetection == nil && setting.tls == nil {
                fail(setting.mark, itemPath(), "port traffic policy must have at least one field", hint: "add a setting or remove the entry")
            }
            if let lb = setting.loadBalancer { loadBalancer(lb, itemPath() + ".loadBalancer") }
            if let pool = setting.connectionPool { connectionPool(pool, setting.mark, itemPath() + ".connectionPool") }
            if let outlier = setting.outlierDetection { outlierDetection(outlier, itemPath() + ".outlierDetection") }
            if let tls = setting.tls { clientTLS(tls, itemPath() + ".tls") }
        }
    }

    private mutating func loadBalancer(_ lb: LoadBalancerSettings, _ path: @autoclosure () -> String) {
        enumValue(lb.simple, ["UNSPECIFIED", "RANDOM", "PASSTHROUGH", "ROUND_ROBIN", "LEAST_REQUEST", "LEAST_CONN"],
                  path() + ".simple", what: "load balancer")
        if let simple = lb.simple, lb.consistentHash != nil {
            fail(simple.mark, path(), "only one of simple and consistentHash may be set", hint: "keep simple or consistentHash")
        }
        if let hash = lb.consistentHash {
            if hash.keysSet > 1 {
                fail(hash.mark, path() + ".consistentHash",
                     "only one of httpHeaderName, httpCookie, useSourceIp and httpQueryParameterName may be set",
                     hint: "keep one hash key")
            }
            if let cookie = hash.httpCookie, (cookie.name?.value ?? "").isEmpty {
                fail(hash.mark, path() + ".consistentHash.httpCookie.name", "name required for HttpCookie", hint: "add name: <cookie>")
            }
        }
        if let warmup = lb.warmupDurationSecs {
            duration(warmup, path() + ".warmupDurationSecs")
        }
    }

    private mutating func connectionPool(_ pool: ConnectionPoolSettings, _ mark: Mark, _ path: @autoclosure () -> String) {
        if pool.tcp == nil && pool.http == nil {
            fail(mark, path(), "connection pool must have at least one field", hint: "add tcp or http settings, or remove connectionPool")
        }
        if let http = pool.http {
            nonNegative(http.http1MaxPendingRequests, path() + ".http.http1MaxPendingRequests", "http1MaxPendingRequests")
            nonNegative(http.http2MaxRequests, path() + ".http.http2MaxRequests", "http2MaxRequests")
            nonNegative(http.maxRequestsPerConnection, path() + ".http.maxRequestsPerConnection", "maxRequestsPerConnection")
            nonNegative(http.maxRetries, path() + ".http.maxRetries", "maxRetries")
            nonNegative(http.maxConcurrentStreams, path() + ".http.maxConcurrentStreams", "maxConcurrentStreams")
            duration(http.idleTimeout, path() + ".http.idleTimeout")
            enumValue(http.h2UpgradePolicy, ["DEFAULT", "DO_NOT_UPGRADE", "UPGRADE"], path() + ".http.h2UpgradePolicy", what: "h2UpgradePolicy")
        }
        if let tcp = pool.tcp {
            nonNegative(tcp.maxConnections, path() + ".tcp.maxConnections", "maxConnections")
            duration(tcp.connectTimeout, path() + ".tcp.connectTimeout")
            duration(tcp.maxConnectionDuration, path() + ".tcp.maxConnectionDuration")
            duration(tcp.idleTimeout, path() + ".tcp.idleTimeout", allowZero: true)
        }
    }

    private mutating func outlierDetection(_ outlier: OutlierDetection, _ path: @autoclosure () -> String) {
        duration(outlier.interval, path() + ".interval")
        duration(outlier.baseEjectionTime, path() + ".baseEjectionTime")
        percent(outlier.maxEjectionPercent, path() + ".maxEjectionPercent")
        percent(outlier.minHealthPercent, path() + ".minHealthPercent")
        nonNegative(outlier.consecutive5xxErrors, path() + ".consecutive5xxErrors", "consecutive5xxErrors")
        nonNegative(outlier.consecutiveGatewayErrors, path() + ".consecutiveGatewayErrors", "consecutiveGatewayErrors")
    }

    /// Istio's ValidateTLS for a DestinationRule's client TLS settings.
    private mutating func clientTLS(_ tls: ClientTLSSettings, _ path: @autoclosure () -> String) {
        enumValue(tls.mode, ["DISABLE", "SIMPLE", "MUTUAL", "ISTIO_MUTUAL"], path() + ".mode", what: "TLS mode")
        let mode = tls.mode?.value ?? "DISABLE"
        let modeMark = tls.mode?.mark ?? tls.mark
        if tls.insecureSkipVerify?.value == true, let skip = tls.insecureSkipVerify {
            if mode == "SIMPLE" && (tls.caCertificates != nil || tls.credentialName != nil || !tls.subjectAltNames.isEmpty) {
                fail(skip.mark, path() + ".insecureSkipVerify",
                     "cannot specify caCertificates or credentialName or subjectAltNames when insecureSkipVerify is set true",
                     hint: "drop insecureSkipVerify, or the verification settings")
            }
            if mode == "MUTUAL" && (tls.caCertificates != nil || !tls.subjectAltNames.isEmpty) {
                fail(skip.mark, path() + ".insecureSkipVerify",
                     "cannot specify caCertificates or subjectAltNames when insecureSkipVerify is set true",
                     hint: "drop insecureSkipVerify, or the verification settings")
            }
        }
        if (mode == "SIMPLE" || mode == "MUTUAL"), let credential = tls.credentialName {
            if tls.clientCertificate != nil || tls.caCertificates != nil || tls.privateKey != nil {
                fail(credential.mark, path() + ".credentialName",
                     "cannot specify client certificates or CA certificate if credentialName is set",
                     hint: "keep credentialName and remove the certificate paths, or the other way round")
            }
            return
        }
        if mode == "MUTUAL" {
            if tls.clientCertificate == nil {
                fail(modeMark, path() + ".clientCertificate", "client certificate required for mutual tls",
                     hint: "set clientCertificate and privateKey, or credentialName")
            }
            if tls.privateKey == nil {
                fail(modeMark, path() + ".privateKey", "private key required for mutual tls",
                     hint: "set clientCertificate and privateKey, or credentialName")
            }
        }
    }
}
