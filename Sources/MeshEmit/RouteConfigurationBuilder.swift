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
        // The names the hosts use (checked against the proxy's clusters) beside the splice and its
        // version: 10,000 hosts' names hashed on one core, the splice hashed on the other.
        let ((named, checked), resource) = Parallel.both({ () -> (NamedClusters, Bool) in
            let named = NamedClusters(rendered, fresh: found.map { $0 == nil }, last: last, lastMatched: matched)
            guard let table else { return (named, false) }
            // The last set held in these very tables: only the names new to the set can be missing.
            let reuse = named.added != nil && table.id != nil && last?.checkedAgainst == table.id
            return (named, reuse ? named.added!.allSatisfy(table.clusters.holds) : named.clusters.allSatisfy(table.clusters.holds))
        }, { () -> EnvoyResource in
            var splice = VirtualHostSplice()
            for (host, rendered) in zip(hosts, rendered) {
                splice.append(name: host.name, rendered: rendered.text, version: rendered.version)
            }
            return splice.resource(name: config.name, shell: shell.rendered())
        })
        cache?.keep(RouteHosts(hosts: hosts, rendered: rendered, clusters: named.clusters, counts: named.counts,
                               checkedAgainst: checked ? table?.id : nil), as: key)
        return (resource, named.clusters, checked)
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
        text = VirtualHostBuilder.render(host).text
        version = ContentVersion.hex(text)
        clusters = Emitter.clusters(of: host)
    }
}

/// An Envoy v3 `VirtualHost` (`RouteWriter`); its routes keep their order.
enum VirtualHostBuilder {
    /// The host's canonical bytes.
    static func render(_ host: VirtualHost) -> JSONWriter {
        var w = JSONWriter(capacity: 256 + 512 * host.routes.count)
        RouteWriter.virtualHost(host, into: &w)
        return w
    }

    /// The host as a `JSON` value (the static bootstrap, goldens).
    static func build(_ host: VirtualHost) -> JSON {
        // The writer's own output: it parses (RouteRenderTests holds every shape to it).
        (try? JSON.parse(render(host).bytes)) ?? .null
    }
}
