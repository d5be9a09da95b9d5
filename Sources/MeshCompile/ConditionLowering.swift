import MeshIR
import MeshValidate

/// One AuthorizationPolicy attribute (a `when` key, or the key a `from` /
/// `to` field stands for) and how its values become matches — Istio's
/// attribute table (`security/authz/model`).
struct ConditionLowering {
    static let sourcePrincipal = "source.principal"
    static let sourceNamespace = "source.namespace"
    static let sourceServiceAccount = "source.serviceAccount"
    static let sourceIP = "source.ip"
    static let remoteIP = "remote.ip"
    static let requestPrincipal = "request.auth.principal"

    let key: String
    let trustDomain: String
    /// The policy's namespace: a `serviceAccounts` entry without one is in it.
    let policyNamespace: String
    /// The chain's ports (mesh and listen): `destination.port` folds against them.
    let ports: Set<Int>
    /// Issuers the workload trusts, to split a request principal `<iss>/<sub>` where the issuer has slashes.
    var issuers: [String] = []

    /// Only an HTTP request carries the attribute: a TCP chain cannot check it.
    var httpOnly: Bool { key.hasPrefix("request.") }

    /// The attribute is about what is called (Envoy RBAC permission), not who calls (principal).
    var isPermission: Bool {
        ["destination.ip", "destination.port", "connection.sni"].contains(key) || key.hasPrefix("experimental.envoy.filters.")
    }

    /// `values` (any matches) and `notValues` (none matches); nil for a key meshc does not know (field validation reports it).
    func match(values: [String], notValues: [String]) -> AccessMatch? {
        var parts: [AccessMatch] = []
        if !values.isEmpty {
            let leaves = values.map(leaf)
            if leaves.contains(where: { $0 == nil }) { return nil }
            parts.append(.or(leaves.compactMap { $0 }))
        }
        if !notValues.isEmpty {
            let leaves = notValues.map(leaf)
            if leaves.contains(where: { $0 == nil }) { return nil }
            parts.append(.not(.or(leaves.compactMap { $0 })))
        }
        return .and(parts)
    }

    private func leaf(_ value: String) -> AccessMatch? {
        switch key {
        case Self.sourcePrincipal: return .principal(AccessValues.principal(value))
        case Self.sourceNamespace: return .principal(AccessValues.namespace(value))
        case Self.sourceServiceAccount:
            let parts = value.split(separator: "/", maxSplits: 1).map(String.init)
            let (namespace, name) = parts.count == 2 ? (parts[0], parts[1]) : (policyNamespace, value)
            return .principal(.exact("spiffe://\(trustDomain)/ns/\(namespace)/sa/\(name)"))
        case Self.sourceIP: return AccessValues.cidr(value).map(AccessMatch.directRemoteIP) ?? .nothing
        case Self.remoteIP: return AccessValues.cidr(value).map(AccessMatch.remoteIP) ?? .nothing
        case "destination.ip": return AccessValues.cidr(value).map(AccessMatch.destinationIP) ?? .nothing
        case "destination.port": return ports.contains(Int(value) ?? -1) ? .any : .nothing
        case "connection.sni": return .serverName(AccessValues.text(value))
        case Self.requestPrincipal: return AccessValues.requestPrincipal(value, issuers: issuers)
        case "request.auth.audiences": return AccessValues.claim(["aud"], value)
        case "request.auth.presenter": return AccessValues.claim(["azp"], value)
        default:
            if let name = Self.bracketed(key, prefix: "request.headers"), name.count == 1 {
                return .header(name[0], AccessValues.text(value))
            }
            if let path = Self.bracketed(key, prefix: "request.auth.claims"), !path.isEmpty {
                return AccessValues.claim(path, value)
            }
            if key.hasPrefix("experimental.envoy.filters."), let open = key.firstIndex(of: "["),
               let path = Self.bracketed(key, prefix: String(key[..<open])), path.count == 1 {
                return .metadata(filter: String(key.dropFirst("experimental.".count).prefix { $0 != "[" }), path: path,
                                 AccessValues.text(value), list: true)
            }
            return nil
        }
    }

    /// `request.headers[x-token]` → `["x-token"]`; `request.auth.claims[a][b]` → `["a", "b"]`; nil when `key` is not `prefix[...]...`.
    static func bracketed(_ key: String, prefix: String) -> [String]? {
        guard key.hasPrefix(prefix + "["), key.hasSuffix("]") else { return nil }
        let inner = key.dropFirst(prefix.count + 1).dropLast()
        let parts = inner.components(separatedBy: "][")
        return parts.contains(where: \.isEmpty) ? nil : parts
    }
}

