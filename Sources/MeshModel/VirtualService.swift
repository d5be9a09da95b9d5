import MeshDiagnostics

/// networking.istio.io VirtualService.
package final class VirtualServiceSpec: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["hosts", "gateways", "http", "tls", "tcp", "exportTo"]
    package let hosts: [Located<String>]
    package let gateways: [Located<String>]
    package let http: [HTTPRoute]
    package let tls: [TLSRoute]
    package let tcp: [TCPRoute]
    package let exportTo: [Located<String>]
    /// Every destination that names a host, in route order (`SitedDestination`).
    package let sitedDestinations: [SitedDestination]
    /// Every `gateways` entry of a route match, in order (`MatchGatewayRef`).
    package let matchGateways: [MatchGatewayRef]

    package init(_ o: ObjectReader) {
        hosts = o.strings("hosts")
        gateways = o.strings("gateways")
        http = o.list("http")
        tls = o.list("tls")
        tcp = o.list("tcp")
        exportTo = o.strings("exportTo")
        sitedDestinations = Self.sitedDestinations(http: http, tls: tls, tcp: tcp)
        matchGateways = Self.matchGateways(http: http, tls: tls, tcp: tcp)
    }
}

package final class HTTPRoute: Sendable, ObjectDecodable {
    package static let fields: Set<String> = [
        "name", "match", "route", "redirect", "directResponse", "delegate", "rewrite", "timeout", "retries",
        "fault", "mirror", "mirrors", "mirrorPercentage", "mirrorPercent", "corsPolicy", "headers",
        // Istio's CRD also takes the proto name of mirrorPercent (`+kubebuilder:altName=mirror_percent`).
        "mirror_percent",
    ]
    package let name: Located<String>?
    package let match: [HTTPMatchRequest]
    package let route: [RouteDestination]
    package let redirect: HTTPRedirect?
    package let directResponse: HTTPDirectResponse?
    package let delegate: Delegate?
    package let rewrite: HTTPRewrite?
    package let timeout: Located<String>?
    package let retries: HTTPRetry?
    package let fault: HTTPFaultInjection?
    package let mirror: Destination?
    package let mirrors: [HTTPMirrorPolicy]
    package let mirrorPercentage: Percent?
    /// Deprecated `mirrorPercent` (`mirror_percent`); Istio warns and still reads it (IST0133).
    package let mirrorPercent: Located<Int>?
    package let corsPolicy: CorsPolicy?
    package let headers: Headers?
    package let mark: Mark

    package init(_ o: ObjectReader) {
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
        mirrorPercent = o.int("mirrorPercent") ?? o.int("mirror_percent")
        corsPolicy = o.object("corsPolicy")
        headers = o.object("headers")
        mark = o.mark
    }
}

/// A class: a rule's matches are read by lint, the analyzers and the compiler, and a copy is then one reference.
package final class HTTPMatchRequest: Sendable, ObjectDecodable {
    package static let fields: Set<String> = [
        "name", "uri", "scheme", "method", "authority", "headers", "port", "sourceLabels", "gateways",
        "queryParams", "ignoreUriCase", "withoutHeaders", "sourceNamespace", "statPrefix",
    ]
    package let name: Located<String>?
    package let uri: StringMatch?
    package let scheme: StringMatch?
    package let method: StringMatch?
    package let authority: StringMatch?
    package let headers: [(key: Located<String>, value: StringMatch)]
    package let port: Located<Int>?
    package let sourceLabels: StringMap?
    package let gateways: [Located<String>]
    package let queryParams: [(key: Located<String>, value: StringMatch)]
    package let ignoreUriCase: Located<Bool>?
    package let withoutHeaders: [(key: Located<String>, value: StringMatch)]
    package let sourceNamespace: Located<String>?
    package let mark: Mark

    package init(_ o: ObjectReader) {
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
    package var isCatchAll: Bool {
        (uri == nil || uri?.isMatchAllPrefix == true) && scheme == nil && method == nil && authority == nil
            && headers.isEmpty && port == nil && sourceLabels == nil && gateways.isEmpty && queryParams.isEmpty
            && withoutHeaders.isEmpty && sourceNamespace == nil
    }
}

/// Istio's StringMatch: exactly one of exact, prefix, regex.
package struct StringMatch: Sendable, ObjectDecodable, Equatable {
    package static let fields: Set<String> = ["exact", "prefix", "regex"]
    package enum Kind: String, Sendable { case exact, prefix, regex }
    /// The first kind written (validation reports when several are).
    package var kind: Kind?
    package var value: Located<String>?
    /// How many of exact/prefix/regex were set (must be 1).
    package var kindsSet: Int
    package var mark: Mark

    package init(_ o: ObjectReader) {
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
    package var isMatchAllPrefix: Bool { kind == .prefix && (value?.value == "/" || value?.value == "") }
}

/// Where traffic goes: a host, optional subset and port.
package struct Destination: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["host", "subset", "port"]
    package var host: Located<String>?
    package var subset: Located<String>?
    package var port: PortSelector?
    package var mark: Mark

    package init(_ o: ObjectReader) {
        host = o.string("host")
        subset = o.string("subset")
        port = o.object("port")
        mark = o.mark
    }
}

package struct PortSelector: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["number"]
    package var number: Located<Int>?

    package init(_ o: ObjectReader) {
        number = o.int("number")
    }
}

/// A weighted destination (HTTP, TLS and TCP routes): Istio's
/// HTTPRouteDestination and RouteDestination in one type. `headers` is
/// HTTPRouteDestination's only: one shared type means a TLS or TCP route's
/// destination accepts it too, where Istio's schema does not.
package struct RouteDestination: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["destination", "weight", "headers"]
    package var destination: Destination?
    package var weight: Located<Int>?
    package var headers: Headers?
    package var mark: Mark

    package init(_ o: ObjectReader) {
        destination = o.object("destination")
        weight = o.int("weight")
        headers = o.object("headers")
        mark = o.mark
    }
}

package struct Percent: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["value"]
    package var value: Located<Double>?
    package var mark: Mark

    package init(_ o: ObjectReader) {
        value = o.double("value")
        mark = o.mark
    }
}

package final class Delegate: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["name", "namespace"]
    package let name: Located<String>?
    package let namespace: Located<String>?

    package init(_ o: ObjectReader) {
        name = o.string("name")
        namespace = o.string("namespace")
    }
}

package final class HTTPMirrorPolicy: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["destination", "percentage"]
    package let destination: Destination?
    package let percentage: Percent?

    package init(_ o: ObjectReader) {
        destination = o.object("destination")
        percentage = o.object("percentage")
    }
}
