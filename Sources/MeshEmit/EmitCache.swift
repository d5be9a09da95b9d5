import Foundation
import MeshIR
import MeshSnapshot

/// What earlier emits rendered, keyed by the IR value each came from: a
/// long-lived pipeline (the reconciler, a plan building base then head)
/// renders and hashes only the clusters, listeners and virtual hosts a
/// commit changed. IR values are compared whole (`Hashable`), so a hit is
/// exactly the bytes a fresh render would give.
///
/// Bounded: `rotate()` (once per build) keeps what the last build used and
/// drops the rest, so the cache holds at most two builds' resources.
package final class EmitCache: @unchecked Sendable {
    private struct Generation {
        var clusters: [Cluster: (cluster: EnvoyResource, endpoint: EnvoyResource)] = [:]
        var listeners: [Listener: EnvoyResource] = [:]
        var virtualHosts: [VirtualHost: String] = [:]
    }

    private let lock = NSLock()
    private var current = Generation()
    private var previous = Generation()
    /// Lookups answered from the cache, and all lookups (for benchmarks and tests).
    private(set) var hits = 0
    private(set) var lookups = 0

    package init() {}

    /// Starts a build: what the previous build did not use is dropped.
    package func rotate() {
        lock.withLock {
            previous = current
            current = Generation()
        }
    }

    /// (hits, lookups) since the cache was made.
    package var statistics: (hits: Int, lookups: Int) { lock.withLock { (hits, lookups) } }

    func cluster(_ key: Cluster, render: () -> (cluster: EnvoyResource, endpoint: EnvoyResource)) -> (cluster: EnvoyResource, endpoint: EnvoyResource) {
        memo(key, \.clusters, render)
    }

    func listener(_ key: Listener, render: () -> EnvoyResource) -> EnvoyResource {
        memo(key, \.listeners, render)
    }

    func virtualHost(_ key: VirtualHost, render: () -> String) -> String {
        memo(key, \.virtualHosts, render)
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
