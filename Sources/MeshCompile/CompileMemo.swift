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
/// resolve-hosts' Service and ServiceEntry tables and each VirtualService
/// bound (its own hosts and gateways, by object).
package final class CompileMemo: @unchecked Sendable {
    /// A rule's targets as resolve-destinations resolved them, with the notes
    /// it wrote; the rule is held so that its identity stays its own.
    struct ResolvedRule {
        var rule: HTTPRoute
        var targets: RuleTargets
        var notes: [CompileNote]
    }

    let index: MeshIndex
    let options: CompileOptions
    /// Every cluster traffic-policy built, the notes building it wrote
    /// (clusters with none left out) and the endpoint peers it found.
    let clusters: [ClusterKey: Cluster]
    let notes: [ClusterKey: [CompileNote]]
    let peers: [ClusterKey: EndpointPeers]
    /// Per proxy (by name), its virtual hosts as lower lowered them.
    let proxies: [String: LoweredProxy]
    /// Per HTTP rule (by identity), its targets.
    let rules: [ObjectIdentifier: ResolvedRule]
    /// resolve-hosts' tables: Services by FQDN, ServiceEntries, and each VirtualService bound (by identity).
    let servicesByHost: [String: (resource: Resource, spec: ServiceSpec)]
    let serviceEntries: [(resource: Resource, spec: ServiceEntrySpec, hosts: [String])]
    let bound: [ObjectIdentifier: BoundVirtualService]

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
        var key: Key
        var routes: [Route]
        var used: [ClusterKey]
        var notes: [CompileNote]
    }

    /// By host: a sidecar's by `host:port`, a gateway's by route table and domain.
    var hosts: [String: Host] = [:]
    /// The clusters the routes use, and those clusters sorted by name.
    var used = Set<ClusterKey>()
    var clusters: [Cluster] = []

    /// `hosts[id]` when its key is `key` (the notes it wrote replayed into `state`); else `lower()`'s, recorded.
    mutating func host(_ id: String, _ key: Key, earlier: LoweredProxy?, _ state: inout CompileState,
                       lower: (inout CompileState) -> (routes: [Route], used: [ClusterKey])) -> Host {
        let host: Host
        if let kept = earlier?.hosts[id], kept.key == key {
            host = kept
            state.notes += kept.notes
        } else {
            let (lowered, notes) = state.withNotes(lower)
            host = Host(key: key, routes: lowered.routes, used: lowered.used, notes: notes)
        }
        hosts[id] = host
        return host
    }

    /// The clusters `used` names, sorted by name: `earlier`'s list when it used the same ones.
    mutating func clusters(_ used: Set<ClusterKey>, earlier: LoweredProxy?, _ state: CompileState) -> [Cluster] {
        self.used = used
        clusters = earlier.flatMap { $0.used == used ? $0.clusters : nil } ?? used.sorted().compactMap { state.clusters[$0] }
        return clusters
    }
}
