import MeshDiagnostics

/// networking.istio.io DestinationRule.
public final class DestinationRuleSpec: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["host", "trafficPolicy", "subsets", "exportTo", "workloadSelector"]
    public let host: Located<String>?
    public let trafficPolicy: TrafficPolicy?
    public let subsets: [Subset]
    public let exportTo: [Located<String>]
    public let workloadSelector: WorkloadSelector?

    public init(_ o: ObjectReader) {
        host = o.string("host")
        trafficPolicy = o.object("trafficPolicy")
        subsets = o.list("subsets")
        exportTo = o.strings("exportTo")
        workloadSelector = o.object("workloadSelector")
    }
}

public final class Subset: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["name", "labels", "trafficPolicy"]
    public let name: Located<String>?
    public let labels: StringMap?
    public let trafficPolicy: TrafficPolicy?
    public let mark: Mark

    public init(_ o: ObjectReader) {
        name = o.string("name")
        labels = o.stringMap("labels")
        trafficPolicy = o.object("trafficPolicy")
        mark = o.mark
    }
}

public final class TrafficPolicy: Sendable, ObjectDecodable {
    public static let fields: Set<String> = [
        "loadBalancer", "connectionPool", "outlierDetection", "tls", "portLevelSettings", "tunnel", "proxyProtocol", "retryBudget",
    ]
    public let loadBalancer: LoadBalancerSettings?
    public let connectionPool: ConnectionPoolSettings?
    public let outlierDetection: OutlierDetection?
    public let tls: ClientTLSSettings?
    public let portLevelSettings: [PortTrafficPolicy]
    /// True when `tunnel`, `proxyProtocol` or `retryBudget` is written (not decoded further).
    public let hasOtherSettings: Bool
    public let mark: Mark

    public init(_ o: ObjectReader) {
        hasOtherSettings = o.has("tunnel") || o.has("proxyProtocol") || o.has("retryBudget")
        mark = o.mark
        loadBalancer = o.object("loadBalancer")
        connectionPool = o.object("connectionPool")
        outlierDetection = o.object("outlierDetection")
        tls = o.object("tls")
        portLevelSettings = o.list("portLevelSettings")
    }
}

public final class PortTrafficPolicy: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["port", "loadBalancer", "connectionPool", "outlierDetection", "tls"]
    public let port: PortSelector?
    public let loadBalancer: LoadBalancerSettings?
    public let connectionPool: ConnectionPoolSettings?
    public let outlierDetection: OutlierDetection?
    public let tls: ClientTLSSettings?
    public let mark: Mark

    public init(_ o: ObjectReader) {
        port = o.object("port")
        loadBalancer = o.object("loadBalancer")
        connectionPool = o.object("connectionPool")
        outlierDetection = o.object("outlierDetection")
        tls = o.object("tls")
        mark = o.mark
    }
}

public final class LoadBalancerSettings: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["simple", "consistentHash", "localityLbSetting", "warmupDurationSecs", "warmup"]
    public let simple: Located<String>?
    public let consistentHash: ConsistentHash?
    public let warmupDurationSecs: Located<String>?
    /// True when `localityLbSetting` or `warmup` is written (not decoded further).
    public let hasOtherSettings: Bool
    public let mark: Mark

    public init(_ o: ObjectReader) {
        hasOtherSettings = o.has("localityLbSetting") || o.has("warmup")
        simple = o.string("simple")
        consistentHash = o.object("consistentHash")
        warmupDurationSecs = o.string("warmupDurationSecs")
        mark = o.mark
    }
}

public final class ConsistentHash: Sendable, ObjectDecodable {
    public static let fields: Set<String> = [
        "httpHeaderName", "httpCookie", "useSourceIp", "httpQueryParameterName", "ringHash", "maglev", "minimumRingSize",
    ]
    public let httpHeaderName: Located<String>?
    public let httpCookie: HTTPCookie?
    public let useSourceIp: Located<Bool>?
    public let httpQueryParameterName: Located<String>?
    public let minimumRingSize: Located<Int>?
    /// `ringHash: {minimumRingSize}` when written.
    public let ringHash: RingHash?
    /// `maglev: {tableSize}` when written.
    public let maglev: Maglev?
    /// How many hash keys are set (must be exactly one).
    public let keysSet: Int
    public let mark: Mark

    public init(_ o: ObjectReader) {
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
public final class RingHash: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["minimumRingSize"]
    public let minimumRingSize: Located<Int>?

    public init(_ o: ObjectReader) {
        minimumRingSize = o.int("minimumRingSize")
    }
}

/// Maglev settings of a consistent hash.
public final class Maglev: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["tableSize"]
    public let tableSize: Located<Int>?

