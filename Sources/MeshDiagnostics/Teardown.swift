import Dispatch

/// Frees large values off the caller's path. Dropping the last reference
/// to a mesh (50,000 resources), a compile's tables or a generation of
/// renders takes tens of milliseconds on one core, and nobody waits for
/// the answer; the value is handed to a background queue instead.
package enum Teardown {
    private static let group = DispatchGroup()
    /// Set once, before any work, by a command that exits when its work is done.
    nonisolated(unsafe) private static var keepsUntilExit = false

    /// For a command that exits once its work is done (`meshc lint`, `build`,
    /// `plan`, `route`): what is handed over from then on is kept, not freed,
    /// and the process's exit returns its memory at once, as clang's
    /// `-disable-free` does. At 10k, freeing the lint's 50,000 resources and
    /// the compile's tables took one core for ~0.1 s while `meshc build`
    /// wrote its files. Call it first, before other threads start; long-lived
    /// commands (`reconcile`, `agent`) never call it.
    package static func keepUntilExit() {
        keepsUntilExit = true
    }

    /// The box a value travels in, so that the background queue drops the last reference.
    private final class Box<Value>: @unchecked Sendable {
        var value: Value?
        init(_ value: consuming Value) { self.value = value }
    }

    /// Drops `value` on a background queue (its storage is freed there when
    /// this was the last reference; otherwise only the count goes down).
    package static func release<Value>(_ value: consuming Value) {
        let box = Unmanaged.passRetained(Box(value))
        if keepsUntilExit { return } // the box's retain is never given back
        group.enter()
        DispatchQueue.global(qos: .utility).async {
            box.release()
            group.leave()
        }
    }

    /// Waits until everything handed over is freed (benchmarks: so that
    /// teardown never overlaps a measurement).
    package static func wait() {
        group.wait()
    }
}
