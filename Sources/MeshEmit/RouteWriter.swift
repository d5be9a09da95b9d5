import MeshDiagnostics
import MeshIR

/// Writes an Envoy v3 `VirtualHost` and its `Route`s straight to canonical
/// bytes (`JSONWriter`): a 10k-service sidecar's route configuration has
/// 10,000 hosts, and a `JSON` tree for each cost more than writing it.
/// Members go in key order by hand; `RouteRenderTests` renders every shape
/// through `JSON` again to hold them to it.
///
/// A route carries no metadata: where it comes from (VirtualService, file and
/// line) is in the IR, for `meshc route`, not in Envoy's configuration. A
/// `filter_metadata` struct on every route was a quarter of Envoy's reload of a
/// 1,000-host route configuration (48 → 36 ms, BENCHMARKS.md), and a line
/// number in it made moving a manifest's lines a change to every proxy.
enum RouteWriter {
    /// The host's routes keep their order (first match wins).
    static func virtualHost(_ host: VirtualHost, into w: inout JSONWriter) {
        w.openObject()
        w.key("domains")
        w.openArray()
        for domain in host.domains.sorted() { w.string(domain) }
        w.closeArray()
        w.key("name")
        w.string(host.name)
        if host.requireTLS {
            w.key("require_tls")
            w.string("ALL")
        }
        w.key("routes")
        w.openArray()
        // By index: a route is read in place, not copied.
        let routes = host.routes
        for index in routes.indices { self.route(routes[index], into: &w) }
        w.closeArray()
        w.closeObject()
    }

    /// Match, action, per-route fault and CORS, header changes.
    static func route(_ route: Route, into w: inout JSONWriter) {
        w.openObject()
        if case .directResponse(let status, let body) = route.action {
            w.key("direct_response")
            w.openObject()
            if let body {
                w.key("body")
                w.openObject()
                w.key("inline_string")
                w.string(body)
                w.closeObject()
            }
            w.key("status")
            w.int(status)
            w.closeObject()
        }
        w.key("match")
        match(route.match, into: &w)
        w.key("name")
        w.string(route.name)
        if case .redirect(let redirect) = route.action {
            w.key("redirect")
            self.redirect(redirect, into: &w)
        }
        headers(route.requestHeaders, request: true, into: &w)
        headers(route.responseHeaders, request: false, into: &w)
        switch route.action {
        case .cluster, .weighted:
            w.key("route")
            RouteActionWriter.action(route, into: &w)
        case .redirect, .directResponse: break
        }
        if route.fault != nil || route.cors != nil {
            w.key("typed_per_filter_config")
            w.openObject()
            if let cors = route.cors {
                w.key(quoting: EnvoyFilter.cors)
                CorsPolicyWriter.policy(cors, into: &w)
            }
            if let fault = route.fault {
                w.key(quoting: EnvoyFilter.fault)
                RouteActionWriter.fault(fault, into: &w)
            }
            w.closeObject()
        }
        w.closeObject()
    }

    static func match(_ match: RouteMatch, into w: inout JSONWriter) {
        w.openObject()
        if !match.caseSensitive {
            w.key("case_sensitive")
            w.bool(false)
        }
        if !match.headers.isEmpty {
            w.key("headers")
            w.openArray()
            for header in match.headers {
                w.openObject()
                if header.inverted {
                    w.key("invert_match")
                    w.bool(true)
                }
                matcher(header.name, header.matcher, into: &w)
                w.closeObject()
            }
            w.closeArray()
        }
        switch match.path {
        case .exact(let value): w.key("path"); w.string(value)
        case .prefix(let value): w.key("prefix"); w.string(value)
        case .regex: break
        }
        if !match.queryParameters.isEmpty {
            w.key("query_parameters")
            w.openArray()
            for parameter in match.queryParameters {
                w.openObject()
                matcher(parameter.name, parameter.matcher, into: &w)
                w.closeObject()
            }
            w.closeArray()
        }
        if case .regex(let value) = match.path {
            w.key("safe_regex")
            regex(value, into: &w)
        }
        w.closeObject()
    }