/// Istio's value syntax: `*` (present), `prefix*`, `*suffix`, exact; and the
/// attribute-specific forms (principals, namespaces, hosts, paths, blocks).
enum AccessValues {
    static func text(_ value: String) -> TextMatch {
        if value == "*" { return .present }
        if value.hasSuffix("*") { return .prefix(String(value.dropLast())) }
        if value.hasPrefix("*") { return .suffix(String(value.dropFirst())) }
        return .exact(value)
    }

    /// A peer identity `cluster.local/ns/a/sa/b`: matched against the certificate's `spiffe://` URI SAN.
    static func principal(_ value: String) -> TextMatch {
        switch text(value) {
        case .exact(let exact): .exact("spiffe://" + exact)
        case .prefix(let prefix): .prefix("spiffe://" + prefix)
        case let other: other
        }
    }

    /// A namespace: any principal with `/ns/<namespace>/`.
    static func namespace(_ value: String) -> TextMatch {
        switch text(value) {
        case .exact(let exact): .regex(".*/ns/\(escaped(exact))/.*")
        case .prefix(let prefix): .regex(".*/ns/\(escaped(prefix))[^/]*/.*")
        case .suffix(let suffix): .regex(".*/ns/[^/]*\(escaped(suffix))/.*")
        case let other: other
        }
    }

    /// A host: `:authority`, case-insensitive, with or without a port.
    static func host(_ value: String) -> AccessMatch {
        let pattern: String = switch text(value) {
        case .exact(let exact): escaped(exact)
        case .prefix(let prefix): escaped(prefix) + ".*"
        case .suffix(let suffix): ".*" + escaped(suffix)
        default: ".+"
        }
        return .header(":authority", .regex("(?i)\(pattern)(:[0-9]+)?"))
    }

    /// A path: Istio's templates (`{*}` one segment, `{**}` the rest) as Envoy URI templates, else as text (query left out).
    static func path(_ value: String) -> AccessMatch {
        if value.contains("{*}") || value.contains("{**}") {
            return .pathTemplate(value.replacingOccurrences(of: "{**}", with: "**").replacingOccurrences(of: "{*}", with: "*"))
        }
        return .path(text(value))
    }

    /// A JWT claim at `path` in the verified payload (lists match when one item does).
    static func claim(_ path: [String], _ value: String) -> AccessMatch {
        .metadata(filter: JWTProvider.metadataFilter, path: [JWTProvider.payloadKey] + path, text(value), list: true)
    }

    /// A request principal `<iss>/<sub>`: the issuer is the longest trusted
    /// issuer the value starts with (issuers have slashes), else the text up to the last slash.
    static func requestPrincipal(_ value: String, issuers: [String]) -> AccessMatch {
        func claim(_ name: String, _ match: TextMatch) -> AccessMatch {
            .metadata(filter: JWTProvider.metadataFilter, path: [JWTProvider.payloadKey, name], match, list: false)
        }
        if value == "*" { return claim("iss", .present) }
        if value.hasPrefix("*") && !value.hasSuffix("*") {
            let suffix = String(value.dropFirst())
            guard let slash = suffix.lastIndex(of: "/") else { return claim("sub", .suffix(suffix)) }
            let issuerPart = String(suffix[..<slash]), subject = String(suffix[suffix.index(after: slash)...])
            return .and([claim("iss", issuerPart.isEmpty ? .present : .suffix(issuerPart)), claim("sub", .exact(subject))])
        }
        let known = issuers.filter { value.hasPrefix($0 + "/") }.max { $0.count < $1.count }
        let issuer: String, subject: String
        if let known {
            issuer = known
            subject = String(value.dropFirst(known.count + 1))
        } else if let slash = value.lastIndex(of: "/") {
            issuer = String(value[..<slash])
            subject = String(value[value.index(after: slash)...])
        } else {
            return claim("iss", text(value))
        }
        return .and([claim("iss", .exact(issuer)), claim("sub", text(subject))])
    }

    /// `10.0.0.0/8`, `10.1.2.3` (a /32), `fd00::/8`, `::1` (a /128); nil when not an address
    /// (read by field validation's own check, `Names.ipSubnetError`).
    static func cidr(_ value: String) -> CIDRBlock? {
        guard Names.ipSubnetError(value) == nil else { return nil }
        let parts = value.split(separator: "/", maxSplits: 1).map(String.init)
        let maximum = parts[0].contains(":") ? 128 : 32
        return CIDRBlock(address: parts[0], prefixLength: parts.count == 2 ? Int(parts[1]) ?? maximum : maximum)
    }

    /// `text` with RE2's special characters escaped.
    static func escaped(_ text: String) -> String {
        var result = ""
        for character in text {
            if "\\.+*?()|[]{}^$".contains(character) { result.append("\\") }
            result.append(character)
        }
        return result
    }
}
