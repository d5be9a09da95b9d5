import MeshDiagnostics
import MeshIR
import MeshSnapshot

/// Builds an Envoy v3 `RouteConfiguration` from an IR route configuration.
enum RouteConfigurationBuilder {
    /// `validateClusters`: reject routes naming unknown clusters (set in RDS form, where Envoy would otherwise accept them).
    static func build(_ config: RouteConfig, validateClusters: Bool) -> JSON {
        var members: JSONObject = [
            "name": .string(config.name),
            "virtual_hosts": .array(config.virtualHosts.sorted { $0.name < $1.name }.parallelMap(chunk: Emitter.parallelChunk, VirtualHostBuilder.build)),
        ]
        if validateClusters { members["validate_clusters"] = .bool(true) }
        if let rules = config.authorization.map(RBACBuilder.perRoute), !rules.isEmpty { members["typed_per_filter_config"] = .object(rules) }
        return .object(members)
    }

    /// The RDS resource of `config` (`validate_clusters` set): each virtual
    /// host rendered once and spliced in, its digest kept for plans; the
    /// clusters its routes name (`References.routeClusters`); and whether
    /// every one of them is in `table` (false without one).
    /// With `cache`, the hosts equal to the ones of the same configuration
    /// of `proxy` last time keep their renders (a walk by name, no hashing),
    /// the set of clusters is updated from the hosts that changed, and only
    /// the clusters new to it are looked up when `table` is the one the last
    /// set was checked against.
    static func resource(_ config: RouteConfig, cache: EmitCache? = nil, proxy: String = "",
                         table: ClusterTables? = nil) -> (EnvoyResource, clusters: Set<String>, checked: Bool) {
        var members: JSONObject = [
            "name": .string(config.name),
            "virtual_hosts": .string(VirtualHostSplice.marker),
            "validate_clusters": .bool(true),
        ]
        if let rules = config.authorization.map(RBACBuilder.perRoute), !rules.isEmpty { members["typed_per_filter_config"] = .object(rules) }
        let shell = JSON.object(members).typed(EnvoyType.routeConfiguration)
        // A sidecar's hosts come sorted: checking is cheaper than copying them into a sorted array.
        let given = config.virtualHosts
        let hosts = given.isSorted(by: { $0.name < $1.name }) ? given : given.sorted { $0.name < $1.name }
        let key = proxy + "\u{0}" + config.name
        var kept = [RenderedHost?](repeating: nil, count: hosts.count)
        let last = cache?.routeHosts(key)
        var matched = [Bool](repeating: false, count: last?.hosts.count ?? 0)
        if let last {
            var j = 0
            for (i, host) in hosts.enumerated() {
                while j < last.hosts.count, last.hosts[j].name < host.name { j += 1 }
                if j < last.hosts.count, last.hosts[j] == host {
                    kept[i] = last.rendered[j]
                    matched[j] = true
                    j += 1
                }
            }
        }
        let found = kept
        let rendered = Array(hosts.indices).parallelMap(chunk: Emitter.parallelChunk) { i in
            found[i] ?? cache?.virtualHost(hosts[i]) { RenderedHost(hosts[i]) } ?? RenderedHost(hosts[i])
        }
        let named = NamedClusters(rendered, fresh: found.map { $0 == nil }, last: last, lastMatched: matched)
        var checked = false
        if let table {
            // The last set held in these very tables: only the names new to the set can be missing.
            let reuse = named.added != nil && table.id != nil && last?.checkedAgainst == table.id
            checked = reuse ? named.added!.allSatisfy(table.clusters.holds) : named.clusters.allSatisfy(table.clusters.holds)
        }
        cache?.keep(RouteHosts(hosts: hosts, rendered: rendered, clusters: named.clusters, counts: named.counts,
                               checkedAgainst: checked ? table?.id : nil), as: key)
        var splice = VirtualHostSplice()
        for (host, rendered) in zip(hosts, rendered) {
            splice.append(name: host.name, rendered: rendered.text, version: rendered.version)
        }
        return (splice.resource(name: config.name, shell: shell.rendered()), named.clusters, checked)
    }
}

