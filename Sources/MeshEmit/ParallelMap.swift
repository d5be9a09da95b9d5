import Dispatch

extension Array where Element: Sendable {
    /// `map` on every core, in chunks; the result keeps the order. For the
    /// per-resource rendering of large snapshots (thousands of clusters).
    func parallelMap<T>(_ transform: (Element) -> T) -> [T] {
        let chunk = 256
        guard count > chunk else { return map(transform) }
        var results = [T?](repeating: nil, count: count)
        results.withUnsafeMutableBufferPointer { buffer in
            let out = buffer
            DispatchQueue.concurrentPerform(iterations: (count + chunk - 1) / chunk) { part in
                for index in part * chunk..<Swift.min(count, (part + 1) * chunk) { out[index] = transform(self[index]) }
            }
        }
        return results.map { $0! }
    }
}
