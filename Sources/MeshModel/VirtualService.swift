import MeshDiagnostics

/// networking.istio.io VirtualService.
public final class VirtualServiceSpec: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["hosts", "gateways", "http", "tls", "tcp", "exportTo"]
    public let hosts: [Located<String>]
    public let gateways: [Located<String>]
    public let http: [HTTPRoute]
    public let tls: [TLSRoute]
    public let tcp: [TCPRoute]
    public let exportTo: [Located<String>]

    public init(_ o: ObjectReader) {
        hosts = o.strings("hosts")
        gateways = o.strings("gateways")
        http = o.list("http")
        tls = o.list("tls")
        tcp = o.list("tcp")
        exportTo = o.strings("exportTo")
    }
}

public final class HTTPRoute: Sendable, ObjectDecodable {
    public static let fields: Set<String> = [
        "name", "match", "route", "redirect", "directResponse", "delegate", "rewrite", "timeout", "retries",
        "fault", "mirror", "mirrors", "mirrorPercentage", "mirrorPercent", "mirror_percent", "corsPolicy", "headers",
    ]
    public let name: Located<String>?
    public let match: [HTTPMatchRequest]
    public let route: [RouteDestination]
    public let redirect: HTTPRedirect?
    public let directResponse: HTTPDirectResponse?
    public let delegate: Delegate?
    public let rewrite: HTTPRewrite?
    public let timeout: Located<String>?
    public let retries: HTTPRetry?
    public let fault: HTTPFaultInjection?
    public let mirror: Destination?
    public let mirrors: [HTTPMirrorPolicy]
    public let mirrorPercentage: Percent?
    public let corsPolicy: CorsPolicy?
    public let headers: Headers?
    public let mark: Mark

    public init(_ o: ObjectReader) {
        name = o.string("name")
        match = o.list("match")
        route = o.list("route")
        redirect = o.object("redirect")
        directResponse = o.object("directResponse")
        delegate = o.object("delegate")
        rewrite = o.object("rewrite")
        timeout = o.string("timeout")
        retries = o.object("retries")
        fault = o.object("fault")
        mirror = o.object("mirror")
        mirrors = o.list("mirrors")
        mirrorPercentage = o.object("mirrorPercentage")
        corsPolicy = o.object("corsPolicy")
        headers = o.object("headers")
        mark = o.mark
    }
}

public struct HTTPMatchRequest: Sendable, ObjectDecodable {
    public static let fields: Set<String> = [
        "name", "uri", "scheme", "method", "authority", "headers", "port", "sourceLabels", "gateways",
        "queryParams", "ignoreUriCase", "withoutHeaders", "sourceNamespace", "statPrefix",
    ]
    public var name: Located<String>?
    public var uri: StringMatch?
    public var scheme: StringMatch?
    public var method: StringMatch?
    public var authority: StringMatch?
    public var headers: [(key: Located<String>, value: StringMatch)]
    public var port: Located<Int>?
    public var sourceLabels: StringMap?
    public var gateways: [Located<String>]
    public var queryParams: [(key: Located<String>, value: StringMatch)]
    public var ignoreUriCase: Located<Bool>?
    public var withoutHeaders: [(key: Located<String>, value: StringMatch)]
    public var sourceNamespace: Located<String>?
    public var mark: Mark

    public init(_ o: ObjectReader) {
        name = o.string("name")
        uri = o.object("uri")
        scheme = o.object("scheme")
        method = o.object("method")
        authority = o.object("authority")
        headers = o.objectMap("headers")
        port = o.int("port")
        sourceLabels = o.stringMap("sourceLabels")
        gateways = o.strings("gateways")
        queryParams = o.objectMap("queryParams")
        ignoreUriCase = o.bool("ignoreUriCase")
        withoutHeaders = o.objectMap("withoutHeaders")
        sourceNamespace = o.string("sourceNamespace")
        mark = o.mark
    }

    /// True when the match constrains nothing (matches every request).
    public var isCatchAll: Bool {
        (uri == nil || uri?.isMatchAllPrefix == true) && scheme == nil && method == nil && authority == nil
            && headers.isEmpty && port == nil && sourceLabels == nil && gateways.isEmpty && queryParams.isEmpty
            && withoutHeaders.isEmpty && sourceNamespace == nil
    }
}

/// Istio's StringMatch: exactly one of exact, prefix, regex.
public struct StringMatch: Sendable, ObjectDecodable, Equatable {
    public static let fields: Set<String> = ["exact", "prefix", "regex"]
    public enum Kind: String, Sendable { case exact, prefix, regex }
    /// The first kind written (validation reports when several are).
    public var kind: Kind?
    public var value: Located<String>?
    /// How many of exact/prefix/regex were set (must be 1).
    public var kindsSet: Int
    public var mark: Mark

    public init(_ o: ObjectReader) {
        mark = o.mark
        kind = nil
        value = nil
        kindsSet = 0
        let written: [(Kind, Located<String>?)] = [(.exact, o.string("exact")), (.prefix, o.string("prefix")), (.regex, o.string("regex"))]
        for (candidate, text) in written {
            guard let text else { continue }
            kindsSet += 1
            if kind == nil { kind = candidate; value = text }
        }
    }

    /// `prefix: /` (or an empty prefix) matches every path.
    public var isMatchAllPrefix: Bool { kind == .prefix && (value?.value == "/" || value?.value == "") }
}

/// Where traffic goes: a host, optional subset and port.
public struct Destination: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["host", "subset", "port"]
    public var host: Located<String>?
    public var subset: Located<String>?
    public var port: PortSelector?
    public var mark: Mark

    public init(_ o: ObjectReader) {
        host = o.string("host")
        subset = o.string("subset")
        port = o.object("port")
        mark = o.mark
    }
}

public struct PortSelector: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["number"]
    public var number: Located<Int>?

    public init(_ o: ObjectReader) {
        number = o.int("number")
    }
}

/// A weighted destination (HTTP, TLS and TCP routes).
public struct RouteDestination: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["destination", "weight", "headers"]
    public var destination: Destination?
    public var weight: Located<Int>?
    public var headers: Headers?
    public var mark: Mark

    public init(_ o: ObjectReader) {
        destination = o.object("destination")
        weight = o.int("weight")
        headers = o.object("headers")
        mark = o.mark
    }
}

public struct Percent: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["value"]
    public var value: Located<Double>?
    public var mark: Mark

    public init(_ o: ObjectReader) {
        value = o.double("value")
        mark = o.mark
    }
}

public final class Delegate: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["name", "namespace"]
    public let name: Located<String>?
    public let namespace: Located<String>?

    public init(_ o: ObjectReader) {
        name = o.string("name")
        namespace = o.string("namespace")
    }
}

public final class HTTPMirrorPolicy: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["destination", "percentage"]
    public let destination: Destination?
    public let percentage: Percent?

    public init(_ o: ObjectReader) {
        destination = o.object("destination")
        percentage = o.object("percentage")
    }
}
