#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Name, host, address and label syntax as Istio and Kubernetes check it.
/// The common valid case is accepted over bytes (Names+Bytes.swift); the
/// String code here runs only to explain a failure.
package enum Names {
    /// RFC 1035 label (Kubernetes Service names): a DNS-1123 label starting with a letter.
    static func isDNS1035Label(_ name: String) -> Bool {
        guard let first = name.utf8.first, first >= 97, first <= 122 else { return false }
        return isDNS1123Label(name)
    }

    /// A DNS-1123 label that may be `*` or start with `*`.
    static func isWildcardDNS1123Label(_ label: String) -> Bool {
        if label == "*" { return true }
        guard label.hasPrefix("*") else { return isDNS1123Label(label) }
        let rest = label.dropFirst()
        return rest.isEmpty || isDNS1123Label("a" + rest)
    }

    /// Istio's ValidateFQDN: dot-separated DNS labels, TLD not all digits.
    static func fqdnError(_ domain: String) -> String? {
        if isFQDN(domain) { return nil }
        if let error = preconditionError(domain) { return error }
        return labelsError(domain, whole: domain)
    }

    /// Istio's ValidateWildcardDomain: like an FQDN, but the first label may be a wildcard.
    static func wildcardDomainError(_ domain: String) -> String? {
        if isWildcardDomain(domain) { return nil }
        if let error = preconditionError(domain) { return error }
        let parts = domain.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard isWildcardDNS1123Label(String(parts[0])) else { return "domain name \"\(domain)\" invalid (label \"\(parts[0])\" invalid)" }
        return parts.count > 1 ? labelsError(String(parts[1]), whole: domain) : nil
    }

    private static func preconditionError(_ name: String) -> String? {
        if name.isEmpty { return "empty domain name not allowed" }
        if name.utf8.count > 255 { return "domain name \"\(name)\" too long (max 255)" }
        return nil
    }

    private static func labelsError(_ domain: String, whole: String) -> String? {
        let parts = domain.split(separator: ".", omittingEmptySubsequences: false)
        if let tld = parts.last, !tld.isEmpty, tld.allSatisfy(\.isNumber) {
            return "domain name \"\(whole)\" invalid (top level domain \"\(tld)\" cannot be all-numeric)"
        }
        for (index, label) in parts.enumerated() {
            if index == parts.count - 1 && label.isEmpty { return nil }
            if !isDNS1123Label(String(label)) { return "domain name \"\(whole)\" invalid (label \"\(label)\" invalid)" }
        }
        return nil
    }

    /// `*` anywhere but a leading `*.` (or alone) is a partial wildcard Istio refuses.
    static func isPartialWildcard(_ host: String) -> Bool {
        host.contains("*") && host != "*" && !host.hasPrefix("*.")
    }

    /// True for an IPv4 or IPv6 address (a literal: no DNS needed).
    package static func isIPAddress(_ text: String) -> Bool {
        var address = in6_addr() // 16 bytes on the stack, room for either family
        if inet_pton(AF_INET, text, &address) == 1 { return true }
        return inet_pton(AF_INET6, text, &address) == 1
    }

    /// Istio's ValidateIPSubnet: an IP address or a CIDR block.
    package static func ipSubnetError(_ text: String) -> String? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count == 2 {
            let address = String(parts[0])
            let maxBits = address.contains(":") ? 128 : 32
            guard isIPAddress(address), let bits = Int(parts[1]), bits >= 0, bits <= maxBits,
                  parts[1].allSatisfy(\.isNumber) else { return "\(text) is not a valid CIDR block" }
            return nil
        }
        return isIPAddress(text) ? nil : "\(text) is not a valid IP"
    }

    /// Istio's ValidateUnixAddress, on the part after `unix://`.
    static func unixAddressError(_ path: String) -> String? {
        if path.isEmpty { return "unix address must not be empty" }
        if path.hasPrefix("@") { return nil }
        if !path.hasPrefix("/") || path.hasSuffix("/") { return "\(path) is not an absolute path to a file" }
        return nil
    }

    /// RFC 7230 token characters, the ones Istio allows in header names.
    static func isHeaderToken(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { isAlnum($0) || headerTokenSymbols.contains($0) }
    }

    private static let headerTokenSymbols = Array("!#$%&'*+-.^_`|~".utf8)

    /// Kubernetes label key: optional DNS-subdomain prefix and `/`, then a name ≤ 63.
    static func labelKeyError(_ key: String) -> String? {
        if isLabelKey(key) { return nil }
        var name = Substring(key)
        if let slash = key.lastIndex(of: "/") {
            let prefix = String(key[..<slash])
            if prefix.isEmpty || !isDNS1123Subdomain(prefix) {
                return "label key \"\(key)\" has an invalid prefix \"\(prefix)\" (must be a DNS subdomain)"
            }
            name = key[key.index(after: slash)...]
        }
        if name.isEmpty { return "label key \"\(key)\" has an empty name" }
        return labelValueError(String(name)).map { _ in
            "label key \"\(key)\" is invalid (name part: up to 63 characters [A-Za-z0-9._-], alphanumeric at both ends)"
        }
    }

    /// Kubernetes label value: empty, or ≤ 63 of [A-Za-z0-9._-] with alphanumerics at both ends.
    static func labelValueError(_ value: String) -> String? {
        isLabelValue(value) ? nil : "label value \"\(value)\" is invalid (up to 63 characters [A-Za-z0-9._-], alphanumeric at both ends)"
    }
}

/// Istio's port protocols (pkg/config/protocol), matched case-insensitively.
enum Protocols {
    static let all = ["GRPC", "GRPC-WEB", "HTTP", "HTTP_PROXY", "HTTP2", "HTTPS", "MONGO", "MYSQL", "REDIS", "TCP", "TLS", "UDP"]
    static let hint = "use one of \(all.joined(separator: ", "))"

    static func isKnown(_ name: String) -> Bool { all.contains(name.uppercased()) }
    static func isHTTP(_ name: String) -> Bool { ["HTTP", "HTTP2", "GRPC", "GRPC-WEB", "HTTP_PROXY"].contains(name.uppercased()) }
    static func isTLS(_ name: String) -> Bool { ["HTTPS", "TLS"].contains(name.uppercased()) }
}
