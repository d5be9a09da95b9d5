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
            let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
            results.initialize(repeating: nil)
            defer { results.deallocate() }
            nonisolated(unsafe) let out = results
            let count = self.count
            DispatchQueue.concurrentPerform(iterations: (count + chunk - 1) / chunk) { part in
                var context = makeContext()
                for index in part * chunk..<Swift.min(count, (part + 1) * chunk) { out[index] = transform(self[index], &context) }
            }
            // Moved out, not copied: `deallocate` frees the slots without releasing what they
            // hold, so a copy would leave every result's references behind (a leak per call).
            return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
                for index in 0..<count { (buffer.baseAddress! + index).initialize(to: results.moveElement(from: index)!) }
                initialized = count
            }
        }
    }
}

/// Runs two independent computations on two threads.
package enum Parallel {
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