    /// A header or query parameter matcher's members: `present_match`, or a `string_match`.
    private static func matcher(_ name: String, _ matcher: StringMatcher, into w: inout JSONWriter) {
        w.key("name")
        w.string(name)
        if matcher == .present {
            w.key("present_match")
            w.bool(true)
        } else {
            w.key("string_match")
            stringMatch(matcher, into: &w)
        }
    }

    static func stringMatch(_ matcher: StringMatcher, into w: inout JSONWriter) {
        w.openObject()
        switch matcher {
        case .exact(let value): w.key("exact"); w.string(value)
        case .prefix(let value): w.key("prefix"); w.string(value)
        case .regex(let value): w.key("safe_regex"); regex(value, into: &w)
        // Any value, the empty one included (callers use `present_match` where Envoy has it).
        case .present: w.key("safe_regex"); regex(".*", into: &w)
        }
        w.closeObject()
    }

    /// A `RegexMatcher` (RE2, Envoy's only engine).
    static func regex(_ pattern: String, into w: inout JSONWriter) {
        w.openObject()
        w.key("regex")
        w.string(pattern)
        w.closeObject()
    }

    private static func redirect(_ redirect: Redirect, into w: inout JSONWriter) {
        w.openObject()
        if let host = redirect.host { w.key("host_redirect"); w.string(host) }
        if let path = redirect.path { w.key("path_redirect"); w.string(path) }
        if let port = redirect.port { w.key("port_redirect"); w.int(port) }
        w.key("response_code")
        w.string(responseCode(redirect.status))
        if let scheme = redirect.scheme { w.key("scheme_redirect"); w.string(scheme) }
        w.closeObject()
    }

    private static func responseCode(_ status: Int) -> StaticString {
        switch status {
        case 302: "FOUND"
        case 303: "SEE_OTHER"
        case 307: "TEMPORARY_REDIRECT"
        case 308: "PERMANENT_REDIRECT"
        default: "MOVED_PERMANENTLY"
        }
    }

    /// `<request|response>_headers_to_add` (`set` overwrites, `add` appends;
    /// both sorted by header name) and `…_headers_to_remove`.
    static func headers(_ ops: HeaderOperations, request: Bool, into w: inout JSONWriter) {
        guard !ops.isEmpty else { return }
        if !ops.set.isEmpty || !ops.add.isEmpty {
            w.key(request ? "request_headers_to_add" : "response_headers_to_add")
            w.openArray()
            for (name, value) in ops.set.sorted(by: { $0.key < $1.key }) { headerOption(name, value, "OVERWRITE_IF_EXISTS_OR_ADD", into: &w) }
            for (name, value) in ops.add.sorted(by: { $0.key < $1.key }) { headerOption(name, value, "APPEND_IF_EXISTS_OR_ADD", into: &w) }
            w.closeArray()
        }
        if !ops.remove.isEmpty {
            w.key(request ? "request_headers_to_remove" : "response_headers_to_remove")
            w.openArray()
            for name in ops.remove.sorted() { w.string(name) }
            w.closeArray()
        }
    }

    private static func headerOption(_ name: String, _ value: String, _ action: StaticString, into w: inout JSONWriter) {
        w.openObject()
        w.key("append_action")
        w.string(action)
        w.key("header")
        w.openObject()
        w.key("key")
        w.string(name)
        w.key("value")
        w.string(value)
        w.closeObject()
        w.closeObject()
    }

    /// A FractionalPercent out of a million (Istio's precision for percentages).
    static func percent(_ value: Double, into w: inout JSONWriter) {
        w.openObject()
        w.key("denominator")
        w.string("MILLION")
        w.key("numerator")
        w.int(Int((value * 10_000).rounded()))
        w.closeObject()
    }
}
