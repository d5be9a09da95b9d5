import MeshDiagnostics

public final class HTTPRedirect: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["uri", "authority", "port", "derivePort", "scheme", "redirectCode"]
    public let uri: Located<String>?
    public let authority: Located<String>?
    public let port: Located<Int>?
    public let derivePort: Located<String>?
    public let scheme: Located<String>?
    public let redirectCode: Located<Int>?
    public let mark: Mark

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

public final class HTTPDirectResponse: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["status", "body"]
    public let status: Located<Int>?
    public let body: HTTPBody?
    public let mark: Mark

    public init(_ o: ObjectReader) {
        status = o.int("status")
        body = o.object("body")
        mark = o.mark
    }
}

public final class HTTPBody: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["string", "bytes"]
    public let string: Located<String>?
    public let bytes: Located<String>?

    public init(_ o: ObjectReader) {
        string = o.string("string")
        bytes = o.string("bytes")
    }
}

public final class HTTPRewrite: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["uri", "authority", "uriRegexRewrite"]
    public let uri: Located<String>?
    public let authority: Located<String>?
    public let uriRegexRewrite: RegexRewrite?
    public let mark: Mark

    public init(_ o: ObjectReader) {
        uri = o.string("uri")
        authority = o.string("authority")
        uriRegexRewrite = o.object("uriRegexRewrite")
        mark = o.mark
    }
}

public final class RegexRewrite: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["match", "rewrite"]
    public let match: Located<String>?
    public let rewrite: Located<String>?

    public init(_ o: ObjectReader) {
        match = o.string("match")
        rewrite = o.string("rewrite")
    }
}

public final class HTTPRetry: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["attempts", "perTryTimeout", "retryOn", "retryRemoteLocalities"]
    public let attempts: Located<Int>?
    public let perTryTimeout: Located<String>?
    public let retryOn: Located<String>?
    public let retryRemoteLocalities: Located<Bool>?

    public init(_ o: ObjectReader) {
        attempts = o.int("attempts")
        perTryTimeout = o.string("perTryTimeout")
        retryOn = o.string("retryOn")
        retryRemoteLocalities = o.bool("retryRemoteLocalities")
    }
}

public final class HTTPFaultInjection: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["delay", "abort"]
    public let delay: FaultDelay?
    public let abort: FaultAbort?
    public let mark: Mark

    public init(_ o: ObjectReader) {
        delay = o.object("delay")
        abort = o.object("abort")
        mark = o.mark
    }
}

public final class FaultDelay: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["fixedDelay", "exponentialDelay", "percentage", "percent"]
    public let fixedDelay: Located<String>?
    public let percentage: Percent?
    public let percent: Located<Int>?
    public let mark: Mark

    public init(_ o: ObjectReader) {
        fixedDelay = o.string("fixedDelay")
        percentage = o.object("percentage")
        percent = o.int("percent")
        mark = o.mark
    }
}

public final class FaultAbort: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["httpStatus", "grpcStatus", "http2Error", "percentage"]
    public let httpStatus: Located<Int>?
    public let grpcStatus: Located<String>?
    public let percentage: Percent?
    public let mark: Mark

    public init(_ o: ObjectReader) {
        httpStatus = o.int("httpStatus")
        grpcStatus = o.string("grpcStatus")
        percentage = o.object("percentage")
        mark = o.mark
    }
}

public final class CorsPolicy: Sendable, ObjectDecodable {
    public static let fields: Set<String> = [
        "allowOrigins", "allowOrigin", "allowMethods", "allowHeaders", "exposeHeaders", "maxAge",
        "allowCredentials", "unmatchedPreflights",
    ]
    public let allowOrigins: [StringMatch]
    public let allowMethods: [Located<String>]
    public let allowHeaders: [Located<String>]
    public let exposeHeaders: [Located<String>]
    public let maxAge: Located<String>?
    public let allowCredentials: Located<Bool>?
    /// Deprecated exact origins (`allowOrigins` replaces it).
    public let allowOrigin: [Located<String>]
    /// FORWARD (the default) or IGNORE.
    public let unmatchedPreflights: Located<String>?

    public init(_ o: ObjectReader) {
        allowOrigin = o.strings("allowOrigin")
        unmatchedPreflights = o.string("unmatchedPreflights")
        allowOrigins = o.list("allowOrigins")
        allowMethods = o.strings("allowMethods")
        allowHeaders = o.strings("allowHeaders")
        exposeHeaders = o.strings("exposeHeaders")
        maxAge = o.string("maxAge")
        allowCredentials = o.bool("allowCredentials")
    }
}

/// Request and response header operations.
public final class Headers: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["request", "response"]
    public let request: HeaderOperations?
    public let response: HeaderOperations?

    public init(_ o: ObjectReader) {
        request = o.object("request")
        response = o.object("response")
    }
}

public final class HeaderOperations: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["set", "add", "remove"]
    public let set: StringMap?
    public let add: StringMap?
    public let remove: [Located<String>]

    public init(_ o: ObjectReader) {
        set = o.stringMap("set")
        add = o.stringMap("add")
        remove = o.strings("remove")
    }
}

public final class TLSRoute: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["match", "route"]
    public let match: [TLSMatchAttributes]
    public let route: [RouteDestination]
    public let mark: Mark

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

public final class TCPRoute: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["match", "route"]
    public let match: [L4MatchAttributes]
    public let route: [RouteDestination]
    public let mark: Mark

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
