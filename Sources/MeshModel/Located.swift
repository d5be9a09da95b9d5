import MeshDiagnostics

/// A value read from a manifest with the position it was written at, so
/// later passes can point at the exact field.
package struct Located<Value> {
    package var value: Value
    package var mark: Mark

    package init(_ value: Value, at mark: Mark) {
        self.value = value
        self.mark = mark
    }
}

extension Located: Sendable where Value: Sendable {}
extension Located: Equatable where Value: Equatable {}
extension Located: Hashable where Value: Hashable {}

/// Labels or any string map, in document order, with each value's position.
package struct StringMap: Sendable, Equatable {
    package var entries: [(key: String, value: Located<String>)]
    package var mark: Mark

    package init(_ entries: [(key: String, value: Located<String>)] = [], mark: Mark = .start) {
        self.entries = entries
        self.mark = mark
    }

    package static func == (a: StringMap, b: StringMap) -> Bool {
        a.mark == b.mark && a.entries.elementsEqual(b.entries) { $0.key == $1.key && $0.value == $1.value }
    }

    package var isEmpty: Bool { entries.isEmpty }

    package subscript(key: String) -> String? {
        for entry in entries where entry.key == key { return entry.value.value }
        return nil
    }

    /// Plain dictionary view (last write wins, as Kubernetes does).
    package var dictionary: [String: String] {
        var result: [String: String] = [:]
        for entry in entries { result[entry.key] = entry.value.value }
        return result
    }

    /// True when every entry of `self` is also in `labels` (Kubernetes selector semantics).
    package func selects(_ labels: StringMap) -> Bool {
        entries.allSatisfy { labels[$0.key] == $0.value.value }
    }
}
