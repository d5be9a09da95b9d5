import MeshDiagnostics
import MeshIR
import MeshModel
import MeshValidate

/// What the passes share. Each pass fills its own fields, in `Compiler.passes` order.
struct CompileState {
    let index: MeshIndex
    let options: CompileOptions
    var notes: [CompileNote] = []

    // resolve-hosts
    /// VirtualServices bound to at least one Gateway, in the documented order (file path, then position).
    var virtualServices: [BoundVirtualService] = []
    /// VirtualServices that apply to sidecars (`mesh` in their gateways, or none), same order.
    var meshVirtualServices: [BoundVirtualService] = []
    /// Host → index into `meshVirtualServices` of the first naming it exactly.
    var meshVirtualServiceByHost: [String: Int] = [:]
    /// Indices into `meshVirtualServices` of those with a wildcard host, in order.
    var wildcardMeshVirtualServices: [Int] = []
    /// Kubernetes Services by FQDN.
    var servicesByHost: [String: (resource: Resource, spec: ServiceSpec)] = [:]
    /// ServiceEntries with their hosts FQDN-resolved, in the documented order.
    var serviceEntries = ServiceEntryTable()
    /// Every VirtualService bound, by identity, for the next compile (`CompileMemo`).
    var bound: [ObjectIdentifier: BoundVirtualService] = [:]
    /// resolve-hosts' tables with where each VirtualService went, for the next compile (`CompileMemo`).
    var resolvedHosts: ResolvedHosts?

    // declare-proxies
    /// Every proxy to build, declared or implicit, sorted by name.
    var declarations: [ProxyDeclaration] = []
    /// WorkloadEntry (by identity) → workload port → where its sidecar takes that port's traffic.
    var interceptions: [ObjectIdentifier: [Int: (address: String, port: Int)]] = [:]

    // peer-authentication
    /// Whether mesh mTLS is built at all (the repository has a PeerAuthentication).
    var meshTLS = false
    /// Sidecar proxy name → the PeerAuthentication modes of the workload it fronts.
    var peerModes: [String: PeerModes] = [:]
    /// WorkloadEntry (by identity) → the sidecar fronting it.
    var sidecarOfWorkload: [ObjectIdentifier: ProxyDeclaration] = [:]
    /// Per cluster, who answers at its endpoints (filled while endpoints resolve, traffic-policy).
    var endpointPeers: [ClusterKey: EndpointPeers] = [:]

    // authorization
    /// Proxy name → the AuthorizationPolicies and RequestAuthentications that apply to it (proxies with none left out).
    var authorization: [String: AuthorizationScope] = [:]
    /// Clusters remote JWKS are fetched through, by name (lower adds them to the proxies whose chains name them).
    var jwksClusters: [String: Cluster] = [:]
    /// The MeshConfig's HTTP ext_authz providers, by name (their clusters are in `clusterKeys`).
    var extAuthz: [String: ExtAuthzService] = [:]

    // telemetry
    /// Proxy name → its listeners' telemetry on each side (proxies with none left out).
    var telemetry: [String: [TelemetryPass.Mode: ListenerTelemetry]] = [:]

    // bind-gateways
    var proxies: [GatewayProxy] = []

    // sidecar-routes
    var sidecars: [SidecarProxy] = []
    /// What each sidecar reaches, for the next compile (`CompileMemo`).
    var sidecarReach: [String: SidecarReach] = [:]

    // merge-virtual-services: filled into `proxies[i].ports`.

    // resolve-destinations
    /// Every cluster some route names.
    var clusterKeys: Set<ClusterKey> = []
    /// Per http rule (by identity), its targets: its shares with their
    /// header changes, and its mirrors (with the notes resolving them wrote,
    /// for the next compile's `CompileMemo`).
    var resolvedRules: [ObjectIdentifier: CompileMemo.ResolvedRule] = [:]

    // traffic-policy
    var clusters = ClusterTable()
    /// The notes building each cluster wrote (clusters with none left out), for the next compile (`CompileMemo`).
    var clusterNotes: [ClusterKey: [CompileNote]] = [:]
    /// The last compile's memo, when this compile may take its clusters over.
    var reusable: CompileMemo?
    /// Whether the passes record what the next compile's memo needs (rules, lowered hosts).
    var recordsMemo = false

    // lower
    var output: [ProxyConfig] = []
    /// Each sidecar's lowered outbound hosts, for the next compile (`CompileMemo`).
    var loweredProxies: [String: LoweredProxy] = [:]

    init(index: MeshIndex, options: CompileOptions) {
        self.index = index
        self.options = options
    }

