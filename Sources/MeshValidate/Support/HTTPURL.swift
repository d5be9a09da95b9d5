/// An http or https URL's scheme, host and port, read the way Istio's
/// `ParseJwksURI` reads a `jwksUri`: the one parser lint (field validation)
/// and the compiler (the JWKS cluster) share.
package struct HTTPURL: Sendable, Equatable {
    /// `http` or `https`, lower-cased.
    package var scheme: String
    /// The host, brackets of an IPv6 address removed.
    package var host: String
    /// The written port, else 80 or 443.
    package var port: Int

    /// `uri` parsed; the reason it is not a usable URL otherwise.
    package static func parse(_ uri: String) -> Result<HTTPURL, Problem> {
        guard let schemeEnd = uri.range(of: "://") else { return .failure(Problem("jwksUri \"\(uri)\" is not a URL")) }
        let scheme = uri[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return .failure(Problem("URI scheme \"\(scheme)\" is not supported")) }
        let rest = uri[schemeEnd.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let hostPort = authority.split(separator: "@").last.map(String.init) ?? ""
        if hostPort.contains(" ") { return .failure(Problem("jwksUri \"\(uri)\" contains spaces")) }
        var host = hostPort
        var port = scheme == "https" ? 443 : 80
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else { return .failure(Problem("jwksUri \"\(uri)\" has an unterminated IPv6 host")) }
            host = String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
            let tail = hostPort[hostPort.index(after: close)...]
            if !tail.isEmpty {
                guard tail.hasPrefix(":"), tail.dropFirst().allSatisfy(\.isNumber) else {
                    return .failure(Problem("jwksUri \"\(uri)\" has an invalid port"))
                }
                if let number = Int(tail.dropFirst()) { port = number }
            }
        } else if let colon = hostPort.lastIndex(of: ":") {
            host = String(hostPort[..<colon])
            let written = hostPort[hostPort.index(after: colon)...]
            guard written.allSatisfy(\.isNumber) else { return .failure(Problem("jwksUri \"\(uri)\" has an invalid port \"\(written)\"")) }
            if let number = Int(written) { port = number }
        }
        if host.isEmpty { return .failure(Problem("jwksUri \"\(uri)\" has no host")) }
        return .success(HTTPURL(scheme: scheme, host: host, port: port))
    }

    /// Why a URL is not usable.
    package struct Problem: Error, Sendable, Equatable {
        package let message: String
        init(_ message: String) { self.message = message }
    }
}
