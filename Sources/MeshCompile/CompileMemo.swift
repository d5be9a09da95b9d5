import MeshDiagnostics
import MeshIR
import MeshModel
import MeshValidate

/// What a compile keeps for the next one in a long-lived pipeline (the
/// reconciler, a plan of two refs): each cluster traffic-policy built, with
/// the notes it wrote and the endpoint peers it found.
///
/// A cluster is a function of its key and of every kind of resource but
/// VirtualServices (DestinationRules, Services and ServiceEntries,
/// workloads, proxies, PeerAuthentications, the MeshConfig…): routes choose
/// which clusters exist, never what one holds. So while a commit changes
/// VirtualServices only (every other kind the same objects in the same
/// order, the same options), the next compile takes each cluster it needs
/// from here instead of building it; any other change builds them all.
/// The same holds for what rides on the clusters: each rule's resolved
/// targets (by rule object) and each proxy's lowered virtual hosts; and for
/// resolve-hosts' Service and ServiceEntry tables, each VirtualService
/// bound (its own hosts and gateways, by object) and what each sidecar
/// reaches (`SidecarReach`).
package final class CompileMemo: @unchecked Sendable {
    /// A rule's targets as resolve-destinations resolved them, with the notes
    /// it wrote; the rule is held so that its identity stays its own.
    /// A class: each compile's table holds it for every rule reference, and a copy is then one reference.
    final class ResolvedRule {
        let rule: HTTPRoute
        let targets: RuleTargets
        let notes: [CompileNote]

        init(rule: HTTPRoute, targets: RuleTargets, notes: [CompileNote]) {
            self.rule = rule
            self.targets = targets
            self.notes = notes
        }
    }

    let index: MeshIndex
    let options: CompileOptions
    /// Every cluster traffic-policy built, the notes building it wrote
    /// (clusters with none left out) and the endpoint peers it found.
    let clusters: ClusterTable
    let notes: [ClusterKey: [CompileNote]]
    let peers: [ClusterKey: EndpointPeers]
    /// Per proxy (by name), its virtual hosts as lower lowered them.
    let proxies: [String: LoweredProxy]
    /// Per HTTP rule (by identity), its targets.
    let rules: [ObjectIdentifier: ResolvedRule]
    /// resolve-hosts' tables: Services by FQDN, ServiceEntries, and each VirtualService bound (by identity).
    let servicesByHost: [String: (resource: Resource, spec: ServiceSpec)]
    let serviceEntries: ServiceEntryTable
    let bound: [ObjectIdentifier: BoundVirtualService]
    let resolvedHosts: ResolvedHosts?
    /// Per sidecar (by name), what it reaches.
    let sidecarReach: [String: SidecarReach]

    /// What `state`, at the end of a compile, holds for the next one.
    init(_ state: CompileState) {
        index = state.index
        options = state.options
        clusters = state.clusters
        notes = state.clusterNotes
        peers = state.endpointPeers
        proxies = state.loweredProxies
        rules = state.resolvedRules
        servicesByHost = state.servicesByHost
        serviceEntries = state.serviceEntries
        bound = state.bound
        resolvedHosts = state.resolvedHosts
        sidecarReach = state.sidecarReach
    }

    /// This memo when a compile of `index` under `options` may take its clusters over; else nil.
    func reusable(for index: MeshIndex, options: CompileOptions) -> CompileMemo? {
        guard options == self.options, index.config == self.index.config else { return nil }
        let unchanged = index === self.index ? Set(ResourceKind.allCases) : index.unchangedKinds(since: self.index)
        return unchanged.isSuperset(of: ResourceKind.allCases.filter { $0 != .virtualService }) ? self : nil
    }
}

/// A proxy's virtual hosts as lower lowered them (`SidecarLowering`'s
/// outbound hosts, `LowerPass`'s gateway hosts). A host's routes are a
/// function of its domains and origin, its rules (each rule object with its
/// VirtualService, position and binding) and what stood with the clusters
/// (the proxy, the rules' targets), so a later compile under the same memo
/// takes a host whose key is equal as it is.
struct LoweredProxy {
    struct Key: Equatable {
        var domains: [String]
        /// The Service or ServiceEntry of a sidecar's outbound host (its default route's source).
        var origin: ObjectIdentifier?
        var rules: [Rule]

