import CRE2
import MeshIR

/// Envoy's matching rules, on IR values: virtual host by domain, route by
/// path, headers and query parameters. Regexes use RE2, as Envoy does.
enum Matching {
    /// Envoy's virtual host choice: exact domain, then the longest `*.suffix`,
    /// then the longest `prefix.*`, then `*`. Case-insensitive.
    static func virtualHost(_ hosts: [VirtualHost], authority: String) -> VirtualHost? {
        let name = authority.lowercased()
        var best: (rank: Int, length: Int, host: VirtualHost)?
        for host in hosts {
            for domain in host.domains.map({ $0.lowercased() }) {
                var rank = 0
                if domain == name {
                    rank = 4
                } else if domain == "*" {
                    rank = 1
                } else if domain.hasPrefix("*"), name.hasSuffix(domain.dropFirst()), name.count > domain.count - 1 {
                    rank = 3
                } else if domain.hasSuffix("*"), name.hasPrefix(domain.dropLast()), name.count > domain.count - 1 {
                    rank = 2
                }
                guard rank > 0 else { continue }
                if best == nil || (rank, domain.count) > (best!.rank, best!.length) { best = (rank, domain.count, host) }
            }
        }
        return best?.host
    }

    /// True when every condition of `match` holds for `request`.
    static func matches(_ match: RouteMatch, _ request: ExplainRequest) -> Bool {
        let path = match.caseSensitive ? request.path : request.path.lowercased()
        switch match.path {
        case .prefix(let prefix): guard path.hasPrefix(match.caseSensitive ? prefix : prefix.lowercased()) else { return false }
        case .exact(let exact): guard path == (match.caseSensitive ? exact : exact.lowercased()) else { return false }
        case .regex(let pattern): guard fullMatch(pattern, request.path) else { return false }
        }
        let headers = request.allHeaders
        for condition in match.headers {
            let values = headers.filter { $0.name == condition.name }.map(\.value)
            let holds = !values.isEmpty && values.contains { matches(condition.matcher, $0) }
            if holds == condition.inverted { return false }
        }
        for condition in match.queryParameters {
            guard let value = request.query.first(where: { $0.name == condition.name })?.value,
                  matches(condition.matcher, value) else { return false }
        }
        return true
    }

    static func matches(_ matcher: StringMatcher, _ value: String) -> Bool {
        switch matcher {
        case .exact(let expected): value == expected
        case .prefix(let prefix): value.hasPrefix(prefix)
        case .regex(let pattern): fullMatch(pattern, value)
        case .present: true
        }
    }

    /// RE2 full match (Envoy's `safe_regex`); false for a pattern RE2 rejects.
    static func fullMatch(_ pattern: String, _ text: String) -> Bool {
        let anchored = "^(?:\(pattern))$"
        var error = [CChar](repeating: 0, count: 256)
        let handle = anchored.withCString { meshc_re2_new($0, anchored.utf8.count, &error, error.count) }
        guard let handle else { return false }
        defer { meshc_re2_free(handle) }
        return text.withCString { meshc_re2_partial_match(handle, $0, text.utf8.count) } == 1
    }

    /// The chain serving a connection with SNI `serverName` (nil for plain text): exact name, longest wildcard, then the chain without names.
    static func chain(_ chains: [FilterChain], serverName: String?) -> FilterChain? {
        if let name = serverName?.lowercased() {
            if let exact = chains.first(where: { $0.serverNames.contains(name) }) { return exact }
            let wild = chains.compactMap { chain -> (Int, FilterChain)? in
                let lengths = chain.serverNames.filter { $0.hasPrefix("*.") && name.hasSuffix($0.dropFirst()) }.map(\.count)
                return lengths.max().map { ($0, chain) }
            }
            if let best = wild.max(by: { $0.0 < $1.0 }) { return best.1 }
        }
        return chains.first { $0.serverNames.isEmpty }
    }
}
