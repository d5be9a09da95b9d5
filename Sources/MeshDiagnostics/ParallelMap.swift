import Dispatch

extension Array where Element: Sendable {
    /// `map` on every core, `chunk` elements per work item; the result keeps
    /// the order. For per-resource rendering of large snapshots (thousands
    /// of clusters: chunks of 256) and per-proxy emitting (chunks of 1).
    package func parallelMap<T: Sendable>(chunk: Int = 256, _ transform: @Sendable (Element) -> T) -> [T] {
        parallelMap(chunk: chunk, context: {}) { element, _ in transform(element) }
    }

    /// `parallelMap` where each chunk's elements share one `context`, made by
    /// `makeContext` for the chunk (a scratch value copied once per chunk, not
    /// once per element) and passed to each element's `transform` in turn.
    package func parallelMap<Context, T: Sendable>(chunk: Int = 256, context makeContext: @Sendable () -> Context,
                                                   _ transform: @Sendable (Element, inout Context) -> T) -> [T] {
        guard count > chunk else {
            var context = makeContext()
            return map { transform($0, &context) }
        }
        return withoutActuallyEscaping(transform) { transform in
            // Each result is written once, by the thread that made it, straight into the array's own
            // storage: no optional slots to fill with nil and move out after, and the fresh pages are
            // first touched on every core (on one core, faulting them in was a serial stretch of its own).
            [T](unsafeUninitializedCapacity: count) { buffer, initialized in
                nonisolated(unsafe) let out = buffer.baseAddress!
                let count = self.count
                DispatchQueue.concurrentPerform(iterations: (count + chunk - 1) / chunk) { part in
                    var context = makeContext()
                    for index in part * chunk..<Swift.min(count, (part + 1) * chunk) {
                        (out + index).initialize(to: transform(self[index], &context))
                    }
                }
                initialized = count
            }
        }
    }
}

/// Runs two independent computations on two threads.
package enum Parallel {
    @discardableResult
    package static func both<A, B>(_ first: () -> A, _ second: () -> B) -> (A, B) {
        var a: A?
        var b: B?
        withoutActuallyEscaping(first) { first in
            withoutActuallyEscaping(second) { second in
                // Each iteration writes only its own variable.
                DispatchQueue.concurrentPerform(iterations: 2) { index in
                    if index == 0 { a = first() } else { b = second() }
                }
            }
        }
        return (a!, b!)
    }
}