        struct Rule: Equatable {
            var rule: ObjectIdentifier
            var virtualService: ObjectIdentifier
            var position: Int
            var gatewayKey: String
            var port: Int
        }

        init(domains: [String], origin: Resource?, rules: [RuleRef]) {
            self.domains = domains
            self.origin = origin.map(ObjectIdentifier.init)
            self.rules = rules.map {
                Rule(rule: ObjectIdentifier($0.rule), virtualService: ObjectIdentifier($0.virtualService.resource), position: $0.position,
                     gatewayKey: $0.gatewayKey, port: $0.port)
            }
        }

        init(_ host: OutboundHost) { self.init(domains: host.domains, origin: host.origin, rules: host.rules) }
    }

    struct Host {
        var id: String
        var key: Key
        var routes: [Route]
        var used: [ClusterKey]
        var notes: [CompileNote]
    }

    /// In lowering order, which is ascending by id (a sidecar's hosts by
    /// `host:port`, a gateway's by route table and domain).
    private(set) var hosts: [Host] = []
    /// What the clusters were built from besides the hosts, and the list built.
    private var extraKeys: [ClusterKey] = []
    private var extra: [Cluster] = []
    private var listeners: [Listener] = []
    private(set) var clusters: [Cluster] = []
    /// Where the walk over `earlier`'s hosts stands, and whether every host
    /// so far sat where it sat in `earlier` and used the same clusters.
    private var cursor = 0
    private var sameUse = true

    /// Host `id`, next in ascending order: `earlier`'s host of that id when
    /// its key is `key` (the notes it wrote replayed into `state`); else
    /// `lower()`'s. `earlier`'s hosts are walked in step, so finding the
    /// host hashes nothing.
    mutating func host(_ id: String, _ key: Key, earlier: LoweredProxy?, _ state: inout CompileState,
                       lower: (inout CompileState) -> (routes: [Route], used: [ClusterKey])) -> Host {
        var before: Host?
        if let earlier {
            while cursor < earlier.hosts.count, earlier.hosts[cursor].id < id {
                cursor += 1
                sameUse = false
            }
            if cursor < earlier.hosts.count, earlier.hosts[cursor].id == id {
                before = earlier.hosts[cursor]
                cursor += 1
            }
        }
        let host: Host
        if let before, before.key == key {
            host = before
            state.notes += before.notes
        } else {
            let (lowered, notes) = state.withNotes(lower)
            host = Host(id: id, key: key, routes: lowered.routes, used: lowered.used, notes: notes)
        }
        sameUse = sameUse && before?.used == host.used
        hosts.append(host)
        return host
    }

    /// The proxy's clusters: `build` of what the hosts and `extraKeys` use (sorted, each once),
    /// given the `extra` clusters (inbound, policy) and `listeners` it adds
    /// them for. `earlier`'s list when the hosts used the same clusters in
    /// the same places and the rest is equal: no set of keys is built.
    mutating func clusters(extraKeys: [ClusterKey], extra: [Cluster], listeners: [Listener], earlier: LoweredProxy?,
                           build: ([ClusterKey]) -> [Cluster]) -> [Cluster] {
        self.extraKeys = extraKeys
        self.extra = extra
        self.listeners = listeners
        if let earlier, sameUse, earlier.hosts.count == hosts.count, earlier.extraKeys == extraKeys, earlier.extra == extra,
           earlier.listeners == listeners {
            clusters = earlier.clusters
        } else {
            var used = extraKeys
            used.reserveCapacity(hosts.reduce(extraKeys.count) { $0 + $1.used.count })
            for host in hosts { used += host.used }
            clusters = build(used.sortedUnique())
        }
        return clusters
    }
}
