import MeshDiagnostics

/// What a RouteConfiguration change does, one item (and short line) per route:
/// `+ GET /bar* on *:80 → bar.default:80`, `- * /old* on *:80`,
/// `* /* on *:80: foo.default:80 → foo.default:80 90%, bar.default:80 10%`.
/// Routes pair by virtual host and match (path, headers, query parameters);
/// the method comes from a `:method` header, `*` when there is none. A prefix
/// match ends in `*`, an exact path does not.
enum RouteLines {
    /// Most lines one route configuration gets; the rest are counted.
    static let limit = 50

    /// Items for one route configuration; `running` nil means created, `desired` nil deleted.
    static func items(running: JSON?, desired: JSON?) -> [ChangeItem] {
        var running = running, desired = desired
        if let both = running, let other = desired { (running, desired) = withoutSharedHosts(both, other) }
        let old = running.map(entries) ?? [], new = desired.map(entries) ?? []
        let oldByKey = Dictionary(old.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let newKeys = Set(new.map(\.key))
        var items: [ChangeItem] = []
        for entry in new {
            guard let before = oldByKey[entry.key] else {
                items.append(entry.item("route", "+ \(entry.label) → \(entry.action)", before: nil, after: entry.value))
                continue
            }
            if before.target != entry.target {
                let change = before.action != entry.action ? "\(before.action) → \(entry.action)" : FieldDiff.summary(before.target, entry.target)
                items.append(entry.item("target", "\(entry.label): \(change)", before: before.target, after: entry.target))
            }
            if before.rest != entry.rest {
                items.append(entry.item("settings", "\(entry.label): \(FieldDiff.summary(before.rest, entry.rest))", before: before.rest, after: entry.rest))
            }
        }
        items += old.filter { !newKeys.contains($0.key) }.map { $0.item("route", "- \($0.label)", before: $0.value, after: nil) }
        if let running, let desired {
            items += reorderedHosts(old, new).map { host in
                ChangeItem(.order, "routes on \(host.name) reordered (the first match wins)", identity: ["virtual_host": .string(host.name)],
                           before: .array(host.before.map(JSON.string)), after: .array(host.after.map(JSON.string)))
            }
            items += hostItems(running, desired)
            if items.isEmpty { items.append(ChangeItem(.note, "only route names or metadata changed")) }
        }
        return ChangeItem.capped(items, limit: limit, "route changes")
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
        /// The match as a label without the host (`GET /bar*`).
        var matchLabel: String
        var match: JSON
        var action: String
        /// The route as Envoy gets it, without its name (the rule's index) and metadata (none from meshc).
        var value: JSON
        /// What it routes to: one of `cluster`, `weighted_clusters`, `cluster_header`, `redirect`, `direct_response`.
        var target: JSON
        /// The route without match, action target, name and metadata: timeouts, retries,
        /// faults, header changes.
        var rest: JSON

        /// `GET /bar* on *:80`.
        var label: String { "\(matchLabel) on \(host)" }

        /// A `route` item about this route; `part` says what the values are (`route`, `target`, `settings`).
        func item(_ part: String, _ text: String, before: JSON?, after: JSON?) -> ChangeItem {
            ChangeItem(.route, text, identity: ["virtual_host": .string(host), "match": match, "part": .string(part)], before: before, after: after)
        }
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
                result.append(Entry(host: name(host), key: key, matchLabel: label(match), match: match, action: action(route),
                                    value: route.removing("name", "metadata"), target: target(route), rest: rest))
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

    /// The part of a route saying where it goes, as Envoy writes it: `{"cluster": …}`,
    /// `{"weighted_clusters": …}`, `{"cluster_header": …}`, `{"redirect": …}` or `{"direct_response": …}`.
    static func target(_ route: JSON) -> JSON {
        var members: JSONObject = [:]
        for key in ["cluster", "weighted_clusters", "cluster_header"] { members[key] = route.member("route")?.member(key) }
        for key in ["redirect", "direct_response"] { members[key] = route.member(key) }
        return .object(members)
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

    /// Virtual hosts whose routes present on both sides come in another order,
    /// with those routes' match labels in the old and the new order.
    static func reorderedHosts(_ old: [Entry], _ new: [Entry]) -> [(name: String, before: [String], after: [String])] {
        let oldKeys = Set(old.map(\.key)), newKeys = Set(new.map(\.key))
        let before = Dictionary(grouping: old.filter { newKeys.contains($0.key) }, by: \.host)
        let after = Dictionary(grouping: new.filter { oldKeys.contains($0.key) }, by: \.host)
        let hosts = Set(old.map(\.host)).intersection(new.map(\.host)).sorted()
        return hosts.compactMap { host in
            let a = before[host] ?? [], b = after[host] ?? []
            return a.map(\.key) == b.map(\.key) ? nil : (host, a.map(\.matchLabel), b.map(\.matchLabel))
        }
    }

    /// Domain changes of virtual hosts on both sides, and changed settings outside the virtual hosts.
    static func hostItems(_ running: JSON, _ desired: JSON) -> [ChangeItem] {
        let old = Dictionary((running.member("virtual_hosts")?.items ?? []).map { (name($0), $0) }, uniquingKeysWith: { first, _ in first })
        var items: [ChangeItem] = []
        for host in (desired.member("virtual_hosts")?.items ?? []).sorted(by: { name($0) < name($1) }) {
            guard let before = old[name(host)] else { continue }
            let a = domains(before), b = domains(host)
            if a != b {
                items.append(ChangeItem(.domains, "domains of \(name(host)): \(a.joined(separator: ", ")) → \(b.joined(separator: ", "))",
                                        identity: ["virtual_host": .string(name(host))],
                                        before: .array(a.map(JSON.string)), after: .array(b.map(JSON.string))))
            }
        }
        return items + FieldDiff.items(running.removing("virtual_hosts"), desired.removing("virtual_hosts"))
    }

    static func domains(_ host: JSON) -> [String] {
        (host.member("domains")?.items ?? []).map { $0.text ?? $0.rendered() }
    }
}
