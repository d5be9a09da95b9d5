import MeshDiagnostics

/// networking.istio.io DestinationRule.
package final class DestinationRuleSpec: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["host", "trafficPolicy", "subsets", "exportTo", "workloadSelector"]
    package let host: Located<String>?
    package let trafficPolicy: TrafficPolicy?
    package let subsets: [Subset]
    package let exportTo: [Located<String>]
    /// Istio's `type.v1beta1.WorkloadSelector` (`matchLabels`), read into
    /// `labels` like the networking selectors of Sidecar and ServiceEntry.
    package let workloadSelector: WorkloadSelector?

    package init(_ o: ObjectReader) {
        host = o.string("host")
        trafficPolicy = o.object("trafficPolicy")
        subsets = o.list("subsets")
        exportTo = o.strings("exportTo")
        workloadSelector = o.object("workloadSelector", Selector.self)?.selector
    }

    /// A DestinationRule's `workloadSelector`: Istio's `type.v1beta1.WorkloadSelector`,
    /// whose only field is `matchLabels` (the security kinds' selector). The
    /// `labels` of Sidecar and ServiceEntry selectors is an unknown field here,
    /// as Istio's CRD schema has it (IST0106).
    struct Selector: ObjectDecodable {
        static let fields: Set<String> = ["matchLabels"]
        var selector: WorkloadSelector

        init(_ o: ObjectReader) {
            selector = WorkloadSelector(labels: o.stringMap("matchLabels") ?? StringMap(mark: o.mark))
        }
    }
}

package final class Subset: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["name", "labels", "trafficPolicy"]
    package let name: Located<String>?
    package let labels: StringMap?
    package let trafficPolicy: TrafficPolicy?
    package let mark: Mark

    package init(_ o: ObjectReader) {
        name = o.string("name")
        labels = o.stringMap("labels")
        trafficPolicy = o.object("trafficPolicy")
        mark = o.mark
    }
}

package final class TrafficPolicy: Sendable, ObjectDecodable {
    package static let fields: Set<String> = [
        "loadBalancer", "connectionPool", "outlierDetection", "tls", "portLevelSettings", "tunnel", "proxyProtocol", "retryBudget",
    ]
    package let loadBalancer: LoadBalancerSettings?
    package let connectionPool: ConnectionPoolSettings?
    package let outlierDetection: OutlierDetection?
    package let tls: ClientTLSSettings?
    package let portLevelSettings: [PortTrafficPolicy]
    /// True when `tunnel`, `proxyProtocol` or `retryBudget` is written (not decoded further).
    package let hasOtherSettings: Bool
    package let mark: Mark

    package init(_ o: ObjectReader) {
        hasOtherSettings = o.has("tunnel") || o.has("proxyProtocol") || o.has("retryBudget")
        mark = o.mark
        loadBalancer = o.object("loadBalancer")
        connectionPool = o.object("connectionPool")
        outlierDetection = o.object("outlierDetection")
        tls = o.object("tls")
        portLevelSettings = o.list("portLevelSettings")
    }
}

package final class PortTrafficPolicy: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["port", "loadBalancer", "connectionPool", "outlierDetection", "tls"]
    package let port: PortSelector?
    package let loadBalancer: LoadBalancerSettings?
    package let connectionPool: ConnectionPoolSettings?
    package let outlierDetection: OutlierDetection?
    package let tls: ClientTLSSettings?
    package let mark: Mark

    package init(_ o: ObjectReader) {
        port = o.object("port")
        loadBalancer = o.object("loadBalancer")
        connectionPool = o.object("connectionPool")
        outlierDetection = o.object("outlierDetection")
        tls = o.object("tls")
        mark = o.mark
    }
}

package final class LoadBalancerSettings: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["simple", "consistentHash", "localityLbSetting", "warmupDurationSecs", "warmup"]
    package let simple: Located<String>?
    package let consistentHash: ConsistentHash?
    package let warmupDurationSecs: Located<String>?
    /// True when `localityLbSetting` or `warmup` is written (not decoded further).
    package let hasOtherSettings: Bool
    package let mark: Mark

    package init(_ o: ObjectReader) {
        hasOtherSettings = o.has("localityLbSetting") || o.has("warmup")
        simple = o.string("simple")
        consistentHash = o.object("consistentHash")
        warmupDurationSecs = o.string("warmupDurationSecs")
        mark = o.mark
    }
}

package final class ConsistentHash: Sendable, ObjectDecodable {
    package static let fields: Set<String> = [
        "httpHeaderName", "httpCookie", "useSourceIp", "httpQueryParameterName", "ringHash", "maglev", "minimumRingSize",
    ]
    package let httpHeaderName: Located<String>?
    package let httpCookie: HTTPCookie?
    package let useSourceIp: Located<Bool>?
    package let httpQueryParameterName: Located<String>?
    package let minimumRingSize: Located<Int>?
    /// `ringHash: {minimumRingSize}` when written.
    package let ringHash: RingHash?
    /// `maglev: {tableSize}` when written.
    package let maglev: Maglev?
    /// How many hash keys are set (must be exactly one).
    package let keysSet: Int
    package let mark: Mark

    package init(_ o: ObjectReader) {
        let header = o.string("httpHeaderName"), cookie = o.object("httpCookie", HTTPCookie.self)
        let sourceIP = o.bool("useSourceIp"), query = o.string("httpQueryParameterName")
        httpHeaderName = header
        httpCookie = cookie
        useSourceIp = sourceIP
        httpQueryParameterName = query
        minimumRingSize = o.int("minimumRingSize")
        ringHash = o.object("ringHash")
        maglev = o.object("maglev")
        keysSet = [header != nil, cookie != nil, sourceIP != nil, query != nil].filter { $0 }.count
        mark = o.mark
    }
}

