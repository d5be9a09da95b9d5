import Foundation

/// A `ReconcileCore` several tasks read and change: the round updates it
/// between awaits, `/status` reads it at any time.
public final class SharedCore: @unchecked Sendable {
    private let lock = NSLock()
    private var core: ReconcileCore

    /// Wraps `core`.
    public init(_ core: ReconcileCore = ReconcileCore()) { self.core = core }

    /// Runs `body` on the core, holding the lock (no awaits inside).
    public func with<T>(_ body: (inout ReconcileCore) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&core)
    }

    /// A copy of the core now.
    public var value: ReconcileCore { with { $0 } }
}
