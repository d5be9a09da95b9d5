import Dispatch

extension Array where Element: Sendable {
    /// `map` on every core, `chunk` elements per work item; the result keeps
    /// the order. For per-resource rendering of large snapshots (thousands
    /// of clusters: chunks of 256) and per-proxy emitting (chunks of 1).
    package func parallelMap<T: Sendable>(chunk: Int = 256, _ transform: @Sendable (Element) -> T) -> [T] {
        guard count > chunk else { return map(transform) }
        return withoutActuallyEscaping(transform) { transform in
            let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
            results.initialize(repeating: nil)
            defer { results.deallocate() }
            nonisolated(unsafe) let out = results
            let count = self.count
            DispatchQueue.concurrentPerform(iterations: (count + chunk - 1) / chunk) { part in
                for index in part * chunk..<Swift.min(count, (part + 1) * chunk) { out[index] = transform(self[index]) }
            }
            return results.map { $0! }
        }
    }
}
