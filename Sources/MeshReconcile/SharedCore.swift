import Foundation
import Synchronization

/// A `ReconcileCore` several tasks read and change: the round updates it
/// between awaits, `/status` reads it at any time.
package final class SharedCore: Sendable {
    private let core: Mutex<ReconcileCore>

    /// Wraps `core`.
    package init(_ core: ReconcileCore = ReconcileCore()) { self.core = Mutex(core) }

    /// Runs `body` on the core, holding the lock (no awaits inside).
    package func with<T>(_ body: (inout ReconcileCore) -> T) -> T {
        core.withLock { body(&$0) }
    }

    /// A copy of the core now.
    package var value: ReconcileCore { with { $0 } }
}
