import MeshDiagnostics
import MeshIR
import MeshModel

/// Applies merged DestinationRule settings to an IR cluster: load balancer
/// (simple or consistent hash), connection pool, outlier detection, TLS.
enum ClusterPolicy {
    static func apply(_ settings: TrafficPolicyPass.Settings, to cluster: inout Cluster, key: ClusterKey, _ resource: Resource,
                      _ state: inout CompileState) {
        if settings.hasOtherSettings {
            state.note("tunnel, proxyProtocol and retryBudget are not built yet and are ignored", in: resource)
        }
        if let lb = settings.loadBalancer { loadBalancer(lb, &cluster, resource, &state) }
        if let pool = settings.connectionPool {
            if let timeout = pool.tcp?.connectTimeout.flatMap({ GoDuration.milliseconds($0.value) }) { cluster.connectTimeoutMs = timeout }
            let breakers = CircuitBreakers(
                maxConnections: pool.tcp?.maxConnections?.value, maxPendingRequests: pool.http?.http1MaxPendingRequests?.value,
                maxRequests: pool.http?.http2MaxRequests?.value, maxRetries: pool.http?.maxRetries?.value)
            if breakers != CircuitBreakers() { cluster.circuitBreakers = breakers }
            cluster.maxRequestsPerConnection = pool.http?.maxRequestsPerConnection?.value
            cluster.idleTimeoutMs = pool.http?.idleTimeout.flatMap { GoDuration.milliseconds($0.value) }
            let unbuilt: [(String, Mark?)] = [
                ("tcp.maxConnectionDuration", pool.tcp?.maxConnectionDuration?.mark), ("tcp.idleTimeout", pool.tcp?.idleTimeout?.mark),
                ("http.h2UpgradePolicy", pool.http?.h2UpgradePolicy?.mark), ("http.maxConcurrentStreams", pool.http?.maxConcurrentStreams?.mark),
            ]
            for case let (field, mark?) in unbuilt {
                state.note("connectionPool \(field) is not built yet and is ignored", in: resource, at: mark)
            }
        }
        if let outlier = settings.outlierDetection {
            cluster.outlierDetection = MeshIR.OutlierDetection(
                consecutive5xx: outlier.consecutive5xxErrors?.value, consecutiveGatewayErrors: outlier.consecutiveGatewayErrors?.value,
                intervalMs: outlier.interval.flatMap { GoDuration.milliseconds($0.value) },
                baseEjectionTimeMs: outlier.baseEjectionTime.flatMap { GoDuration.milliseconds($0.value) },
                maxEjectionPercent: outlier.maxEjectionPercent?.value)
            cluster.healthyPanicThreshold = outlier.minHealthPercent?.value
        }
        if let tls = settings.tls { cluster.tls = self.tls(tls, key, resource, &state) }
    }

    /// Istio's mapping: LEAST_REQUEST is the default (and LEAST_CONN's meaning); a consistent hash
    /// is a ring hash (minimum size 1024) unless `maglev` is written.
    private static func loadBalancer(_ lb: LoadBalancerSettings, _ cluster: inout Cluster, _ resource: Resource, _ state: inout CompileState) {
        if lb.warmupDurationSecs != nil || lb.hasOtherSettings {
            state.note("loadBalancer localityLbSetting and warmup are not built yet and are ignored", in: resource, at: lb.mark)
        }
        if let hash = lb.consistentHash {
            if let header = hash.httpHeaderName?.value {
                cluster.hashPolicy = .header(header)
            } else if let cookie = hash.httpCookie, let name = cookie.name?.value {
                if cookie.hasAttributes {
                    state.note("httpCookie attributes are not built yet and are ignored", in: resource, at: hash.mark)
                }
                cluster.hashPolicy = .cookie(name: name, path: cookie.path?.value, ttlMs: cookie.ttl.flatMap { GoDuration.milliseconds($0.value) })
            } else if hash.useSourceIp?.value == true {
                cluster.hashPolicy = .sourceIP
            } else if let name = hash.httpQueryParameterName?.value {
                cluster.hashPolicy = .queryParameter(name)
            }
            if let maglev = hash.maglev {
                cluster.lbPolicy = .maglev
                cluster.hashTableSize = maglev.tableSize?.value
            } else {
                cluster.lbPolicy = .ringHash
                cluster.hashTableSize = hash.ringHash?.minimumRingSize?.value ?? hash.minimumRingSize?.value ?? 1024
            }
            return
        }
        switch lb.simple?.value {
        case "ROUND_ROBIN": cluster.lbPolicy = .roundRobin
        case "RANDOM": cluster.lbPolicy = .random
        case "PASSTHROUGH":
            state.note("loadBalancer PASSTHROUGH is not built yet; \(cluster.name) balances by least requests", in: resource, at: lb.mark)
        default: cluster.lbPolicy = .leastRequest
        }
    }

    /// SIMPLE and MUTUAL with certificate files (the server verified against the system's CAs when no
    /// caCertificates are written); DISABLE is plain text; ISTIO_MUTUAL with the mesh's certificates (SDS,
    /// `MeshTLSPolicy`). credentialName needs secrets meshc does not resolve yet.
    private static func tls(_ tls: ClientTLSSettings, _ key: ClusterKey, _ resource: Resource, _ state: inout CompileState) -> UpstreamTLS? {
        let cluster = key.name
        let mode = tls.mode?.value ?? "DISABLE"
        switch mode {
        case "SIMPLE", "MUTUAL":
            if let credential = tls.credentialName {
                state.note("credentialName is not supported yet (no secret discovery); use certificate files. \(cluster) gets no TLS",
                           in: resource, at: credential.mark)
                return nil
            }
            // Istio: the server is verified against caCertificates, else the system's public CAs, unless
            // insecureSkipVerify; its certificate must carry one of the rule's subjectAltNames, else (a host a
            // ServiceEntry provides) the entry's. Without `sni` the request's host is the SNI and, with no names
            // in the rule and the server verified, the name its certificate must carry.
            let skipVerify = tls.insecureSkipVerify?.value == true
            let ruleNames = tls.subjectAltNames.map(\.value)
            let names = skipVerify ? [] : (ruleNames.isEmpty ? entryNames(key.host, state) : ruleNames).sorted()
            let nonEmpty = { (field: Located<String>?) in field.flatMap { $0.value.isEmpty ? nil : $0.value } }
            let sni = nonEmpty(tls.sni)
            var result = UpstreamTLS(sni: sni, caCertificates: skipVerify ? nil : nonEmpty(tls.caCertificates) ?? SystemTrustStore.path,
                                     subjectAltNames: names)
            result.autoSni = sni == nil
            result.autoSanValidation = result.autoSni && ruleNames.isEmpty && !skipVerify
            if mode == "MUTUAL" {
                result.clientCertificate = tls.clientCertificate?.value
                result.privateKey = tls.privateKey?.value
            }
            return result
        case "ISTIO_MUTUAL":
            return MeshTLSPolicy.upstream(key, sni: tls.sni?.value, subjectAltNames: tls.subjectAltNames.map(\.value), state)
        default:
            return nil
        }
    }

    /// The subjectAltNames of the ServiceEntry providing `host` (`EndpointResolver.serviceEntry(for:)`).
    private static func entryNames(_ host: String, _ state: CompileState) -> [String] {
        EndpointResolver.serviceEntry(for: host, state)?.spec.subjectAltNames.map(\.value) ?? []
    }
}
