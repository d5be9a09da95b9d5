/// A JSON object's members, kept sorted by key: the canonical order
/// `JSON.rendered` writes, so rendering never sorts and building an object
/// hashes nothing. Read and written like a dictionary (`object["name"]`,
/// literals, `merge`); a lookup is a binary search, which for the handful of
/// members an Envoy object has is cheaper than hashing the key.
/// Equal keys: the last one given wins (a literal, `init(_:)`, parsing).
package struct JSONObject: Equatable, Sendable, RandomAccessCollection, ExpressibleByDictionaryLiteral {
    package typealias Element = (key: String, value: JSON)
    /// Sorted by key, each key once.
    private var pairs: [Element]

    /// No members.
    package init() { pairs = [] }

    package init(dictionaryLiteral elements: (String, JSON)...) {
        pairs = elements.map { (key: $0.0, value: $0.1) }
        Self.order(&pairs)
    }

    /// The members of `elements`, in any order.
    package init(_ elements: some Sequence<(key: String, value: JSON)>) {
        pairs = Array(elements)
        Self.order(&pairs)
    }

    /// `elements` as an object when each key is given once; else the index
    /// in `elements` of the first key given again (reading them in order).
    package static func unique(_ elements: [Element]) -> Result<JSONObject, RepeatedKey> {
        var object = JSONObject()
        object.pairs = elements
        // Canonical JSON (every file and push meshc writes) comes sorted: strictly ascending keys are unique.
        if elements.isSorted(by: { $0.key < $1.key }) { return .success(object) }
        let indexed = stableOrder(elements)
        var repeated: Int?
        for (a, b) in zip(indexed, indexed.dropFirst()) where elements[a].key == elements[b].key {
            repeated = Swift.min(repeated ?? b, b)
        }
        if let repeated { return .failure(RepeatedKey(index: repeated)) }
        object.pairs = indexed.map { elements[$0] }
        return .success(object)
    }

    /// A key given twice (`unique`).
    package struct RepeatedKey: Error {
        /// Its second place among the elements given.
        package let index: Int
    }

    /// The indices of `pairs` by key, equal keys in the order given.
    private static func stableOrder(_ pairs: [Element]) -> [Int] {
        pairs.indices.sorted { a, b in pairs[a].key != pairs[b].key ? pairs[a].key < pairs[b].key : a < b }
    }

    /// Sorts by key (stable), then keeps the last of equal keys.
    private static func order(_ pairs: inout [Element]) {
        if pairs.isSorted(by: { $0.key < $1.key }) { return }
        let indexed = stableOrder(pairs)
        var result: [Element] = []
        result.reserveCapacity(pairs.count)
        for i in indexed {
            if let last = result.last, last.key == pairs[i].key { result[result.count - 1] = pairs[i] } else { result.append(pairs[i]) }
        }
        pairs = result
    }

    // MARK: Collection

    package var startIndex: Int { 0 }
    package var endIndex: Int { pairs.count }
    package subscript(position: Int) -> Element { pairs[position] }

    // MARK: Dictionary-like access

    /// Where `key` is, or where it would go.
    private func search(_ key: String) -> (index: Int, found: Bool) {
        var low = 0, high = pairs.count
        while low < high {
            let mid = (low + high) / 2
            let here = pairs[mid].key
            if here == key { return (mid, true) }
            if here < key { low = mid + 1 } else { high = mid }
        }
        return (low, false)
    }

    /// The member `key`; setting nil removes it.
    package subscript(key: String) -> JSON? {
        get {
            let (index, found) = search(key)
            return found ? pairs[index].value : nil
        }
        set {
            let (index, found) = search(key)
            switch (found, newValue) {
            case (true, let value?): pairs[index].value = value
            case (true, nil): pairs.remove(at: index)
            case (false, let value?): pairs.insert((key: key, value: value), at: index)
            case (false, nil): break
            }
        }
    }

    /// The member `key`, or `fallback` (set through: the member is created).
    package subscript(key: String, default fallback: @autoclosure () -> JSON) -> JSON {
        get { self[key] ?? fallback() }
        set { self[key] = newValue }
    }

    /// The keys, sorted.
    package var keys: [String] { pairs.map(\.key) }

    /// The values, in the keys' order.
    package var values: [JSON] { pairs.map(\.value) }

    /// Removes member `key`; its value, or nil.
    @discardableResult
    package mutating func removeValue(forKey key: String) -> JSON? {
        let (index, found) = search(key)
        return found ? pairs.remove(at: index).value : nil
    }

    /// The same keys with `transform`ed values.
    package func mapValues(_ transform: (JSON) throws -> JSON) rethrows -> JSONObject {
        var copy = self
        for i in copy.pairs.indices { copy.pairs[i].value = try transform(copy.pairs[i].value) }
        return copy
    }

    /// Adds `other`'s members; for a key both hold, `combine(mine, theirs)`.
    package mutating func merge(_ other: some Sequence<(key: String, value: JSON)>, uniquingKeysWith combine: (JSON, JSON) throws -> JSON) rethrows {
        for (key, value) in other { self[key] = try self[key].map { try combine($0, value) } ?? value }
    }

    /// `self` with `other`'s members added (`merge`).
    package func merging(_ other: some Sequence<(key: String, value: JSON)>, uniquingKeysWith combine: (JSON, JSON) throws -> JSON) rethrows -> JSONObject {
        var copy = self
        try copy.merge(other, uniquingKeysWith: combine)
        return copy
    }

    package static func == (a: JSONObject, b: JSONObject) -> Bool {
        guard a.pairs.count == b.pairs.count else { return false }
        for i in a.pairs.indices where a.pairs[i].key != b.pairs[i].key || a.pairs[i].value != b.pairs[i].value { return false }
        return true
    }
}