/// The clusters a route configuration's hosts name: made whole the first
/// time, then updated from the hosts that changed since the last build.
struct NamedClusters {
    var clusters: Set<String>
    /// How many hosts name each cluster (nil when made whole: counted on the first update).
    var counts: [String: Int]?
    /// The names this update added to the last set; nil when made whole.
    var added: [String]?

    /// `fresh[i]`: host `i` is not one of the last build's (its render is new);
    /// `lastMatched[j]`: the last build's host `j` is still there, unchanged.
    init(_ rendered: [RenderedHost], fresh: [Bool], last: RouteHosts?, lastMatched: [Bool]) {
        guard let last else {
            self = Self.whole(rendered)
            return
        }
        if !fresh.contains(true), !lastMatched.contains(false) {
            self.init(clusters: last.clusters, counts: last.counts, added: [])
            return
        }
        var counts = last.counts ?? Self.counts(last.rendered)
        var clusters = last.clusters
        var added: [String] = []
        // Additions first: a name both an old and a new render carry is never taken out and put back.
        for i in rendered.indices where fresh[i] {
            for name in rendered[i].clusters {
                let count = counts[name, default: 0] + 1
                counts[name] = count
                if count == 1 {
                    clusters.insert(name)
                    added.append(name)
                }
            }
        }
        for j in last.rendered.indices where !lastMatched[j] {
            for name in last.rendered[j].clusters {
                guard let count = counts[name] else { continue }
                if count > 1 {
                    counts[name] = count - 1
                } else {
                    counts[name] = nil
                    clusters.remove(name)
                }
            }
        }
        self.init(clusters: clusters, counts: counts, added: added)
    }

    private init(clusters: Set<String>, counts: [String: Int]?, added: [String]?) {
        self.clusters = clusters
        self.counts = counts
        self.added = added
    }

    private static func whole(_ rendered: [RenderedHost]) -> NamedClusters {
        // Sized for every name at once: growing rehashes each name again.
        var clusters = Set<String>(minimumCapacity: rendered.reduce(0) { $0 + $1.clusters.count })
        for host in rendered { for name in host.clusters { clusters.insert(name) } }
        return NamedClusters(clusters: clusters, counts: nil, added: nil)
    }

    private static func counts(_ rendered: [RenderedHost]) -> [String: Int] {
        var counts = [String: Int](minimumCapacity: rendered.reduce(0) { $0 + $1.clusters.count })
        for host in rendered { for name in host.clusters { counts[name, default: 0] += 1 } }
        return counts
    }
}

/// A virtual host's canonical rendering, its version and the clusters it
/// names, made once and kept with it (`EmitCache`).
struct RenderedHost: Sendable {
    let text: String
    let version: String
    /// The clusters its routes name.
    let clusters: [String]

    init(_ host: VirtualHost) {
        text = VirtualHostBuilder.build(host).rendered()
        version = ContentVersion.hex(text)
        clusters = Emitter.clusters(of: host)
    }
}

/// Builds an Envoy v3 `VirtualHost`; its routes keep their order (first match wins).
enum VirtualHostBuilder {
    static func build(_ host: VirtualHost) -> JSON {
        var members: JSONObject = [
            "name": .string(host.name),
            "domains": .array(host.domains.sorted().map(JSON.string)),
            "routes": .array(host.routes.map(RouteBuilder.build)),
        ]
        if host.requireTLS { members["require_tls"] = .string("ALL") }
        return .object(members)
    }
}

/// Builds an Envoy v3 `Route`: match, action, per-route fault and header changes.
///
/// A route carries no metadata: where it comes from (VirtualService, file and
/// line) is in the IR, for `meshc route`, not in Envoy's configuration. A
/// `filter_metadata` struct on every route was a quarter of Envoy's reload of a
/// 1,000-host route configuration (48 → 36 ms, BENCHMARKS.md), and a line
/// number in it made moving a manifest's lines a change to every proxy.
enum RouteBuilder {
    static func build(_ route: Route) -> JSON {
        var members: JSONObject = [
            "name": .string(route.name),
            "match": match(route.match),
        ]
        switch route.action {
        case .cluster, .weighted: members["route"] = RouteActionBuilder.build(route)
        case .redirect(let redirect): members["redirect"] = self.redirect(redirect)
        case .directResponse(let status, let body):
            var response: JSONObject = ["status": .int(status)]
            if let body { response["body"] = .object(["inline_string": .string(body)]) }
            members["direct_response"] = .object(response)
        }
        var perFilter: JSONObject = [:]
        if let fault = route.fault { perFilter[EnvoyFilter.fault] = HTTPFaultBuilder.build(fault) }
        if let cors = route.cors { perFilter[EnvoyFilter.cors] = CorsPolicyBuilder.build(cors) }
        if !perFilter.isEmpty { members["typed_per_filter_config"] = .object(perFilter) }
        addHeaders(route.requestHeaders, prefix: "request", to: &members)
        addHeaders(route.responseHeaders, prefix: "response", to: &members)
        return .object(members)
    }

