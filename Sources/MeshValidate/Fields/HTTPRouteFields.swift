import MeshDiagnostics
import MeshModel

/// One HTTP route of a VirtualService (Istio's validateHTTPRoute).
extension FieldChecker {
    mutating func httpRoute(_ route: HTTPRoute, _ path: @autoclosure () -> String, delegate: Bool) {
        httpRouteConflicts(route, path(), delegate: delegate)
        for m in route.match.indices { httpMatch(route.match[m], "\(path()).match[\(m)]") }
        if let headers = route.headers {
            headerOperations(headers, path() + ".headers")
            authorityRewrite(route, path())
        }
        if let cors = route.corsPolicy { corsPolicy(cors, path() + ".corsPolicy") }
        if let fault = route.fault { faultInjection(fault, path() + ".fault") }
        if let mirror = route.mirrorPercentage, let value = mirror.value, value.value < 0 || value.value > 100 {
            fail(value.mark, path() + ".mirrorPercentage.value", "mirror percentage must be in range 0..100, found \(value.value)",
                 hint: "use a value from 0 to 100")
        }
        if let mirror = route.mirror { destination(mirror, path() + ".mirror") }
        for (i, mirror) in route.mirrors.enumerated() {
            if let destination = mirror.destination {
                self.destination(destination, "\(path()).mirrors[\(i)].destination")
            } else {
                fail(route.mark, "\(path()).mirrors[\(i)]", "destination is required for mirrors", hint: "add destination.host")
            }
            if let value = mirror.percentage?.value, value.value < 0 || value.value > 100 {
                fail(value.mark, "\(path()).mirrors[\(i)].percentage.value", "mirror percentage must be in range 0..100, found \(value.value)",
                     hint: "use a value from 0 to 100")
            }
        }
        if let redirect = route.redirect { self.redirect(redirect, path() + ".redirect") }
        if let response = route.directResponse { directResponse(response, path() + ".directResponse") }
        if let retries = route.retries { self.retries(retries, route.mark, path() + ".retries") }
        if let rewrite = route.rewrite { self.rewrite(rewrite, path() + ".rewrite") }
        routeDestinations(route.route, path() + ".route")
        duration(route.timeout, path() + ".timeout")
    }

    private mutating func httpRouteConflicts(_ route: HTTPRoute, _ path: @autoclosure () -> String, delegate: Bool) {
        let hint = "keep one of route, redirect, directResponse or delegate"
        if route.delegate != nil && !delegate {
            if let redirect = route.redirect { fail(redirect.mark, path() + ".redirect", "root HTTP route must not specify redirect", hint: hint) }
            if let first = route.route.first { fail(first.mark, path() + ".route", "root HTTP route must not specify route", hint: hint) }
            return
        }
        if route.delegate != nil {
            fail(route.mark, path() + ".delegate", "delegate HTTP route cannot contain delegate", hint: "delegate only from a root VirtualService")
        }
        if route.redirect != nil {
            if let first = route.route.first { fail(first.mark, path() + ".route", "HTTP route cannot contain both route and redirect", hint: hint) }
            if let fault = route.fault { fail(fault.mark, path() + ".fault", "HTTP route cannot contain both fault and redirect", hint: "remove fault") }
            if let rewrite = route.rewrite {
                fail(rewrite.mark, path() + ".rewrite", "HTTP route rule cannot contain both rewrite and redirect", hint: "put the new URI in redirect.uri")
            }
            if let response = route.directResponse {
                fail(response.mark, path() + ".directResponse", "HTTP route rule cannot contain both direct_response and redirect", hint: hint)
            }
        } else if route.directResponse != nil {
            if let first = route.route.first { fail(first.mark, path() + ".route", "HTTP route cannot contain both route and direct_response", hint: hint) }
            if let fault = route.fault { fail(fault.mark, path() + ".fault", "HTTP route cannot contain both fault and direct_response", hint: "remove fault") }
            if let rewrite = route.rewrite {
                fail(rewrite.mark, path() + ".rewrite", "HTTP route rule cannot contain both rewrite and direct_response", hint: "remove rewrite")
            }
        } else if route.route.isEmpty {
            fail(route.mark, path(), "HTTP route, redirect or direct_response is required", hint: "add a route with a destination")
        }
        if let mirror = route.mirror, !route.mirrors.isEmpty {
            fail(mirror.mark, path() + ".mirror", "HTTP route cannot contain both mirror and mirrors", hint: "move the mirror into mirrors")
        }
    }

    private mutating func httpMatch(_ match: HTTPMatchRequest, _ path: @autoclosure () -> String) {
        for (key, value) in match.headers {
            headerMatchName(key, "\(path()).headers")
            stringMatch(value, "\(path()).headers.\(key.value)", allowEmptyPrefix: false)
        }
        for (key, value) in match.withoutHeaders {
            headerMatchName(key, "\(path()).withoutHeaders")
            if !(value.kind == .regex && value.value?.value == "*") {
                stringMatch(value, "\(path()).withoutHeaders.\(key.value)", allowEmptyPrefix: false)
            }
        }
        if let uri = match.uri { stringMatch(uri, path() + ".uri", allowEmptyPrefix: true) }
        if let scheme = match.scheme { stringMatch(scheme, path() + ".scheme", allowEmptyPrefix: false) }
        if let method = match.method { stringMatch(method, path() + ".method", allowEmptyPrefix: false) }
        if let authority = match.authority { stringMatch(authority, path() + ".authority", allowEmptyPrefix: false) }
        for (key, value) in match.queryParams { stringMatch(value, "\(path()).queryParams.\(key.value)", allowEmptyPrefix: false) }
        port(match.port, path() + ".port")
        labels(match.sourceLabels, path() + ".sourceLabels")
        gatewayNames(match.gateways, path() + ".gateways")
        if let namespace = match.sourceNamespace, !Names.isDNS1123Label(namespace.value) {
            fail(namespace.mark, path() + ".sourceNamespace", "sourceNamespace match \(namespace.value) is invalid",
                 hint: "use a namespace name (a lower-case DNS label)")
        }
    }

