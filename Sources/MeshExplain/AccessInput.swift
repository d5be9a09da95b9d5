import MeshDiagnostics
import MeshIR

/// What Envoy's RBAC filters read about one request (HTTP chains) or one
/// connection (TCP chains), and how an `AccessMatch` tree is decided on it.
/// A value the request does not have (no peer certificate, no token, no
/// HTTP request on a TCP chain) matches nothing, as in Envoy.
struct AccessInput {
    /// Request headers, names lower-cased, pseudo-headers included (`:path`
    /// with its query, as Envoy's header matcher sees it); nil on a TCP chain.
    var headers: [(name: String, value: String)]?
    /// The path without its query (Envoy's `url_path`); nil on a TCP chain.
    var path: String?
    /// The peer certificate's URI SAN; nil without mesh mTLS.
    var peer: String?
    var sourceIP: IPAddress?
    var destinationIP: IPAddress?
    /// The TLS server name the client sent; nil for plain text.
    var serverName: String?
    /// The token payload `jwt_authn` wrote to its metadata (`payload`); nil without a token.
    var jwtPayload: JSON?

    func matches(_ match: AccessMatch) -> Bool {
        switch match {
        case .any: return true
        case .and(let parts): return parts.allSatisfy(matches)
        case .or(let parts): return parts.contains(where: matches)
        case .not(let inner): return !matches(inner)
        case .principal(let text): return peer.map(text.matches) ?? false
        case .directRemoteIP(let block), .remoteIP(let block): return sourceIP?.isIn(block) ?? false
        case .destinationIP(let block): return destinationIP?.isIn(block) ?? false
        case .header(let name, let text): return header(name).map(text.matches) ?? false
        case .path(let text): return path.map(text.matches) ?? false
        case .pathTemplate(let template): return path.map { Matching.fullMatch(PathTemplate.regex(template), $0) } ?? false
        case .serverName(let text): return text.matches(serverName ?? "")
        case .metadata(let filter, let keys, let text, let list): return metadata(filter, keys).map { Self.matches(text, $0, list: list) } ?? false
        }
    }

    /// Every value of header `name`, joined by commas (Envoy's `getAllOfHeaderAsString`); `host` is `:authority`.
    private func header(_ name: String) -> String? {
        let wanted = name.lowercased() == "host" ? ":authority" : name.lowercased()
        let values = (headers ?? []).filter { $0.name == wanted }.map(\.value)
        return values.isEmpty ? nil : values.joined(separator: ",")
    }

    /// The value at `keys` in `filter`'s dynamic metadata; only `jwt_authn`'s payload is known here.
    private func metadata(_ filter: String, _ keys: [String]) -> JSON? {
        guard filter == JWTProvider.metadataFilter, let payload = jwtPayload else { return nil }
        var value: JSON = .object([JWTProvider.payloadKey: payload])
        for key in keys {
            guard let next = value.member(key) else { return nil }
            value = next
        }
        return value
    }

    /// Envoy's metadata value matcher: `present` takes any value; a string
    /// matcher only a string, or (`list`) a list holding a matching string.
    private static func matches(_ text: TextMatch, _ value: JSON, list: Bool) -> Bool {
        if text == .present { return value != .null }
        if let string = value.text { return text.matches(string) }
        return list && value.items.contains { $0.text.map(text.matches) ?? false }
    }
}

extension TextMatch {
    /// Envoy's StringMatcher on `value`; `present` is the regex `.+` RBAC is given.
    func matches(_ value: String) -> Bool {
        switch self {
        case .exact(let expected): value == expected
        case .prefix(let prefix): value.hasPrefix(prefix)
        case .suffix(let suffix): value.hasSuffix(suffix)
        case .regex(let pattern): Matching.fullMatch(pattern, value)
        case .present: !value.isEmpty
        }
    }
}

/// Envoy's URI templates (`uri_template` matcher) as RE2: `*` one path
/// segment, `**` any rest of the path (slashes included, maybe empty),
/// `{name}` / `{name=*}` / `{name=**}` the same with a name; other text literally.
enum PathTemplate {
    /// RFC 3986 pchar minus `*` and `=`: one segment (`*`), then the rest of a path (`**`).
    private static let segment = "[a-zA-Z0-9\\-._~%!$&'()+,;:@]+"
    private static let segments = "[a-zA-Z0-9\\-._~%!$&'()+,;:@/]*"

    static func regex(_ template: String) -> String {
        var result = ""
        var rest = Substring(template)
        while let first = rest.first {
            if rest.hasPrefix("**") {
                result += segments
                rest = rest.dropFirst(2)
            } else if first == "*" {
                result += segment
                rest = rest.dropFirst()
            } else if first == "{", let close = rest.firstIndex(of: "}") {
                let variable = rest[rest.index(after: rest.startIndex)..<close]
                let pattern = variable.split(separator: "=", maxSplits: 1).dropFirst().first.map(String.init) ?? "*"
                result += "(" + regex(pattern) + ")"
                rest = rest[rest.index(after: close)...]
            } else {
                result += "\\.+*?()|[]{}^$".contains(first) ? "\\\(first)" : String(first)
                rest = rest.dropFirst()
            }
        }
        return result
    }
}