    /// Records a skipped part of the input at `mark` in `resource`'s file.
    mutating func note(_ message: String, in resource: Resource, at mark: Mark? = nil) {
        let at = mark ?? resource.mark
        notes.append(CompileNote(file: resource.file, line: Int(at.line), column: Int(at.column), message: message))
    }

    /// `body` for each of `items` on every core, each chunk of them on one
    /// copy of this state holding no notes (and what `clearing` empties), so
    /// a worker's writes copy nothing shared: for per-item work that only
    /// reads the state besides notes and its own item's entries (an item's
    /// entries stay in the copy while the rest of its chunk runs; nobody
    /// else reads them). The results in `items`' order, with the notes each
    /// wrote, for the caller to merge in order. One copy per chunk, not per
    /// item: a copy retains every table of the state (two cores retaining
    /// the same tables for each of 26,000 clusters).
    func parallelMap<Item: Sendable, T: Sendable>(_ items: [Item], chunk: Int = 256, clearing: (inout CompileState) -> Void = { _ in },
                                                  _ body: @Sendable (Item, inout CompileState) -> T) -> [(result: T, notes: [CompileNote])] {
        var empty = self
        empty.notes = []
        clearing(&empty)
        nonisolated(unsafe) let base = empty
        return items.parallelMap(chunk: chunk, context: { base }) { item, local in
            let result = body(item, &local)
            guard !local.notes.isEmpty else { return (result, []) }
            defer { local.notes = [] }
            return (result, local.notes)
        }
    }

    /// The clusters built for `keys`, in their order, copied out on every
    /// core (a 10k sidecar names 26,000, each copy retaining its strings);
    /// keys with no cluster are left out.
    func clusters(for keys: [ClusterKey]) -> [Cluster] {
        let table = clusters
        // Looked up on every core too: 26,000 keys hashed on one were most of this step.
        let found = keys.parallelMap(chunk: 2048) { table.position(of: $0) }
        let positions = found.compactMap { $0 }
        guard positions.count == keys.count else { return positions.map { table.values[$0] } }
        return positions.parallelMap(chunk: 2048) { table.values[$0] }
    }

    /// `body`'s result and the notes it wrote (they stay in `notes` too): what a `CompileMemo` replays.
    mutating func withNotes<T>(_ body: (inout CompileState) -> T) -> (result: T, notes: [CompileNote]) {
        let before = notes.count
        let result = body(&self)
        return (result, Array(notes[before...]))
    }
}

/// resolve-hosts' VirtualService tables and, per VirtualService in merge order, where it went:
/// a commit that edits VirtualServices without moving them or changing their hosts or gateways
/// puts the new ones in the same places (`ResolveHostsPass`).
struct ResolvedHosts {
    /// The VirtualServices bound, in merge order.
    var order: [BoundVirtualService]
    /// Per entry of `order`, its index in `meshVirtualServices` and in `virtualServices`.
    var meshPosition: [Int?]
    var gatewayPosition: [Int?]
    var virtualServices: [BoundVirtualService]
    var meshVirtualServices: [BoundVirtualService]
    var meshVirtualServiceByHost: [String: Int]
    var wildcardMeshVirtualServices: [Int]
}

/// A VirtualService with FQDN hosts and the Gateways (`namespace/name`) it
/// names. A class: every rule reference carries one, and a copy is then one reference.
final class BoundVirtualService {
    let resource: Resource
    let spec: VirtualServiceSpec
    /// `spec.hosts`, FQDN-resolved in the VirtualService's namespace.
    let hosts: [String]
    /// Gateway keys `namespace/name`, `mesh` left out.
    let gateways: [String]

    /// Whether sidecars take it (`mesh` among its gateways, or none named).
    var appliesToSidecars: Bool { gateways.isEmpty || spec.gateways.contains { $0.value == "mesh" } }

    init(resource: Resource, spec: VirtualServiceSpec, hosts: [String], gateways: [String]) {
        self.resource = resource
        self.spec = spec
        self.hosts = hosts
        self.gateways = gateways
    }
}

/// One Gateway server as a gateway proxy serves it.
struct BoundServer {
    let gateway: Resource
    let server: GatewayServer
    /// Gateway key `namespace/name`.
    let gatewayKey: String
    let port: Int
    /// The server's position in its Gateway's `servers`.
    let index: Int
    /// Server hosts split into namespace filter (nil: any) and host.
    let hosts: [(namespace: String?, host: String)]
    /// The server's protocol, upper-cased (`HTTP`, `HTTPS`, `TLS`, `TCP`…).
    let `protocol`: String

