import MeshDiagnostics

package final class HTTPRedirect: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["uri", "authority", "port", "derivePort", "scheme", "redirectCode"]
    package let uri: Located<String>?
    package let authority: Located<String>?
    package let port: Located<Int>?
    package let derivePort: Located<String>?
    package let scheme: Located<String>?
    package let redirectCode: Located<Int>?
    package let mark: Mark

    package init(_ o: ObjectReader) {
        uri = o.string("uri")
        authority = o.string("authority")
        port = o.int("port")
        derivePort = o.string("derivePort")
        scheme = o.string("scheme")
        redirectCode = o.int("redirectCode")
        mark = o.mark
    }
}

package final class HTTPDirectResponse: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["status", "body"]
    package let status: Located<Int>?
    package let body: HTTPBody?
    package let mark: Mark

    package init(_ o: ObjectReader) {
        status = o.int("status")
        body = o.object("body")
        mark = o.mark
    }
}

package final class HTTPBody: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["string", "bytes"]
    package let string: Located<String>?
    package let bytes: Located<String>?

    package init(_ o: ObjectReader) {
        string = o.string("string")
        bytes = o.string("bytes")
    }
}

package final class HTTPRewrite: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["uri", "authority", "uriRegexRewrite"]
    package let uri: Located<String>?
    package let authority: Located<String>?
    package let uriRegexRewrite: RegexRewrite?
    package let mark: Mark

    package init(_ o: ObjectReader) {
        uri = o.string("uri")
        authority = o.string("authority")
        uriRegexRewrite = o.object("uriRegexRewrite")
        mark = o.mark
    }
}

package final class RegexRewrite: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["match", "rewrite"]
    package let match: Located<String>?
    package let rewrite: Located<String>?

    package init(_ o: ObjectReader) {
        match = o.string("match")
        rewrite = o.string("rewrite")
    }
}

package final class HTTPRetry: Sendable, ObjectDecodable {
    package static let fields: Set<String> = [
        "attempts", "perTryTimeout", "retryOn", "retryRemoteLocalities", "retryIgnorePreviousHosts", "backoff",
    ]
    package let attempts: Located<Int>?
    package let perTryTimeout: Located<String>?
    package let retryOn: Located<String>?
    package let retryRemoteLocalities: Located<Bool>?
    /// Istio 1.26: the previous-hosts retry predicate (read, not built).
    package let retryIgnorePreviousHosts: Located<Bool>?
    /// Istio 1.26: the minimum interval between attempts, a duration (read, not built).
    package let backoff: Located<String>?

    package init(_ o: ObjectReader) {
        attempts = o.int("attempts")
        perTryTimeout = o.string("perTryTimeout")
        retryOn = o.string("retryOn")
        retryRemoteLocalities = o.bool("retryRemoteLocalities")
        retryIgnorePreviousHosts = o.bool("retryIgnorePreviousHosts")
        backoff = o.string("backoff")
    }
}

package final class HTTPFaultInjection: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["delay", "abort"]
    package let delay: FaultDelay?
    package let abort: FaultAbort?
    package let mark: Mark

    package init(_ o: ObjectReader) {
        delay = o.object("delay")
        abort = o.object("abort")
        mark = o.mark
    }
}

package final class FaultDelay: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["fixedDelay", "exponentialDelay", "percentage", "percent"]
    package let fixedDelay: Located<String>?
    package let percentage: Percent?
    package let percent: Located<Int>?
    package let mark: Mark

    package init(_ o: ObjectReader) {
        fixedDelay = o.string("fixedDelay")
        percentage = o.object("percentage")
        percent = o.int("percent")
        mark = o.mark
    }
}

package final class FaultAbort: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["httpStatus", "grpcStatus", "http2Error", "percentage"]
    package let httpStatus: Located<Int>?
    package let grpcStatus: Located<String>?
    /// `http2Error`, which Istio refuses ("not supported yet").
    package let http2Error: Located<String>?
    package let percentage: Percent?
    package let mark: Mark

    package init(_ o: ObjectReader) {
        httpStatus = o.int("httpStatus")
        grpcStatus = o.string("grpcStatus")
        http2Error = o.string("http2Error")
        percentage = o.object("percentage")
        mark = o.mark
    }
}

package final class CorsPolicy: Sendable, ObjectDecodable {
    package static let fields: Set<String> = [
        "allowOrigins", "allowOrigin", "allowMethods", "allowHeaders", "exposeHeaders", "maxAge",
        "allowCredentials", "unmatchedPreflights",
    ]
    package let allowOrigins: [StringMatch]
    package let allowMethods: [Located<String>]
    package let allowHeaders: [Located<String>]
    package let exposeHeaders: [Located<String>]
    package let maxAge: Located<String>?
    package let allowCredentials: Located<Bool>?
    /// Deprecated exact origins (`allowOrigins` replaces it).
    package let allowOrigin: [Located<String>]
    /// FORWARD (the default) or IGNORE.
    package let unmatchedPreflights: Located<String>?

    package init(_ o: ObjectReader) {
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
package final class Headers: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["request", "response"]
    package let request: HeaderOperations?
    package let response: HeaderOperations?

    package init(_ o: ObjectReader) {
        request = o.object("request")
        response = o.object("response")
    }
}

package final class HeaderOperations: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["set", "add", "remove"]
    package let set: StringMap?
    package let add: StringMap?
    package let remove: [Located<String>]

    package init(_ o: ObjectReader) {
        set = o.stringMap("set")
        add = o.stringMap("add")
        remove = o.strings("remove")
    }
}

package final class TLSRoute: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["match", "route"]
    package let match: [TLSMatchAttributes]
    package let route: [RouteDestination]
    package let mark: Mark

    package init(_ o: ObjectReader) {
        match = o.list("match")
        route = o.list("route")
        mark = o.mark
    }
}

package struct TLSMatchAttributes: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["sniHosts", "destinationSubnets", "port", "sourceLabels", "gateways", "sourceNamespace"]
    package var sniHosts: [Located<String>]
    package var destinationSubnets: [Located<String>]
    package var port: Located<Int>?
    package var gateways: [Located<String>]
    package var sourceLabels: StringMap?
    package var sourceNamespace: Located<String>?
    package var mark: Mark

    package init(_ o: ObjectReader) {
        sniHosts = o.strings("sniHosts")
        destinationSubnets = o.strings("destinationSubnets")
        port = o.int("port")
        gateways = o.strings("gateways")
        sourceLabels = o.stringMap("sourceLabels")
        sourceNamespace = o.string("sourceNamespace")
        mark = o.mark
    }
}

package final class TCPRoute: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["match", "route"]
    package let match: [L4MatchAttributes]
    package let route: [RouteDestination]
    package let mark: Mark

    package init(_ o: ObjectReader) {
        match = o.list("match")
        route = o.list("route")
        mark = o.mark
    }
}

package struct L4MatchAttributes: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["destinationSubnets", "port", "sourceSubnet", "sourceLabels", "gateways", "sourceNamespace"]
    package var destinationSubnets: [Located<String>]
    package var port: Located<Int>?
    package var gateways: [Located<String>]
    package var sourceSubnet: Located<String>?
    package var sourceLabels: StringMap?
    package var sourceNamespace: Located<String>?
    package var mark: Mark

    package init(_ o: ObjectReader) {
        destinationSubnets = o.strings("destinationSubnets")
        port = o.int("port")
        gateways = o.strings("gateways")
        sourceSubnet = o.string("sourceSubnet")
        sourceLabels = o.stringMap("sourceLabels")
        sourceNamespace = o.string("sourceNamespace")
        mark = o.mark
    }
}
