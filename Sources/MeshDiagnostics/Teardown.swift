import Dispatch

/// Frees large values off the caller's path. Dropping the last reference
/// to a mesh (50,000 resources), a compile's tables or a generation of
/// renders takes tens of milliseconds on one core, and nobody waits for
/// the answer; the value is handed to a background queue instead.
package enum Teardown {
    private static let group = DispatchGroup()

    /// The box a value travels in, so that the background queue drops the last reference.
    private final class Box<Value>: @unchecked Sendable {
        var value: Value?
        init(_ value: consuming Value) { self.value = value }
    }

    /// Drops `value` on a background queue (its storage is freed there when
    /// this was the last reference; otherwise only the count goes down).
    package static func release<Value>(_ value: consuming Value) {
        let box = Unmanaged.passRetained(Box(value))
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