    static func match(_ match: RouteMatch) -> JSON {
        var members: JSONObject = [:]
        switch match.path {
        case .prefix(let value): members["prefix"] = .string(value)
        case .exact(let value): members["path"] = .string(value)
        case .regex(let value): members["safe_regex"] = .object(["regex": .string(value)])
        }
        if !match.caseSensitive { members["case_sensitive"] = .bool(false) }
        if !match.headers.isEmpty {
            members["headers"] = .array(match.headers.map { header in
                var object = matcher(header.name, header.matcher)
                if header.inverted { object["invert_match"] = .bool(true) }
                return .object(object)
            })
        }
        if !match.queryParameters.isEmpty {
            members["query_parameters"] = .array(match.queryParameters.map { .object(matcher($0.name, $0.matcher)) })
        }
        return .object(members)
    }

    /// A header or query parameter matcher's members: `present_match`, or a `string_match`.
    private static func matcher(_ name: String, _ matcher: StringMatcher) -> JSONObject {
        if matcher == .present { return ["name": .string(name), "present_match": .bool(true)] }
        return ["name": .string(name), "string_match": stringMatch(matcher)]
    }

    static func stringMatch(_ matcher: StringMatcher) -> JSON {
        switch matcher {
        case .exact(let value): .object(["exact": .string(value)])
        case .prefix(let value): .object(["prefix": .string(value)])
        case .regex(let value): .object(["safe_regex": .object(["regex": .string(value)])])
        // Any value, the empty one included (callers use `present_match` where Envoy has it).
        case .present: .object(["safe_regex": .object(["regex": .string(".*")])])
        }
    }

    static func redirect(_ redirect: Redirect) -> JSON {
        var members: JSONObject = ["response_code": .string(responseCode(redirect.status))]
        if let path = redirect.path { members["path_redirect"] = .string(path) }
        if let host = redirect.host { members["host_redirect"] = .string(host) }
        if let port = redirect.port { members["port_redirect"] = .int(port) }
        if let scheme = redirect.scheme { members["scheme_redirect"] = .string(scheme) }
        return .object(members)
    }

    private static func responseCode(_ status: Int) -> String {
        switch status {
        case 302: "FOUND"
        case 303: "SEE_OTHER"
        case 307: "TEMPORARY_REDIRECT"
        case 308: "PERMANENT_REDIRECT"
        default: "MOVED_PERMANENTLY"
        }
    }

    /// `set` overwrites, `add` appends; both sorted by header name.
    static func addHeaders(_ ops: HeaderOperations, prefix: String, to members: inout JSONObject) {
        guard !ops.isEmpty else { return }
        var add: [JSON] = []
        for (name, value) in ops.set.sorted(by: { $0.key < $1.key }) { add.append(headerOption(name, value, "OVERWRITE_IF_EXISTS_OR_ADD")) }
        for (name, value) in ops.add.sorted(by: { $0.key < $1.key }) { add.append(headerOption(name, value, "APPEND_IF_EXISTS_OR_ADD")) }
        if !add.isEmpty { members["\(prefix)_headers_to_add"] = .array(add) }
        if !ops.remove.isEmpty { members["\(prefix)_headers_to_remove"] = .array(ops.remove.sorted().map(JSON.string)) }
    }

    private static func headerOption(_ name: String, _ value: String, _ action: String) -> JSON {
        .object(["header": .object(["key": .string(name), "value": .string(value)]), "append_action": .string(action)])
    }
}
