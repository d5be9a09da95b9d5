import MeshDiagnostics

public struct HTTPRedirect: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["uri", "authority", "port", "derivePort", "scheme", "redirectCode"]
    public var uri: Located<String>?
    public var authority: Located<String>?
    public var port: Located<Int>?
    public var derivePort: Located<String>?
    public var scheme: Located<String>?
    public var redirectCode: Located<Int>?
    public var mark: Mark

    public init(_ o: ObjectReader) {
        uri = o.string("uri")
        authority = o.string("authority")
        port = o.int("port")
        derivePort = o.string("derivePort")
        scheme = o.string("scheme")
        redirectCode = o.int("redirectCode")
        mark = o.mark
    }
}

public struct HTTPDirectResponse: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["status", "body"]
    public var status: Located<Int>?
    public var body: HTTPBody?
    public var mark: Mark

    public init(_ o: ObjectReader) {
        status = o.int("status")
        body = o.object("body")
        mark = o.mark
    }
}

public struct HTTPBody: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["string", "bytes"]
    public var string: Located<String>?
    public var bytes: Located<String>?

    public init(_ o: ObjectReader) {
        string = o.string("string")
        bytes = o.string("bytes")
    }
}

public struct HTTPRewrite: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["uri", "authority", "uriRegexRewrite"]
    public var uri: Located<String>?
    public var authority: Located<String>?
    public var uriRegexRewrite: RegexRewrite?
    public var mark: Mark

    public init(_ o: ObjectReader) {
        uri = o.string("uri")
        authority = o.string("authority")
        uriRegexRewrite = o.object("uriRegexRewrite")
        mark = o.mark
    }
}

public struct RegexRewrite: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["match", "rewrite"]
    public var match: Located<String>?
    public var rewrite: Located<String>?

    public init(_ o: ObjectReader) {
        match = o.string("match")
        rewrite = o.string("rewrite")
    }
}

public struct HTTPRetry: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["attempts", "perTryTimeout", "retryOn", "retryRemoteLocalities"]
    public var attempts: Located<Int>?
    public var perTryTimeout: Located<String>?
    public var retryOn: Located<String>?
    public var retryRemoteLocalities: Located<Bool>?

    public init(_ o: ObjectReader) {
        attempts = o.int("attempts")
        perTryTimeout = o.string("perTryTimeout")
        retryOn = o.string("retryOn")
        retryRemoteLocalities = o.bool("retryRemoteLocalities")
    }
}

public struct HTTPFaultInjection: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["delay", "abort"]
    public var delay: FaultDelay?
    public var abort: FaultAbort?
    public var mark: Mark

    public init(_ o: ObjectReader) {
        delay = o.object("delay")
        abort = o.object("abort")
        mark = o.mark
    }
}

public struct FaultDelay: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["fixedDelay", "exponentialDelay", "percentage", "percent"]
    public var fixedDelay: Located<String>?
    public var percentage: Percent?
    public var percent: Located<Int>?
    public var mark: Mark

    public init(_ o: ObjectReader) {
        fixedDelay = o.string("fixedDelay")
        percentage = o.object("percentage")
        percent = o.int("percent")
        mark = o.mark
    }
}

public struct FaultAbort: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["httpStatus", "grpcStatus", "http2Error", "percentage"]
    public var httpStatus: Located<Int>?
    public var grpcStatus: Located<String>?
    public var percentage: Percent?
    public var mark: Mark

    public init(_ o: ObjectReader) {
        httpStatus = o.int("httpStatus")
        grpcStatus = o.string("grpcStatus")
        percentage = o.object("percentage")
        mark = o.mark
    }
}

public struct CorsPolicy: Sendable, ObjectDecodable {
    public static let fields: Set<String> = [
        "allowOrigins", "allowOrigin", "allowMethods", "allowHeaders", "exposeHeaders", "maxAge",
        "allowCredentials", "unmatchedPreflights",
    ]
    public var allowOrigins: [StringMatch]
    public var allowMethods: [Located<String>]
    public var allowHeaders: [Located<String>]
    public var exposeHeaders: [Located<String>]
    public var maxAge: Located<String>?
    public var allowCredentials: Located<Bool>?

    public init(_ o: ObjectReader) {
        allowOrigins = o.list("allowOrigins")
        allowMethods = o.strings("allowMethods")
        allowHeaders = o.strings("allowHeaders")
        exposeHeaders = o.strings("exposeHeaders")
        maxAge = o.string("maxAge")
        allowCredentials = o.bool("allowCredentials")
    }
}

/// Request and response header operations.
public struct Headers: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["request", "response"]
    public var request: HeaderOperations?
    public var response: HeaderOperations?

    public init(_ o: ObjectReader) {
        request = o.object("request")
        response = o.object("response")
    }
}

public struct HeaderOperations: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["set", "add", "remove"]
    public var set: StringMap?
    public var add: StringMap?
    public var remove: [Located<String>]

    public init(_ o: ObjectReader) {
        set = o.stringMap("set")
        add = o.stringMap("add")
        remove = o.strings("remove")
    }
}

public struct TLSRoute: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["match", "route"]
    public var match: [TLSMatchAttributes]
    public var route: [RouteDestination]
    public var mark: Mark

    public init(_ o: ObjectReader) {
        match = o.list("match")
        route = o.list("route")
        mark = o.mark
    }
}

public struct TLSMatchAttributes: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["sniHosts", "destinationSubnets", "port", "sourceLabels", "gateways", "sourceNamespace"]
    public var sniHosts: [Located<String>]
    public var destinationSubnets: [Located<String>]
    public var port: Located<Int>?
    public var gateways: [Located<String>]

    public init(_ o: ObjectReader) {
        sniHosts = o.strings("sniHosts")
        destinationSubnets = o.strings("destinationSubnets")
        port = o.int("port")
        gateways = o.strings("gateways")
    }
}

public struct TCPRoute: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["match", "route"]
    public var match: [L4MatchAttributes]
    public var route: [RouteDestination]
    public var mark: Mark

    public init(_ o: ObjectReader) {
        match = o.list("match")
        route = o.list("route")
        mark = o.mark
    }
}

public struct L4MatchAttributes: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["destinationSubnets", "port", "sourceSubnet", "sourceLabels", "gateways", "sourceNamespace"]
    public var destinationSubnets: [Located<String>]
    public var port: Located<Int>?
    public var gateways: [Located<String>]

    public init(_ o: ObjectReader) {
        destinationSubnets = o.strings("destinationSubnets")
        port = o.int("port")
        gateways = o.strings("gateways")
    }
}
