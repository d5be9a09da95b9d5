/// Istio's host-name rules.
public enum Hosts {
    /// Istio's ConvertHostToFQDN: a host without a dot gets
    /// `.<namespace>.svc.<domain>`; anything with a dot, and `*`, is left alone.
    public static func fqdn(_ host: String, namespace: String, domain: String = MeshConfig.default.domainSuffix) -> String {
        if host == "*" || host.contains(".") { return host }
        return "\(host).\(namespace).svc.\(domain)"
    }

    /// True when `pattern` (which may start with `*`) covers `host`, or the
    /// other way round: Istio's hosts "intersect".
    public static func intersect(_ a: String, _ b: String) -> Bool {
        covers(a, b) || covers(b, a)
    }

    /// True when wildcard `pattern` matches every name `host` can stand for.
    public static func covers(_ pattern: String, _ host: String) -> Bool {
        if pattern == host || pattern == "*" { return true }
        guard pattern.hasPrefix("*") else { return false }
        let suffix = pattern.dropFirst()
        if host.hasPrefix("*") { return host.dropFirst().hasSuffix(suffix) }
        return host.hasSuffix(suffix)
    }

    /// Splits a Gateway server host `ns/host` into its namespace part (nil when absent) and host.
    public static func splitNamespace(_ host: String) -> (namespace: String?, host: String) {
        guard let slash = host.firstIndex(of: "/") else { return (nil, host) }
        return (String(host[..<slash]), String(host[host.index(after: slash)...]))
    }

    /// Splits a gateway reference `ns/name` (or `name` in `namespace`) into namespace and name.
    public static func gatewayRef(_ ref: String, defaultNamespace: String) -> (namespace: String, name: String) {
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