/// Ring hash settings of a consistent hash.
package final class RingHash: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["minimumRingSize"]
    package let minimumRingSize: Located<Int>?

    package init(_ o: ObjectReader) {
        minimumRingSize = o.int("minimumRingSize")
    }
}

/// Maglev settings of a consistent hash.
package final class Maglev: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["tableSize"]
    package let tableSize: Located<Int>?

    package init(_ o: ObjectReader) {
        tableSize = o.int("tableSize")
    }
}

package final class HTTPCookie: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["name", "path", "ttl", "attributes"]
    package let name: Located<String>?
    package let path: Located<String>?
    package let ttl: Located<String>?
    /// True when `attributes` is written (not decoded further).
    package let hasAttributes: Bool

    package init(_ o: ObjectReader) {
        hasAttributes = o.has("attributes")
        name = o.string("name")
        path = o.string("path")
        ttl = o.string("ttl")
    }
}

package final class ConnectionPoolSettings: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["tcp", "http"]
    package let tcp: TCPSettings?
    package let http: HTTPSettings?

    package init(_ o: ObjectReader) {
        tcp = o.object("tcp")
        http = o.object("http")
    }
}

package final class TCPSettings: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["maxConnections", "connectTimeout", "tcpKeepalive", "maxConnectionDuration", "idleTimeout"]
    package let maxConnections: Located<Int>?
    package let connectTimeout: Located<String>?
    package let maxConnectionDuration: Located<String>?
    package let idleTimeout: Located<String>?

    package init(_ o: ObjectReader) {
        maxConnections = o.int("maxConnections")
        connectTimeout = o.string("connectTimeout")
        maxConnectionDuration = o.string("maxConnectionDuration")
        idleTimeout = o.string("idleTimeout")
        _ = o.value("tcpKeepalive")
    }
}

package final class HTTPSettings: Sendable, ObjectDecodable {
    package static let fields: Set<String> = [
        "http1MaxPendingRequests", "http2MaxRequests", "maxRequestsPerConnection", "maxRetries", "idleTimeout",
        "h2UpgradePolicy", "useClientProtocol", "maxConcurrentStreams",
    ]
    package let http1MaxPendingRequests: Located<Int>?
    package let http2MaxRequests: Located<Int>?
    package let maxRequestsPerConnection: Located<Int>?
    package let maxRetries: Located<Int>?
    package let idleTimeout: Located<String>?
    package let h2UpgradePolicy: Located<String>?
    package let maxConcurrentStreams: Located<Int>?

    package init(_ o: ObjectReader) {
        http1MaxPendingRequests = o.int("http1MaxPendingRequests")
        http2MaxRequests = o.int("http2MaxRequests")
        maxRequestsPerConnection = o.int("maxRequestsPerConnection")
        maxRetries = o.int("maxRetries")
        idleTimeout = o.string("idleTimeout")
        h2UpgradePolicy = o.string("h2UpgradePolicy")
        maxConcurrentStreams = o.int("maxConcurrentStreams")
    }
}

package final class OutlierDetection: Sendable, ObjectDecodable {
    package static let fields: Set<String> = [
        "consecutiveErrors", "consecutive5xxErrors", "consecutiveGatewayErrors", "consecutiveLocalOriginFailures",
        "splitExternalLocalOriginErrors", "interval", "baseEjectionTime", "maxEjectionPercent", "minHealthPercent",
    ]
    package let consecutive5xxErrors: Located<Int>?
    /// The deprecated `consecutiveErrors` as written (also read into `consecutive5xxErrors`).
    package let consecutiveErrors: Located<Int>?
    package let consecutiveGatewayErrors: Located<Int>?
    package let interval: Located<String>?
    package let baseEjectionTime: Located<String>?
    package let maxEjectionPercent: Located<Int>?
    package let minHealthPercent: Located<Int>?

    package init(_ o: ObjectReader) {
        consecutiveErrors = o.int("consecutiveErrors")
        consecutive5xxErrors = o.int("consecutive5xxErrors") ?? consecutiveErrors
        consecutiveGatewayErrors = o.int("consecutiveGatewayErrors")
        interval = o.string("interval")
        baseEjectionTime = o.string("baseEjectionTime")
        maxEjectionPercent = o.int("maxEjectionPercent")
        minHealthPercent = o.int("minHealthPercent")
    }
}

/// A DestinationRule's client-side TLS settings.
package final class ClientTLSSettings: Sendable, ObjectDecodable {
    package static let fields: Set<String> = [
        "mode", "clientCertificate", "privateKey", "caCertificates", "credentialName", "subjectAltNames", "sni",
        "insecureSkipVerify", "caCrl",
    ]
    package let mode: Located<String>?
    package let clientCertificate: Located<String>?
    package let privateKey: Located<String>?
    package let caCertificates: Located<String>?
    package let credentialName: Located<String>?
    package let subjectAltNames: [Located<String>]
    package let sni: Located<String>?
    package let insecureSkipVerify: Located<Bool>?
    package let mark: Mark

    package init(_ o: ObjectReader) {
        mode = o.string("mode")
        clientCertificate = o.string("clientCertificate")
        privateKey = o.string("privateKey")
        caCertificates = o.string("caCertificates")
        credentialName = o.string("credentialName")
        subjectAltNames = o.strings("subjectAltNames")
        sni = o.string("sni")
        insecureSkipVerify = o.bool("insecureSkipVerify")
        mark = o.mark
    }
}
