import Synchronization

/// Bytes of request bodies the agent holds at once, across connections: a
/// request reserves its `Content-Length` (the per-request maximum when it
/// sends none) before reading the body and releases it once answered.
package final class BodyBudget: Sendable {
    /// The most bytes reserved at once.
    package let capacity: Int
    private let reserved = Mutex(0)

    package init(capacity: Int) { self.capacity = capacity }

    /// Reserves `bytes`; false (nothing reserved) when that would pass `capacity`.
    package func reserve(_ bytes: Int) -> Bool {
        reserved.withLock { total in
            guard bytes <= capacity - total else { return false }
            total += bytes
            return true
        }
    }

    /// Gives back what `reserve` took.
    package func release(_ bytes: Int) {
        reserved.withLock { $0 -= bytes }
    }

    /// Bytes reserved now.
    package var inUse: Int { reserved.withLock { $0 } }
}
