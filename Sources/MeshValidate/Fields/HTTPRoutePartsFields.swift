import MeshDiagnostics
import MeshModel

/// The parts of an HTTP route: CORS, fault injection, redirect, direct
/// response, retries and rewrite (Istio's validateHTTP* functions).
extension FieldChecker {
    mutating func corsPolicy(_ cors: CorsPolicy, _ path: @autoclosure () -> String) {
        for (i, origin) in cors.allowOrigins.enumerated() {
            func originPath() -> String { "\(path()).allowOrigins[\(i)]" }
            if origin.value?.value.isEmpty ?? true {
                fail(origin.value?.mark ?? origin.mark, originPath(), "empty value is not a valid match for CORS allow origins",
                     hint: "write exact, prefix or regex with a value")
            } else {
                stringMatch(origin, originPath(), allowEmptyPrefix: true)
            }
        }
        let methods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "CONNECT", "OPTIONS", "TRACE", "*"]
        for (i, method) in cors.allowMethods.enumerated() where !methods.contains(method.value) {
            fail(method.mark, "\(path()).allowMethods[\(i)]", "\"\(method.value)\" is not a supported HTTP method",
                 hint: "use GET, HEAD, POST, PUT, PATCH, DELETE, CONNECT, OPTIONS, TRACE or * (upper case)")
        }
        for (field, names) in [("allowHeaders", cors.allowHeaders), ("exposeHeaders", cors.exposeHeaders)] {
            for (i, name) in names.enumerated() where name.value != "*" && !Names.isHeaderToken(name.value) {
                fail(name.mark, "\(path()).\(field)[\(i)]",
                     name.value.isEmpty ? "header name cannot be empty" : "header name \(name.value) is not a valid header name",
                     hint: "use an HTTP token like x-request-id, or *")
            }
        }
        duration(cors.maxAge, path() + ".maxAge", secondsPrecision: true)
    }

    mutating func faultInjection(_ fault: HTTPFaultInjection, _ path: @autoclosure () -> String) {
        if fault.abort == nil && fault.delay == nil {
            fail(fault.mark, path(), "HTTP fault injection must have an abort and/or a delay", hint: "add abort or delay, or remove fault")
        }
        if let abort = fault.abort {
            percentage(abort.percentage, path() + ".abort.percentage")
            if let status = abort.httpStatus {
                if !(200...599).contains(status.value) {
                    fail(status.mark, path() + ".abort.httpStatus", "HTTP status \(status.value) is not in range 200-599",
                         hint: "use an HTTP status like 503")
                }
            } else if let status = abort.grpcStatus {
                if !Self.grpcStatuses.contains(status.value) {
                    fail(status.mark, path() + ".abort.grpcStatus", "gRPC status \"\(status.value)\" is not supported",
                         hint: "use a gRPC status name like UNAVAILABLE or NOT_FOUND")
                }
            } else if let http2 = abort.http2Error {
                fail(http2.mark, path() + ".abort.http2Error", "HTTP/2 abort fault injection not supported yet",
                     hint: "abort with httpStatus or grpcStatus")
            } else {
                // Istio accepts it with a warning; the abort does nothing (meshc build leaves it out).
                warn(abort.mark, path() + ".abort", "abort configured, but error type not set", hint: "add httpStatus: 503")
            }
        }
        if let delay = fault.delay {
            percentage(delay.percentage, path() + ".delay.percentage")
            if let fixed = delay.fixedDelay {
                duration(fixed, path() + ".delay.fixedDelay")
            } else {
                fail(delay.mark, path() + ".delay", "delay needs fixedDelay", hint: "add fixedDelay: 5s")
            }
        }
    }

    static let grpcStatuses: Set<String> = [
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
        "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED",
        "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
    ]

    mutating func redirect(_ redirect: HTTPRedirect, _ path: @autoclosure () -> String) {
        if redirect.uri == nil && redirect.authority == nil && redirect.port == nil && redirect.derivePort == nil && redirect.scheme == nil {
            fail(redirect.mark, path(), "redirect must specify URI, authority, scheme, or port", hint: "add uri: or authority:")
        }
        if let code = redirect.redirectCode, ![301, 302, 303, 307, 308].contains(code.value) {
            fail(code.mark, path() + ".redirectCode", "\(code.value) is not a redirect code Envoy supports",
                 hint: "use 301, 302, 303, 307 or 308")
        }
        if let scheme = redirect.scheme, scheme.value != "http" && scheme.value != "https" {
            fail(scheme.mark, path() + ".scheme", "invalid redirect scheme \"\(scheme.value)\"", hint: "use http or https")
        }
        if let port = redirect.port, port.value != 0 { self.port(port, path() + ".port") }
        enumValue(redirect.derivePort, ["FROM_PROTOCOL_DEFAULT", "FROM_REQUEST_PORT"], path() + ".derivePort", what: "derivePort")
        if let port = redirect.port, let derive = redirect.derivePort {
            fail(derive.mark, path() + ".derivePort", "only one of port and derivePort may be set (found port \(port.value))",
                 hint: "keep port or derivePort")
        }
    }

    mutating func directResponse(_ response: HTTPDirectResponse, _ path: @autoclosure () -> String) {
        let status = response.status ?? Located(0, at: response.mark)
        if !(200...599).contains(status.value) {
            fail(status.mark, path() + ".status", "HTTP status \(status.value) is not in range 200-599", hint: "use a status like 200 or 404")
        }
        let size = max(response.body?.string?.value.utf8.count ?? 0, response.body?.bytes?.value.utf8.count ?? 0)
        if size > 1024 * 1024 {
            fail(response.mark, path() + ".body", "large direct_responses may impact control plane performance, must be less than 1MB",
                 hint: "serve large bodies from a backend")
        }
    }

    mutating func retries(_ retries: HTTPRetry, _ routeMark: Mark, _ path: @autoclosure () -> String) {
        let attempts = retries.attempts?.value ?? 0
        if let value = retries.attempts, value.value < 0 {
            fail(value.mark, path() + ".attempts", "attempts cannot be negative", hint: "use 0 to disable retries, or a positive count")
        }
        if attempts == 0 && (retries.perTryTimeout != nil || retries.retryOn != nil || retries.retryRemoteLocalities != nil) {
            fail(retries.attempts?.mark ?? routeMark, path() + ".attempts", "http retry policy configured when attempts are set to 0 (disabled)",
                 hint: "set attempts above 0, or remove the other retry settings")
        }
        duration(retries.perTryTimeout, path() + ".perTryTimeout")
        if let retryOn = retries.retryOn, !Self.isRetryOnList(retryOn.value) {
            for policy in retryOn.value.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            where !Self.retryOnPolicies.contains(policy) && !Self.isKnownStatus(policy) {
                fail(retryOn.mark, path() + ".retryOn", "\"\(policy)\" is not a valid retryOn policy",
                     hint: "use policies like 5xx,gateway-error,connect-failure,refused-stream or HTTP status codes")
            }
        }
    }

    static let retryOnPolicies: Set<String> = [
        "5xx", "gateway-error", "reset", "reset-before-request", "connect-failure", "retriable-4xx", "refused-stream",
        "retriable-status-codes", "retriable-headers", "envoy-ratelimited", "http3-post-connect-failure",
        "cancelled", "deadline-exceeded", "internal", "resource-exhausted", "unavailable",
    ]

    /// The valid case over bytes: comma-separated known policies and plain status codes.
    static func isRetryOnList(_ text: String) -> Bool {
        Names.withBytes(text) { bytes in
            var start = 0
            for end in 0...bytes.count where end == bytes.count || bytes[end] == UInt8(ascii: ",") {
                let policy = bytes[start..<end]
                let known = retryOnPolicyBytes.contains { $0.count == policy.count && $0.elementsEqual(policy) }
                guard known || isKnownStatus(policy) else { return false }
                start = end + 1
            }
            return true
        }
    }

    private static let retryOnPolicyBytes = retryOnPolicies.map { Array($0.utf8) }

    /// A status code of 1–3 ASCII digits Go's http.StatusText knows.
    private static func isKnownStatus(_ digits: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        guard (1...3).contains(digits.count), digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return false }
        return isKnownStatus(code: digits.reduce(0) { $0 * 10 + Int($1 - 48) })
    }

    /// Status codes Go's http.StatusText knows (Istio accepts them in retryOn).
    static func isKnownStatus(_ text: String) -> Bool {
        guard let code = Int(text) else { return false }
        return isKnownStatus(code: code)
    }

    private static func isKnownStatus(code: Int) -> Bool {
        switch code {
        case 100...103, 200...208, 226, 300...305, 307, 308, 400...418, 421...426, 428, 429, 431, 451, 500...508, 510, 511: return true
        default: return false
        }
    }

    mutating func rewrite(_ rewrite: HTTPRewrite, _ path: @autoclosure () -> String) {
        if rewrite.uri != nil && rewrite.uriRegexRewrite != nil {
            fail(rewrite.mark, path(), "rewrite may only contain one of URI or UriRegexRewrite", hint: "keep uri or uriRegexRewrite")
        }
        if rewrite.uri == nil && rewrite.uriRegexRewrite == nil && rewrite.authority == nil {
            fail(rewrite.mark, path(), "rewrite must specify at least one of URI, UriRegexRewrite, or authority",
                 hint: "add uri:, uriRegexRewrite: or authority:, or remove rewrite")
        }
        if let regexRewrite = rewrite.uriRegexRewrite {
            guard let match = regexRewrite.match, !match.value.isEmpty, !(regexRewrite.rewrite?.value.isEmpty ?? true) else {
                fail(rewrite.mark, path() + ".uriRegexRewrite", "UriRegexRewrite requires both Rewrite and Match fields to be specified",
                     hint: "set match and rewrite")
                return
            }
            regex(match, path() + ".uriRegexRewrite.match")
        }
    }
}
