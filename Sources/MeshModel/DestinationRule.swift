import MeshDiagnostics

/// networking.istio.io DestinationRule.
public struct DestinationRuleSpec: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["host", "trafficPolicy", "subsets", "exportTo", "workloadSelector"]
    public var host: Located<String>?
    public var trafficPolicy: TrafficPolicy?
    public var subsets: [Subset]
    public var exportTo: [Located<String>]
    public var workloadSelector: WorkloadSelector?

    public init(_ o: ObjectReader) {
        host = o.string("host")
        trafficPolicy = o.object("trafficPolicy")
        subsets = o.list("subsets")
        exportTo = o.strings("exportTo")
        workloadSelector = o.object("workloadSelector")
    }
}

public struct Subset: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["name", "labels", "trafficPolicy"]
    public var name: Located<String>?
    public var labels: StringMap?
    public var trafficPolicy: TrafficPolicy?
    public var mark: Mark

    public init(_ o: ObjectReader) {
        name = o.string("name")
        labels = o.stringMap("labels")
        trafficPolicy = o.object("trafficPolicy")
        mark = o.mark
    }
}

public struct TrafficPolicy: Sendable, ObjectDecodable {
    public static let fields: Set<String> = [
        "loadBalancer", "connectionPool", "outlierDetection", "tls", "portLevelSettings", "tunnel", "proxyProtocol", "retryBudget",
    ]
    public var loadBalancer: LoadBalancerSettings?
    public var connectionPool: ConnectionPoolSettings?
    public var outlierDetection: OutlierDetection?
    public var tls: ClientTLSSettings?
    public var portLevelSettings: [PortTrafficPolicy]

    public init(_ o: ObjectReader) {
        loadBalancer = o.object("loadBalancer")
        connectionPool = o.object("connectionPool")
        outlierDetection = o.object("outlierDetection")
        tls = o.object("tls")
        portLevelSettings = o.list("portLevelSettings")
    }
}

public struct PortTrafficPolicy: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["port", "loadBalancer", "connectionPool", "outlierDetection", "tls"]
    public var port: PortSelector?
    public var loadBalancer: LoadBalancerSettings?
    public var connectionPool: ConnectionPoolSettings?
    public var outlierDetection: OutlierDetection?
    public var tls: ClientTLSSettings?
    public var mark: Mark

    public init(_ o: ObjectReader) {
        port = o.object("port")
        loadBalancer = o.object("loadBalancer")
        connectionPool = o.object("connectionPool")
        outlierDetection = o.object("outlierDetection")
        tls = o.object("tls")
        mark = o.mark
    }
}

public struct LoadBalancerSettings: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["simple", "consistentHash", "localityLbSetting", "warmupDurationSecs", "warmup"]
    public var simple: Located<String>?
    public var consistentHash: ConsistentHash?
    public var warmupDurationSecs: Located<String>?
    public var mark: Mark

    public init(_ o: ObjectReader) {
        simple = o.string("simple")
        consistentHash = o.object("consistentHash")
        warmupDurationSecs = o.string("warmupDurationSecs")
        mark = o.mark
    }
}

public struct ConsistentHash: Sendable, ObjectDecodable {
    public static let fields: Set<String> = [
        "httpHeaderName", "httpCookie", "useSourceIp", "httpQueryParameterName", "ringHash", "maglev", "minimumRingSize",
    ]
    public var httpHeaderName: Located<String>?
    public var httpCookie: HTTPCookie?
    public var useSourceIp: Located<Bool>?
    public var httpQueryParameterName: Located<String>?
    public var minimumRingSize: Located<Int>?
    /// How many hash keys are set (must be exactly one).
    public var keysSet: Int
    public var mark: Mark

    public init(_ o: ObjectReader) {
        httpHeaderName = o.string("httpHeaderName")
        httpCookie = o.object("httpCookie")
        useSourceIp = o.bool("useSourceIp")
        httpQueryParameterName = o.string("httpQueryParameterName")
        minimumRingSize = o.int("minimumRingSize")
        keysSet = [httpHeaderName != nil, httpCookie != nil, useSourceIp != nil, httpQueryParameterName != nil].filter { $0 }.count
        mark = o.mark
    }
}

public struct HTTPCookie: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["name", "path", "ttl", "attributes"]
    public var name: Located<String>?
    public var path: Located<String>?
    public var ttl: Located<String>?

    public init(_ o: ObjectReader) {
        name = o.string("name")
        path = o.string("path")
        ttl = o.string("ttl")
    }
}

public struct ConnectionPoolSettings: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["tcp", "http"]
    public var tcp: TCPSettings?
    public var http: HTTPSettings?

    public init(_ o: ObjectReader) {
        tcp = o.object("tcp")
        http = o.object("http")
    }
}

public struct TCPSettings: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["maxConnections", "connectTimeout", "tcpKeepalive", "maxConnectionDuration", "idleTimeout"]
    public var maxConnections: Located<Int>?
    public var connectTimeout: Located<String>?
    public var maxConnectionDuration: Located<String>?
    public var idleTimeout: Located<String>?

    public init(_ o: ObjectReader) {
        maxConnections = o.int("maxConnections")
        connectTimeout = o.string("connectTimeout")
        maxConnectionDuration = o.string("maxConnectionDuration")
        idleTimeout = o.string("idleTimeout")
        _ = o.value("tcpKeepalive")
    }
}

public struct HTTPSettings: Sendable, ObjectDecodable {
    public static let fields: Set<String> = [
        "http1MaxPendingRequests", "http2MaxRequests", "maxRequestsPerConnection", "maxRetries", "idleTimeout",
        "h2UpgradePolicy", "useClientProtocol", "maxConcurrentStreams",
    ]
    public var http1MaxPendingRequests: Located<Int>?
    public var http2MaxRequests: Located<Int>?
    public var maxRequestsPerConnection: Located<Int>?
    public var maxRetries: Located<Int>?
    public var idleTimeout: Located<String>?
    public var h2UpgradePolicy: Located<String>?
    public var maxConcurrentStreams: Located<Int>?

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

public struct OutlierDetection: Sendable, ObjectDecodable {
    public static let fields: Set<String> = [
        "consecutiveErrors", "consecutive5xxErrors", "consecutiveGatewayErrors", "consecutiveLocalOriginFailures",
        "splitExternalLocalOriginErrors", "interval", "baseEjectionTime", "maxEjectionPercent", "minHealthPercent",
    ]
    public var consecutive5xxErrors: Located<Int>?
    public var consecutiveGatewayErrors: Located<Int>?
    public var interval: Located<String>?
    public var baseEjectionTime: Located<String>?
    public var maxEjectionPercent: Located<Int>?
    public var minHealthPercent: Located<Int>?

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
public struct ClientTLSSettings: Sendable, ObjectDecodable {
    public static let fields: Set<String> = [
        "mode", "clientCertificate", "privateKey", "caCertificates", "credentialName", "subjectAltNames", "sni",
        "insecureSkipVerify", "caCrl",
    ]
    public var mode: Located<String>?
    public var clientCertificate: Located<String>?
    public var privateKey: Located<String>?
    public var caCertificates: Located<String>?
    public var credentialName: Located<String>?
    public var subjectAltNames: [Located<String>]
    public var sni: Located<String>?
    public var insecureSkipVerify: Located<Bool>?
    public var mark: Mark

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
