import MeshDiagnostics
import MeshYAML

/// Reads scalar nodes as typed values, reporting a wrong type as IST0106.
/// The one-argument forms report nothing and return nil on a wrong type.
package enum Scalars {
    package static func string(_ node: UnretainedNode) -> Located<String>? {
        node.scalar.map { Located($0, at: node.mark) }
    }

    package static func int(_ node: UnretainedNode) -> Located<Int>? {
        guard let text = node.scalar, let value = ScalarResolver.int(text) else { return nil }
        return Located(value, at: node.mark)
    }

    package static func double(_ node: UnretainedNode) -> Located<Double>? {
        guard let text = node.scalar, let value = Double(text) else { return nil }
        return Located(value, at: node.mark)
    }

    package static func bool(_ node: UnretainedNode) -> Located<Bool>? {
        guard node.isPlainScalar, let text = node.scalar, let value = ScalarResolver.bool(text) else { return nil }
        return Located(value, at: node.mark)
    }

    package static func string(_ node: UnretainedNode, _ context: DecodeContext) -> Located<String>? {
        string(node) ?? wrongType(node, "a string", context)
    }

    package static func int(_ node: UnretainedNode, _ context: DecodeContext) -> Located<Int>? {
        int(node) ?? wrongType(node, "an integer", context)
    }

    package static func double(_ node: UnretainedNode, _ context: DecodeContext) -> Located<Double>? {
        double(node) ?? wrongType(node, "a number", context)
    }

    package static func bool(_ node: UnretainedNode, _ context: DecodeContext) -> Located<Bool>? {
        bool(node) ?? wrongType(node, "true or false", context)
    }

    /// Reports IST0106 "expected …, found …" and returns nil.
    private static func wrongType<T>(_ node: UnretainedNode, _ expected: String, _ context: DecodeContext) -> T? {
        context.schemaError("expected \(expected), found \(node.typeDescription)", at: node.mark)
        return nil
    }

    package static func stringMap(_ node: UnretainedNode, _ context: DecodeContext) -> StringMap? {
        guard node.kind == .mapping else {
            context.schemaError("expected a mapping of strings, found \(node.typeDescription)", at: node.mark)
            return nil
        }
        var entries: [(key: String, value: Located<String>)] = []
        entries.reserveCapacity(node.count)
        for index in 0..<node.count {
            guard let key = node.key(at: index).scalar else { continue }
            let value = node.value(at: index)
            guard let text = value.scalar else {
                context.at(.key(key)) {
                    context.schemaError("expected a string value, found \(value.typeDescription)", at: value.mark)
                }
                continue
            }
            entries.append((key, Located(text, at: value.mark)))
        }
        return StringMap(entries, mark: node.mark)
    }
}

/// Suggests the known field closest to a misspelt one.
enum FieldSuggestion {
    static func closest(to key: String, in known: Set<String>) -> String? {
        let camel = camelCase(key)
        if camel != key, known.contains(camel) { return camel }
        let lower = key.lowercased()
        var best: (String, Int)?
        for candidate in known.sorted() {
            let distance = EditDistance.between(lower, candidate.lowercased())
            if distance <= max(1, candidate.count / 4), distance < (best?.1 ?? Int.max) { best = (candidate, distance) }
        }
        return best?.0
    }

    static func camelCase(_ key: String) -> String {
        let parts = key.split(separator: "_")
        guard parts.count > 1 else { return key }
        return String(parts[0]) + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}
