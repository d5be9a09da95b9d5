import Foundation
import MeshDiagnostics
import MeshIR
import MeshSnapshot

/// A proxy's clusters and their endpoints as snapshot tables.
struct ClusterTables {
    let clusters: ResourceTable
    let endpoints: ResourceTable
    /// Set by the `EmitCache` that made these tables, for route
    /// configurations to know they checked their clusters against the same
    /// names last build (`RouteHosts.checkedAgainst`); nil without a cache.
    let id: Int?

    init(_ rendered: consuming [(cluster: EnvoyResource, endpoint: EnvoyResource)], id: Int? = nil) {
        // The pairs moved apart from the end (copying 26,000 of each out was 200,000 retains, and as many releases later).
        var pairs = rendered
        var clusters: [EnvoyResource] = [], endpoints: [EnvoyResource] = []
        clusters.reserveCapacity(pairs.count)
        endpoints.reserveCapacity(pairs.count)
        while let (cluster, endpoint) = pairs.popLast() {
            clusters.append(cluster)
            endpoints.append(endpoint)
        }
        clusters.reverse()
        endpoints.reverse()
        // Each table hashes 26,000 names for a 10k sidecar: the two side by side.
        (self.clusters, self.endpoints) = Parallel.both({ ResourceTable(clusters) }, { ResourceTable(endpoints) })
        self.id = id
    }
}

/// A route configuration as the last build emitted it: its virtual hosts
/// (sorted by name), their renders, and the clusters they name, counted.
struct RouteHosts {
    let hosts: [VirtualHost]
    let rendered: [RenderedHost]
    /// Every cluster a host names.
    let clusters: Set<String>
    /// How many hosts name each cluster: what lets the next build update
    /// `clusters` from the hosts it changed. Made on the first such update.
    let counts: [String: Int]?
    /// The `ClusterTables.id` of the proxy's tables that held every one of
    /// `clusters`, when they did.
    let checkedAgainst: Int?
}

/// What earlier emits rendered, keyed by the IR value each came from: a
/// long-lived pipeline (the reconciler, a plan building base then head)
/// renders only the clusters, listeners and virtual hosts a commit
/// changed. IR values are compared whole (hashed by name), so a hit is
/// exactly the bytes a fresh render would give.
///
/// Bounded: `rotate()` (once per build) keeps what the last build used and
/// drops the rest, so the cache holds at most two builds' resources.
package final class EmitCache: @unchecked Sendable {
    private struct Generation {
        var clusters: [ByName<Cluster>: (cluster: EnvoyResource, endpoint: EnvoyResource)] = [:]
        var listeners: [ByName<Listener>: EnvoyResource] = [:]
        var virtualHosts: [ByName<VirtualHost>: RenderedHost] = [:]
        /// Per proxy, its sorted cluster list and their renders as cluster and endpoint tables.
        var clusterLists: [String: (clusters: [Cluster], tables: ClusterTables)] = [:]
        /// Per proxy and route configuration, its sorted virtual hosts, their renders and the clusters they name.
        var routeHosts: [String: RouteHosts] = [:]
    }

    /// An IR value hashed by its name alone and compared whole. A table
    /// holds at most two builds' values, so a name has one or two entries;
    /// hashing the whole value (every endpoint, every route) was most of a
    /// warm emit, and comparing is cheap where the compiler handed back the
    /// same value (`CompileMemo`: strings and arrays share their storage).
    private struct ByName<Value: Equatable>: Hashable {
        let value: Value
        let name: String

        static func == (a: Self, b: Self) -> Bool { a.name == b.name && a.value == b.value }
        func hash(into hasher: inout Hasher) { hasher.combine(name) }
    }

    private let lock = NSLock()
    private var current = Generation()
    private var previous = Generation()
    /// Generations `rotate()` dropped, until `releaseRetired()`.
    private var retired: [Generation] = []
    /// Lookups answered from the cache, and all lookups (for benchmarks and tests).
    private(set) var hits = 0
    private(set) var lookups = 0

    package init() {}

    /// Starts a build: what the previous build did not use is set aside,
    /// freed by `releaseRetired()` once the build is done.
    package func rotate() {
        // At most one generation waits: a caller that never releases still frees them, one build late.
        let stale = lock.withLock {
            defer {
                retired = [previous]
                previous = current
                current = Generation()
            }
            return retired
        }
        if !stale.isEmpty { Teardown.release(stale) }
    }

    /// Frees what `rotate()` set aside, off the caller's path (thousands of
    /// renders: on a background queue, after the build that no longer needs them).
    package func releaseRetired() {
        Teardown.release(lock.withLock {
            defer { retired = [] }
            return retired
        })
    }

    /// (hits, lookups) since the cache was made.
    package var statistics: (hits: Int, lookups: Int) { lock.withLock { (hits, lookups) } }

    func cluster(_ key: Cluster, render: () -> (cluster: EnvoyResource, endpoint: EnvoyResource)) -> (cluster: EnvoyResource, endpoint: EnvoyResource) {
        memo(ByName(value: key, name: key.name), \.clusters, render)
    }

    /// The cluster and endpoint tables of `proxy`'s cluster list (sorted
    /// by name): the last list's when it is the same list (one comparison
    /// per cluster, no hashing; none when the compiler handed back the same
    /// array), else made from `render`'s, kept for the next build.
    func clusters(of proxy: String, _ clusters: [Cluster], render: () -> [(cluster: EnvoyResource, endpoint: EnvoyResource)]) -> ClusterTables {
        let last = lock.withLock { current.clusterLists[proxy] ?? previous.clusterLists[proxy] }
        let tables = last.flatMap { $0.clusters == clusters ? $0.tables : nil } ?? ClusterTables(render(), id: nextTablesID())
        lock.withLock { current.clusterLists[proxy] = (clusters, tables) }
        return tables
    }

    private var tablesMade = 0

    /// A number no other `ClusterTables` this cache made carries.
    private func nextTablesID() -> Int {
        lock.withLock {
            tablesMade += 1
            return tablesMade
        }
    }

    /// What route configuration `key` (proxy and name) had in the last
    /// build, for a splice to reuse the hosts that are the same; `keep`
    /// records this build's.
    func routeHosts(_ key: String) -> RouteHosts? {
        lock.withLock { current.routeHosts[key] ?? previous.routeHosts[key] }
    }

    func keep(_ routeHosts: RouteHosts, as key: String) {
        lock.withLock { current.routeHosts[key] = routeHosts }
    }

    func listener(_ key: Listener, render: () -> EnvoyResource) -> EnvoyResource {
        memo(ByName(value: key, name: key.name), \.listeners, render)
    }

    func virtualHost(_ key: VirtualHost, render: () -> RenderedHost) -> RenderedHost {
        memo(ByName(value: key, name: key.name), \.virtualHosts, render)
    }

    /// The value for `key` in this generation, else the previous one (kept), else rendered (outside the lock).
    private func memo<Key: Hashable, Value>(_ key: Key, _ table: WritableKeyPath<Generation, [Key: Value]>, _ render: () -> Value) -> Value {
        let found: Value? = lock.withLock {
            lookups += 1
            if let value = current[keyPath: table][key] { hits += 1; return value }
            if let value = previous[keyPath: table][key] {
                hits += 1
                current[keyPath: table][key] = value
                return value
            }
            return nil
        }
        if let found { return found }
        let value = render()
        lock.withLock { current[keyPath: table][key] = value }
        return value
    }
}