    public init(_ o: ObjectReader) {
        tableSize = o.int("tableSize")
    }
}

public final class HTTPCookie: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["name", "path", "ttl", "attributes"]
    public let name: Located<String>?
    public let path: Located<String>?
    public let ttl: Located<String>?
    /// True when `attributes` is written (not decoded further).
    public let hasAttributes: Bool

    public init(_ o: ObjectReader) {
        hasAttributes = o.has("attributes")
        name = o.string("name")
        path = o.string("path")
        ttl = o.string("ttl")
    }
}

public final class ConnectionPoolSettings: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["tcp", "http"]
    public let tcp: TCPSettings?
    public let http: HTTPSettings?

    public init(_ o: ObjectReader) {
        tcp = o.object("tcp")
        http = o.object("http")
    }
}

public final class TCPSettings: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["maxConnections", "connectTimeout", "tcpKeepalive", "maxConnectionDuration", "idleTimeout"]
    public let maxConnections: Located<Int>?
    public let connectTimeout: Located<String>?
    public let maxConnectionDuration: Located<String>?
    public let idleTimeout: Located<String>?

    public init(_ o: ObjectReader) {
        maxConnections = o.int("maxConnections")
        connectTimeout = o.string("connectTimeout")
        maxConnectionDuration = o.string("maxConnectionDuration")
        idleTimeout = o.string("idleTimeout")
        _ = o.value("tcpKeepalive")
    }
}

public final class HTTPSettings: Sendable, ObjectDecodable {
    public static let fields: Set<String> = [
        "http1MaxPendingRequests", "http2MaxRequests", "maxRequestsPerConnection", "maxRetries", "idleTimeout",
        "h2UpgradePolicy", "useClientProtocol", "maxConcurrentStreams",
    ]
    public let http1MaxPendingRequests: Located<Int>?
    public let http2MaxRequests: Located<Int>?
    public let maxRequestsPerConnection: Located<Int>?
    public let maxRetries: Located<Int>?
    public let idleTimeout: Located<String>?
    public let h2UpgradePolicy: Located<String>?
    public let maxConcurrentStreams: Located<Int>?

    public init(_ o: ObjectReader) {
        http1MaxPendingRequests = o.int("http1MaxPendingRequests")
        http2MaxRequests = o.int("http2MaxRequests")
        maxRequestsPerConnection = o.int("maxRequestsPerConnection")
        maxRetries = o.int("maxRetries")
        idleTimeout = o.string("idleTimeout")
        h2UpgradePolicy = o.string("h2UpgradePolicy")
        maxConcurrentStreams = o.int("maxConcurrentStreams")
    }
}

public final class OutlierDetection: Sendable, ObjectDecodable {
    public static let fields: Set<String> = [
        "consecutiveErrors", "consecutive5xxErrors", "consecutiveGatewayErrors", "consecutiveLocalOriginFailures",
        "splitExternalLocalOriginErrors", "interval", "baseEjectionTime", "maxEjectionPercent", "minHealthPercent",
    ]
    public let consecutive5xxErrors: Located<Int>?
    public let consecutiveGatewayErrors: Located<Int>?
    public let interval: Located<String>?
    public let baseEjectionTime: Located<String>?
    public let maxEjectionPercent: Located<Int>?
    public let minHealthPercent: Located<Int>?

    public init(_ o: ObjectReader) {
        consecutive5xxErrors = o.int("consecutive5xxErrors") ?? o.int("consecutiveErrors")
        consecutiveGatewayErrors = o.int("consecutiveGatewayErrors")
        interval = o.string("interval")
        baseEjectionTime = o.string("baseEjectionTime")
        maxEjectionPercent = o.int("maxEjectionPercent")
        minHealthPercent = o.int("minHealthPercent")
    }
}

/// A DestinationRule's client-side TLS settings.
public final class ClientTLSSettings: Sendable, ObjectDecodable {
    public static let fields: Set<String> = [
        "mode", "clientCertificate", "privateKey", "caCertificates", "credentialName", "subjectAltNames", "sni",
        "insecureSkipVerify", "caCrl",
    ]
    public let mode: Located<String>?
    public let clientCertificate: Located<String>?
    public let privateKey: Located<String>?
    public let caCertificates: Located<String>?
    public let credentialName: Located<String>?
    public let subjectAltNames: [Located<String>]
    public let sni: Located<String>?
    public let insecureSkipVerify: Located<Bool>?
    public let mark: Mark

    public init(_ o: ObjectReader) {
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
