import MeshDiagnostics
import MeshIR
import MeshModel
import MeshValidate

/// Builds each cluster a route names: endpoints (subset labels from the
/// DestinationRule), how the proxy finds them, then the DestinationRule
/// traffic policy. For a host the first DestinationRule (documented order)
/// gives the policy; a subset is the first definition of that name.
enum TrafficPolicyPass {
    static func run(_ state: inout CompileState) {
        // A commit that changed VirtualServices only: the last compile's clusters stand (`CompileMemo`).
        // (`position(of:)`: a lookup that copies no cluster out.)
        if let memo = state.reusable, memo.clusters.count == state.clusterKeys.count,
           state.clusterKeys.allSatisfy({ memo.clusters.position(of: $0) != nil }), state.endpointPeers.isEmpty {
            state.clusters = memo.clusters
            state.endpointPeers = memo.peers
            state.clusterNotes = memo.notes
            state.notes += memo.notes.values.joined()
            return
        }
        // Sized once: growing rehashes every cluster key built so far.
        state.clusters.reserveCapacity(state.clusterKeys.count)
        state.endpointPeers.reserveCapacity(state.clusterKeys.count)
        // In the set's order, not sorted: a cluster is a function of its key
        // alone (`build` writes only its key's entries), and the compile
        // sorts its notes when it ends.
        var fresh: [ClusterKey] = []
        fresh.reserveCapacity(state.clusterKeys.count)
        for key in state.clusterKeys {
            guard let memo = state.reusable, let cluster = memo.clusters[key] else {
                fresh.append(key)
                continue
            }
            state.clusters.insert(cluster, for: key)
            if let peers = memo.peers[key] { state.endpointPeers[key] = peers }
            if let notes = memo.notes[key] {
                state.notes += notes
                state.clusterNotes[key] = notes
            }
        }
        var built = buildAll(fresh, state)
        // Taken apart from the end (moved: no cluster is copied and freed); clusters[j] and
        // extras[j] are fresh[count - 1 - j]'s.
        let count = fresh.count
        var clusters: [Cluster] = [], extras: [(peers: EndpointPeers?, notes: [CompileNote])] = []
        clusters.reserveCapacity(count)
        extras.reserveCapacity(count)
        while let ((cluster, peers), notes) = built.popLast() {
            clusters.append(cluster)
            extras.append((peers, notes))
        }
        var table = state.clusters, peersTable = state.endpointPeers, clusterNotes = state.clusterNotes, notes = state.notes
        state.clusters = ClusterTable()
        state.endpointPeers = [:]
        state.clusterNotes = [:]
        state.notes = []
        // The cluster table's keys hashed beside the peers' and notes' (26,000 each for a 10k sidecar): in
        // the same order as one loop would (fresh from the end), each table written by one side only. The
        // clusters join the table as the array they are in (a cold compile's table takes it whole).
        Parallel.both({
            table.append(clusters, for: fresh.reversed())
            clusters = []
        }, {
            for j in 0..<count {
                let key = fresh[count - 1 - j]
                if let peers = extras[j].peers { peersTable[key] = peers }
                if !extras[j].notes.isEmpty {
                    notes += extras[j].notes
                    clusterNotes[key] = extras[j].notes
                }
            }
        })
        state.clusters = table
        state.endpointPeers = peersTable
        state.clusterNotes = clusterNotes
        state.notes = notes
    }

    /// Builds `keys` on every core (`CompileState.parallelMap`, outputs
    /// emptied): `build` reads the index and the tables earlier passes made,
    /// and writes its own key's entries only. Each cluster with its endpoint peers and the notes it wrote.
    private static func buildAll(_ keys: [ClusterKey], _ state: CompileState) -> [(result: (cluster: Cluster, peers: EndpointPeers?), notes: [CompileNote])] {
        let seeds = state.endpointPeers
        return state.parallelMap(keys, chunk: 512, clearing: { $0.clusters = ClusterTable(); $0.endpointPeers = [:]; $0.clusterNotes = [:] }) { key, local in
            if let seed = seeds[key] { local.endpointPeers[key] = seed }
            let cluster = build(key, &local)
            return (cluster: cluster, peers: local.endpointPeers[key])
        }
    }

