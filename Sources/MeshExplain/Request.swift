import Foundation

/// The request `meshc route` explains: what a client would send.
package struct ExplainRequest: Sendable, Equatable {
    package var method: String
    /// `http` or `https`.
    package var scheme: String
    package var host: String
    /// The port the client connects to (80 or 443 when the URL gives none).
    package var port: Int
    /// True when the URL wrote the port (the Host header then carries it).
    package var portWritten: Bool
    package var path: String
    /// Query parameters in order (`?a=1&b`: `a`→`1`, `b`→``).
    package var query: [(name: String, value: String)]
    /// Request headers, names lower-cased.
    package var headers: [(name: String, value: String)]

    package init(method: String, url: String, headers: [(name: String, value: String)] = []) throws {
        guard let schemeEnd = url.range(of: "://") else { throw ExplainError("\(url) is not a URL; write it like http://host/path") }
        scheme = url[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { throw ExplainError("scheme \(scheme) is not http or https") }
        var rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = String(rest[..<authorityEnd])
        rest = rest[authorityEnd...]
        if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
            guard let number = Int(authority[authority.index(after: colon)...]), (1...65535).contains(number) else {
                throw ExplainError("\(authority) has no valid port")
            }
            host = String(authority[..<colon])
            port = number
            portWritten = true
        } else {
            host = authority
            port = scheme == "https" ? 443 : 80
            portWritten = false
        }
        guard !host.isEmpty else { throw ExplainError("\(url) names no host") }
        let pathEnd = rest.firstIndex(of: "?") ?? rest.endIndex
        path = rest[..<pathEnd].isEmpty ? "/" : String(rest[..<pathEnd])
        query = pathEnd == rest.endIndex ? [] : rest[rest.index(after: pathEnd)...].split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1)
            return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
        }
        self.method = method.uppercased()
        self.headers = headers.map { ($0.name.lowercased(), $0.value) }
    }

    /// The Host header the client sends: the port only when the URL wrote it.
    package var authority: String { portWritten ? "\(host):\(port)" : host }

    /// `headers` plus the pseudo-headers routes match on (`:method`, `:authority`, `:scheme`, `:path`).
    var allHeaders: [(name: String, value: String)] {
        let explicitHost = headers.first { $0.name == "host" }?.value
        return [(":method", method), (":authority", explicitHost ?? authority), (":scheme", scheme), (":path", path)]
            + headers.filter { $0.name != "host" }
    }

    package static func == (a: ExplainRequest, b: ExplainRequest) -> Bool {
        a.method == b.method && a.scheme == b.scheme && a.host == b.host && a.port == b.port && a.path == b.path
            && a.query.elementsEqual(b.query) { $0 == $1 } && a.headers.elementsEqual(b.headers) { $0 == $1 }
    }
}

/// A request `meshc route` cannot explain, with what to do about it.
package struct ExplainError: Error, CustomStringConvertible, Equatable {
    package var description: String
    package init(_ description: String) { self.description = description }
}
