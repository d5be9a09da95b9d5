import MeshDiagnostics

/// What a RouteConfiguration change does, one short line per route:
/// `+ GET /bar* on *:80 → bar.default:80`, `- * /old* on *:80`,
/// `* /* on *:80: foo.default:80 → foo.default:80 90%, bar.default:80 10%`.
/// Routes pair by virtual host and match (path, headers, query parameters);
/// the method comes from a `:method` header, `*` when there is none. A prefix
/// match ends in `*`, an exact path does not.
enum RouteLines {
    /// Most lines one route configuration gets; the rest are counted.
    static let limit = 50

    /// Lines for one route configuration; `running` nil means created, `desired` nil deleted.
    static func lines(running: JSON?, desired: JSON?) -> [String] {
        var running = running, desired = desired
        if let both = running, let other = desired { (running, desired) = withoutSharedHosts(both, other) }
        let old = running.map(entries) ?? [], new = desired.map(entries) ?? []
        let oldByKey = Dictionary(old.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let newKeys = Set(new.map(\.key))
        var lines: [String] = []
        for entry in new {
            guard let before = oldByKey[entry.key] else {
                lines.append("+ \(entry.label) → \(entry.action)")
                continue
            }
            if before.action != entry.action { lines.append("\(entry.label): \(before.action) → \(entry.action)") }
            if before.rest != entry.rest { lines.append("\(entry.label): \(FieldDiff.summary(before.rest, entry.rest))") }
        }
        lines += old.filter { !newKeys.contains($0.key) }.map { "- \($0.label)" }
        if let running, let desired {
            lines += reorderedHosts(old, new).map { "routes on \($0) reordered (the first match wins)" }
            lines += hostLines(running, desired)
            if lines.isEmpty { lines.append("only route names or manifest positions changed") }
        }
        guard lines.count > limit else { return lines }
        return lines.prefix(limit) + ["… \(lines.count - limit) more route changes"]
    }

    /// Both configurations without the virtual hosts they hold alike (one of
    /// a name on each side, equal): those give no line, and a sidecar's
    /// configuration has a virtual host per service, so a one-service
    /// change in a large mesh looks at one host instead of thousands.
    static func withoutSharedHosts(_ running: JSON, _ desired: JSON) -> (JSON, JSON) {
        let old = running.member("virtual_hosts")?.items ?? [], new = desired.member("virtual_hosts")?.items ?? []
        func unique(_ hosts: [JSON]) -> [String: JSON] {
            let counts = Dictionary(hosts.map { (name($0), 1) }, uniquingKeysWith: +)
            return Dictionary(hosts.filter { counts[name($0)] == 1 }.map { (name($0), $0) }, uniquingKeysWith: { first, _ in first })
        }
        let oldByName = unique(old), newByName = unique(new)
        let shared = Set(oldByName.keys.filter { oldByName[$0] == newByName[$0] })
        guard !shared.isEmpty else { return (running, desired) }
        let kept = { (hosts: [JSON]) in JSON.array(hosts.filter { !shared.contains(name($0)) }) }
        return (running.replacing("virtual_hosts", with: kept(old)), desired.replacing("virtual_hosts", with: kept(new)))
    }

    /// One route: its pairing key, its label, what it does, and everything else.
    struct Entry {
        var host: String
        var key: String
        var label: String
        var action: String
        /// The route without match, action target, name and metadata (rule index, manifest
        /// position): timeouts, retries, faults, header changes.
        var rest: JSON
    }

    /// The routes of a RouteConfiguration in order, virtual hosts by name.
    static func entries(_ config: JSON) -> [Entry] {
        var result: [Entry] = []
        let hosts = (config.member("virtual_hosts")?.items ?? []).sorted { name($0) < name($1) }
        for host in hosts {
            var seen: [String: Int] = [:]
            for route in host.member("routes")?.items ?? [] {
                let match = route.member("match") ?? .object([:])
                var key = "\(name(host))\u{0}\(match.rendered())"
                seen[key, default: 0] += 1
                if let count = seen[key], count > 1 { key += "#\(count)" }
                let settings = route.member("route")?.removing("cluster", "weighted_clusters", "cluster_header")
                let rest = route.removing("match", "redirect", "direct_response", "name", "metadata")
                    .replacing("route", with: settings == .object([:]) ? nil : settings)
                result.append(Entry(host: name(host), key: key, label: "\(label(match)) on \(name(host))", action: action(route), rest: rest))
            }
        }
        return result
    }

    static func name(_ host: JSON) -> String { host.member("name")?.text ?? "?" }

    /// `GET /bar* [x-user=jason] ?v=2 on *:80` without the host.
    static func label(_ match: JSON) -> String {
        let headers = match.member("headers")?.items ?? []
        let method = headers.first { $0.member("name")?.text == ":method" && $0.member("invert_match") != .bool(true) }
            .flatMap { stringMatch($0)?.exact } ?? "*"
        var path = match.member("prefix")?.text.map { "\($0)*" }
            ?? match.member("path")?.text
            ?? match.member("safe_regex")?.member("regex")?.text.map { "regex(\($0))" }
            ?? "(any path)"
        if match.member("case_sensitive") == .bool(false) { path += " (any case)" }
        var parts = [method, path]
        for header in headers where header.member("name")?.text != ":method" || method == "*" {
            let inverted = header.member("invert_match") == .bool(true) ? "!" : ""
            parts.append("[\(inverted)\(header.member("name")?.text ?? "?")\(stringMatch(header)?.text ?? "")]")
        }
        let query = (match.member("query_parameters")?.items ?? []).map { "\($0.member("name")?.text ?? "?")\(stringMatch($0)?.text ?? "")" }
        if !query.isEmpty { parts.append("?" + query.joined(separator: "&")) }
        return parts.joined(separator: " ")
    }

    /// A header or query parameter's `string_match` as `=v`, `^=v`, `$=v`, `*=v`, `~=re`; nil when absent (presence match).
    static func stringMatch(_ matcher: JSON) -> (text: String, exact: String?)? {
        guard let match = matcher.member("string_match") else { return nil }
        if let value = match.member("exact")?.text { return ("=\(value)", value) }
        if let value = match.member("prefix")?.text { return ("^=\(value)", nil) }
        if let value = match.member("suffix")?.text { return ("$=\(value)", nil) }
        if let value = match.member("contains")?.text { return ("*=\(value)", nil) }
        if let value = match.member("safe_regex")?.member("regex")?.text { return ("~=\(value)", nil) }
        return ("=\(match.rendered())", nil)
    }

    /// What the route does: a cluster, weighted clusters, a redirect, a fixed response.
    static func action(_ route: JSON) -> String {
        if let target = route.member("route") {
            if let cluster = target.member("cluster")?.text { return ChangeDetails.shortCluster(cluster) }
            if let header = target.member("cluster_header")?.text { return "the cluster named by header \(header)" }
            let shares = target.member("weighted_clusters")?.member("clusters")?.items ?? []
            let weights = shares.map { share -> Int in
                if case .int(let weight)? = share.member("weight") { return weight }
                return 0
            }
            let total = max(weights.reduce(0, +), 1)
            if !shares.isEmpty {
                return zip(shares, weights).map { share, weight in
                    "\(ChangeDetails.shortCluster(share.member("name")?.text ?? "?")) \(percent(weight, of: total))"
                }.joined(separator: ", ")
            }
        }
        if let redirect = route.member("redirect") {
            let parts = [("scheme_redirect", "scheme"), ("host_redirect", "host"), ("port_redirect", "port"), ("path_redirect", "path")]
                .compactMap { key, word in redirect.member(key).map { "\(word) \($0.text ?? $0.rendered())" } }
            return (["redirect"] + parts).joined(separator: " ")
        }
        if let response = route.member("direct_response") {
            let body = response.member("body")?.member("inline_string")?.text.map { " \"\($0)\"" } ?? ""
            return "respond \(response.member("status")?.rendered() ?? "?")\(body)"
        }
        return "(no action)"
    }

    /// `90%`, or `33.3%` when the share is not whole.
    static func percent(_ weight: Int, of total: Int) -> String {
        if (weight * 100) % total == 0 { return "\(weight * 100 / total)%" }
        let tenths = (weight * 1000 + total / 2) / total
        return "\(tenths / 10).\(tenths % 10)%"
    }

    /// Virtual hosts whose routes present on both sides come in another order.
    static func reorderedHosts(_ old: [Entry], _ new: [Entry]) -> [String] {
        let oldKeys = Set(old.map(\.key)), newKeys = Set(new.map(\.key))
        let before = Dictionary(grouping: old.filter { newKeys.contains($0.key) }, by: \.host).mapValues { $0.map(\.key) }
        let after = Dictionary(grouping: new.filter { oldKeys.contains($0.key) }, by: \.host).mapValues { $0.map(\.key) }
        let hosts = Set(old.map(\.host)).intersection(new.map(\.host)).sorted()
        return hosts.filter { before[$0] ?? [] != after[$0] ?? [] }
    }

    /// Domain changes of virtual hosts on both sides, and changed settings outside the virtual hosts.
    static func hostLines(_ running: JSON, _ desired: JSON) -> [String] {
        let old = Dictionary((running.member("virtual_hosts")?.items ?? []).map { (name($0), $0) }, uniquingKeysWith: { first, _ in first })
        var lines: [String] = []
        for host in (desired.member("virtual_hosts")?.items ?? []).sorted(by: { name($0) < name($1) }) {
            guard let before = old[name(host)] else { continue }
            let a = domains(before), b = domains(host)
            if a != b { lines.append("domains of \(name(host)): \(a) → \(b)") }
        }
        let outside = FieldDiff.lines(running.removing("virtual_hosts"), desired.removing("virtual_hosts"))
        return lines + outside
    }

    static func domains(_ host: JSON) -> String {
        (host.member("domains")?.items ?? []).map { $0.text ?? $0.rendered() }.joined(separator: ", ")
    }
}
