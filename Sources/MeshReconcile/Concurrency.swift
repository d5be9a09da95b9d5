/// `body` over `items` with at most `limit` running at once; results in input order.
func boundedMap<T: Sendable, R: Sendable>(_ items: [T], limit: Int, _ body: @escaping @Sendable (T) async -> R) async -> [R] {
    var results = [R?](repeating: nil, count: items.count)
    await withTaskGroup(of: (Int, R).self) { group in
        var next = 0
        func start() {
            let index = next
            next += 1
            group.addTask { (index, await body(items[index])) }
        }
        while next < min(max(1, limit), items.count) { start() }
        for await (index, result) in group {
            results[index] = result
            if next < items.count { start() }
        }
    }
    return results.map { $0! }
}