    /// True when an HTTP connection manager serves the server (HTTPS terminated here included).
    var isHTTP: Bool { BindGatewaysPass.httpProtocols.contains(`protocol`) && !isPassthrough }
    /// True for TLS servers that pass the stream on by SNI (mode PASSTHROUGH or AUTO_PASSTHROUGH, or TLS without terminating settings).
    var isPassthrough: Bool {
        let mode = server.tls?.mode?.value ?? "SIMPLE"
        return (`protocol` == "TLS" || `protocol` == "HTTPS") && (mode == "PASSTHROUGH" || mode == "AUTO_PASSTHROUGH")
    }
}

/// A rule a virtual host serves, with the Gateway that bound it.
struct RuleRef {
    let virtualService: BoundVirtualService
    let rule: HTTPRoute
    /// Position of the rule in the VirtualService's `http` list.
    let position: Int
    let gatewayKey: String
    let port: Int
}

/// The merged routes of one route table: domain → rules in order.
struct PortRoutes {
    /// The route configuration's name (`http.80`).
    let name: String
    let port: Int
    var virtualHosts: [String: [RuleRef]] = [:]
    /// Hosts of the servers that asked for `httpsRedirect` (as written, `*` included): plain
    /// requests for the domains they cover get a redirect to https.
    var redirectDomains = Set<String>()

    /// Whether plain requests for `domain` are redirected to https.
    func redirects(_ domain: String) -> Bool { redirectDomains.contains { Hosts.covers($0, domain) } }
}

/// A gateway proxy: the Gateways whose selector it carries.
struct GatewayProxy {
    let declaration: ProxyDeclaration
    var name: String { declaration.name }
    var labels: StringMap { declaration.labels }
    var servers: [BoundServer] = []
    /// Merged HTTP routes by route table name.
    var routeTables: [String: PortRoutes] = [:]
    /// TCP and TLS-passthrough chains by server port (gateway-streams).
    var streams: [Int: [FilterChain]] = [:]
    /// The clusters those chains name, by name.
    var streamClusters: [String: ClusterKey] = [:]

    init(declaration: ProxyDeclaration) {
        self.declaration = declaration
    }
}

/// A cluster's identity: host, port and subset.
struct ClusterKey: Hashable, Comparable, Sendable {
    /// One allocation per key, shared by its copies: a key is copied into a
    /// dozen sets and tables per compile, and a copy is then one reference.
    private final class Storage: Sendable {
        let host: String
        let port: Int
        let subset: String?
        let name: String
        let nameHash: Int

        init(host: String, port: Int, subset: String?) {
            self.host = host
            self.port = port
            self.subset = subset
            name = "outbound|\(port)|\(subset ?? "")|\(host)"
            nameHash = name.hashValue
        }
    }

    private let storage: Storage

    init(host: String, port: Int, subset: String?) {
        storage = Storage(host: host, port: port, subset: subset)
    }

    var host: String { storage.host }
    var port: Int { storage.port }
    var subset: String? { storage.subset }
    /// Istio's `outbound|<port>|<subset>|<host>`, made once: keys are sorted by it many times.
    var name: String { storage.name }

    static func == (a: ClusterKey, b: ClusterKey) -> Bool {
        a.storage === b.storage || (a.storage.nameHash == b.storage.nameHash && a.storage.name == b.storage.name)
    }
    /// `name`'s hash, made once.
    func hash(into hasher: inout Hasher) { hasher.combine(storage.nameHash) }
    static func < (a: ClusterKey, b: ClusterKey) -> Bool { a.storage !== b.storage && a.storage.name < b.storage.name }
}

extension Array where Element == ClusterKey {
    /// Sorted, each key once: the two halves sorted on two cores, then
    /// merged (a 10k-service sidecar's 26,000 cluster keys, compared by
    /// name). Here, not generic in MeshDiagnostics: unspecialized, a sort
    /// calls a value witness per element moved.
    func sortedUnique() -> [ClusterKey] {
        guard count >= 4096 else {
            var unique: [ClusterKey] = []
            unique.reserveCapacity(count)
            for value in sorted() where unique.last != value { unique.append(value) }
            return unique
        }
        let middle = count / 2
        let (low, high) = Parallel.both({ self[..<middle].sorted() }, { self[middle...].sorted() })
        // Merged and deduplicated in one pass.
        var merged: [ClusterKey] = []
        merged.reserveCapacity(count)
        var i = 0, j = 0
        while i < low.count || j < high.count {
            let takeHigh = i == low.count || (j < high.count && high[j] < low[i])
            let next = takeHigh ? high[j] : low[i]
            if takeHigh { j += 1 } else { i += 1 }
            if merged.last != next { merged.append(next) }
        }
        return merged
    }
}