    /// Builds cluster `key` (notes and endpoint peers into `state` as it goes).
    private static func build(_ key: ClusterKey, _ state: inout CompileState) -> Cluster {
        let rules = state.index.destinationRules(forHost: key.host)
        // The first rule gives the policy (the index lists DestinationRules only; the specs are classes: nothing large is copied).
        let first = rules.first.flatMap { resource in Self.spec(of: resource).map { (resource, $0) } }
        var labels = StringMap()
        var subsetMissing = false
        var subsetPolicy: TrafficPolicy?
        if let subsetName = key.subset {
            if let subset = Self.subset(named: subsetName, in: rules) {
                labels = subset.labels ?? StringMap()
                subsetPolicy = subset.trafficPolicy
            } else {
                subsetMissing = true
                if let (resource, _) = first {
                    state.note("subset \(subsetName) of \(key.host) is not defined; cluster \(key.name) has no endpoints", in: resource)
                }
            }
        }
        var endpoints = subsetMissing ? [] : EndpointResolver.endpoints(for: key, labels: labels, &state) ?? []
        let discovery = EndpointResolver.discovery(for: key, endpoints: &endpoints, &state)
        var cluster = Cluster(name: key.name, endpoints: endpoints, discovery: discovery)
        cluster.http2 = speaksHTTP2(key, state)
        let settings = Settings(rule: first?.1.trafficPolicy, subset: subsetPolicy, port: key.port)
        if let (resource, _) = first { ClusterPolicy.apply(settings, to: &cluster, key: key, resource, &state) }
        // Istio's auto-mTLS: no TLS setting written, every endpoint a sidecar that takes mTLS.
        if settings.tls == nil, state.meshTLS, let peers = state.endpointPeers[key], peers.acceptsMeshTLS {
            cluster.tls = MeshTLSPolicy.upstream(key, sni: nil, subjectAltNames: [], state)
        }
        return cluster
    }

    /// A DestinationRule's spec (nil for another kind).
    private static func spec(of resource: Resource) -> DestinationRuleSpec? {
        guard case .destinationRule(let spec) = resource.body else { return nil }
        return spec
    }

    /// The first subset named `name` among `rules`' subsets, in rule order.
    private static func subset(named name: String, in rules: [Resource]) -> Subset? {
        for rule in rules {
            guard let spec = spec(of: rule) else { continue }
            if let subset = spec.subsets.first(where: { $0.name?.value == name }) { return subset }
        }
        return nil
    }

    /// Whether the service port behind `key` is gRPC or HTTP/2 (Istio's `IsHTTP2`):
    /// Envoy must speak HTTP/2 to its endpoints, whatever the client spoke.
    static func speaksHTTP2(_ key: ClusterKey, _ state: CompileState) -> Bool {
        var found: PortProtocol?
        if let (_, spec) = state.servicesByHost[key.host], let port = spec.ports.first(where: { $0.port?.value == key.port }) {
            found = PortProtocol.of(port)
        } else if let entry = state.serviceEntries.declaring(key.host),
                  let port = entry.spec.ports.first(where: { $0.number?.value == key.port }) {
            found = port.protocol.flatMap { PortProtocol.parse($0.value) }
        }
        return found == .grpc || found == .grpcWeb || found == .http2
    }

    /// The effective settings for one cluster, merged as Istio's
    /// `MergeTrafficPolicy` does: the rule's policy, then the subset's
    /// fields where written. Matching port-level settings replace all four
    /// fields, unwritten ones going back to the defaults (Istio's documented
    /// rule: port-level settings do not inherit).
    struct Settings {
        var loadBalancer: LoadBalancerSettings?
        var connectionPool: ConnectionPoolSettings?
        var outlierDetection: MeshModel.OutlierDetection?
        var tls: ClientTLSSettings?
        /// tunnel, proxyProtocol or retryBudget written (not built).
        var hasOtherSettings = false

        init(rule: TrafficPolicy?, subset: TrafficPolicy?, port: Int) {
            if let rule { merge(rule, port: port) }
            if let subset { merge(subset, port: port) }
        }

        /// `policy`'s written fields over these, then its settings for `port` over all four.
        private mutating func merge(_ policy: TrafficPolicy, port: Int) {
            if let value = policy.loadBalancer { loadBalancer = value }
            if let value = policy.connectionPool { connectionPool = value }
            if let value = policy.outlierDetection { outlierDetection = value }
            if let value = policy.tls { tls = value }
            hasOtherSettings = hasOtherSettings || policy.hasOtherSettings
            if let level = policy.portLevelSettings.first(where: { $0.port?.number?.value == port }) {
                loadBalancer = level.loadBalancer
                connectionPool = level.connectionPool
                outlierDetection = level.outlierDetection
                tls = level.tls
            }
        }
    }
}