    private mutating func headerMatchName(_ key: Located<String>, _ path: @autoclosure () -> String) {
        let name = key.value
        let pseudo = Self.pseudoHeaders.contains(name)
        if name.hasPrefix("@request.auth.claims") || pseudo || Names.isHeaderToken(name) { return }
        fail(key.mark, "\(path()).\(name)", name.isEmpty ? "header name cannot be empty" : "header name \(name) is not a valid header name",
             hint: "use an HTTP token like x-user (letters, digits and !#$%&'*+-.^_`|~)")
    }

    static let pseudoHeaders = [":method", ":scheme", ":authority", ":path", ":status"]

    /// Istio's validateStringMatch: one kind, non-empty prefix (except uri), an RE2 regex.
    mutating func stringMatch(_ match: StringMatch, _ path: @autoclosure () -> String, allowEmptyPrefix: Bool) {
        if match.kindsSet > 1 {
            fail(match.mark, path(), "only one of exact, prefix or regex may be set", hint: "keep one of exact, prefix, regex")
        }
        guard let kind = match.kind, let value = match.value else { return }
        if kind == .prefix && value.value.isEmpty && !allowEmptyPrefix {
            fail(value.mark, path() + ".prefix", "prefix string match should not be empty", hint: "write a prefix, or drop the match")
        }
        if kind == .regex { regex(value, path() + ".regex") }
    }

    /// A regex Envoy will compile with RE2.
    mutating func regex(_ value: Located<String>, _ path: @autoclosure () -> String) {
        let hint = "write an RE2 regex (https://github.com/google/re2/wiki/Syntax)"
        if value.value.isEmpty {
            fail(value.mark, path(), "regex string match should not be empty", hint: hint)
        } else if value.value.utf8.count > 1024 {
            fail(value.mark, path(), "regex is too large, max length allowed is 1024", hint: "shorten the regex")
        } else if let error = RE2.error(in: value.value) {
            fail(value.mark, path(), "invalid regex \"\(value.value)\": \(error)", hint: hint)
        }
    }

    /// Header names and values in request/response set, add and remove.
    mutating func headerOperations(_ headers: Headers, _ path: @autoclosure () -> String) {
        for (side, ops) in [("request", headers.request), ("response", headers.response)] {
            guard let ops else { continue }
            for (verb, map) in [("set", ops.set), ("add", ops.add)] {
                for entry in map?.entries ?? [] {
                    func fieldPath() -> String { "\(path()).\(side).\(verb).\(entry.key)" }
                    headerOperationName(entry.key, mark: entry.value.mark, fieldPath(), allowAuthority: side == "request")
                    if let error = headerValueError(entry.value.value) {
                        fail(entry.value.mark, fieldPath(), error, hint: "escape a literal % as %%; remove control characters")
                    }
                }
            }
            for (i, name) in ops.remove.enumerated() {
                headerOperationName(name.value, mark: name.mark, "\(path()).\(side).remove[\(i)]", allowAuthority: false)
            }
        }
    }

    private mutating func headerOperationName(_ name: String, mark: Mark, _ path: @autoclosure () -> String, allowAuthority: Bool) {
        let authority = name.lowercased() == ":authority" || name.lowercased() == "host"
        if name.isEmpty {
            fail(mark, path(), "header name cannot be empty", hint: "name the header")
        } else if allowAuthority && authority {
            return
        } else if name.lowercased() == "host" {
            fail(mark, path(), "invalid header \"\(name)\": cannot set Host header", hint: "rewrite the authority with rewrite.authority")
        } else if name.hasPrefix(":") {
            fail(mark, path(), "invalid header \"\(name)\": header cannot have \":\" prefix", hint: "pseudo-headers cannot be changed")
        }
    }

    /// Envoy header value syntax: no control characters, `%` only as `%%` or around a variable.
    private func headerValueError(_ value: String) -> String? {
        if value.unicodeScalars.contains(where: { ($0.value < 0x20 && $0.value != 0x09) || $0.value == 0x7f }) {
            return "header value contains control characters"
        }
        var scalars = value.unicodeScalars[...]
        while let percent = scalars.firstIndex(of: "%") {
            scalars = scalars[scalars.index(after: percent)...]
            if scalars.first == "%" { scalars = scalars.dropFirst(); continue }
            guard let close = scalars.firstIndex(of: "%") else {
                return "header value \"\(value)\" has an unterminated %VARIABLE%"
            }
            scalars = scalars[scalars.index(after: close)...]
        }
        return nil
    }

    private mutating func authorityRewrite(_ route: HTTPRoute, _ path: @autoclosure () -> String) {
        var count = route.rewrite?.authority == nil ? 0 : 1
        let request = route.headers?.request
        for entry in (request?.set?.entries ?? []) + (request?.add?.entries ?? [])
        where [":authority", "host"].contains(entry.key.lowercased()) {
            count += 1
            if count > 1 {
                fail(entry.value.mark, "\(path()).headers.request.\(entry.key)", "authority header cannot be set multiple times",
                     hint: "set the authority in one place (rewrite.authority or one header)")
            }
        }
    }
}
