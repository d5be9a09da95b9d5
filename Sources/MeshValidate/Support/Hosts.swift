/// Istio's host-name rules.
package enum Hosts {
    /// Istio's ConvertHostToFQDN: a host without a dot gets
    /// `.<namespace>.svc.<domain>`; anything with a dot, and `*`, is left alone.
    package static func fqdn(_ host: String, namespace: String, domain: String = MeshConfig.default.domainSuffix) -> String {
        guard isShortName(host) else { return host }
        // Copies the bytes into one buffer of the final size; interpolation
        // and `append` grow the string piece by piece.
        let count = host.utf8.count + namespace.utf8.count + domain.utf8.count + 6
        return String(unsafeUninitializedCapacity: count) { buffer in
            var at = 0
            func put(_ text: String) {
                var text = text
                text.withUTF8 { bytes in
                    guard let source = bytes.baseAddress else { return }
                    buffer.baseAddress!.advanced(by: at).update(from: source, count: bytes.count)
                    at += bytes.count
                }
            }
            put(host)
            put(".")
            put(namespace)
            put(".svc.")
            put(domain)
            return at
        }
    }

    /// True when `fqdn` would complete `host`: not `*` and without a dot.
    package static func isShortName(_ host: String) -> Bool {
        host != "*" && !host.utf8.contains(UInt8(ascii: "."))
    }

    /// True when `pattern` (which may start with `*`) covers `host`, or the
    /// other way round: Istio's hosts "intersect".
    package static func intersect(_ a: String, _ b: String) -> Bool {
        covers(a, b) || covers(b, a)
    }

    /// True when wildcard `pattern` matches every name `host` can stand for.
    package static func covers(_ pattern: String, _ host: String) -> Bool {
        if pattern == host || pattern == "*" { return true }
        let star = UInt8(ascii: "*")
        guard pattern.utf8.first == star else { return false }
        // Byte comparison is what String's hasSuffix means for ASCII host
        // names; anything else keeps String's Unicode-aware comparison.
        guard isASCII(pattern), isASCII(host) else {
            guard pattern.hasPrefix("*") else { return false }
            let suffix = pattern.dropFirst()
            if host.hasPrefix("*") { return host.dropFirst().hasSuffix(suffix) }
            return host.hasSuffix(suffix)
        }
        let suffix = pattern.utf8.dropFirst()
        let name = host.utf8.first == star ? host.utf8.dropFirst() : host.utf8[...]
        return name.count >= suffix.count && name.suffix(suffix.count).elementsEqual(suffix)
    }

    private static func isASCII(_ text: String) -> Bool { text.utf8.allSatisfy { $0 < 0x80 } }

    /// Splits a Gateway server host `ns/host` into its namespace part (nil when absent) and host.
    package static func splitNamespace(_ host: String) -> (namespace: String?, host: String) {
        guard let slash = host.firstIndex(of: "/") else { return (nil, host) }
        return (String(host[..<slash]), String(host[host.index(after: slash)...]))
    }

    /// Splits a gateway reference `ns/name` (or `name` in `namespace`) into namespace and name.
    package static func gatewayRef(_ ref: String, defaultNamespace: String) -> (namespace: String, name: String) {
        let parts = splitNamespace(ref)
        var name = parts.host
        var namespace = parts.namespace ?? defaultNamespace
        // Istio also accepts `name.namespace.svc.cluster.local`-style gateway names: `name.namespace`.
        if parts.namespace == nil, let dot = name.firstIndex(of: ".") {
            namespace = String(name[name.index(after: dot)...]).split(separator: ".").first.map(String.init) ?? namespace
            name = String(name[..<dot])
        }
        return (namespace, name)
    }
}
