import MeshDiagnostics
import MeshYAML

/// A type decoded from a YAML mapping with a fixed set of known fields.
public protocol ObjectDecodable {
    /// Field names the type knows; others are IST0106 in strict contexts.
    static var fields: Set<String> { get }
    init(_ object: ObjectReader)
}

/// Reads the fields of one mapping node, reporting wrong types as IST0106
/// with the exact field path, and unknown fields when the context is strict.
public struct ObjectReader {
    public let context: DecodeContext
    public let node: YAMLNode
    public var mark: Mark { node.mark }

    /// Nil (after an IST0106) when `node` is not a mapping.
    public init?(_ node: YAMLNode, _ context: DecodeContext, fields: Set<String>) {
        guard case .mapping(let pairs) = node.content else {
            if !node.isNull { context.schemaError("expected a mapping, found \(node.typeDescription)", at: node.mark) }
            return nil
        }
        self.node = node
        self.context = context
        if context.strict {
            for pair in pairs {
                guard let key = pair.key.scalar else {
                    context.schemaError("mapping keys must be strings", at: pair.key.mark)
                    continue
                }
                if !fields.contains(key) { Self.reportUnknown(key, at: pair.key.mark, known: fields, context) }
            }
        }
    }

    private static func reportUnknown(_ key: String, at mark: Mark, known: Set<String>, _ context: DecodeContext) {
        let suggestion = FieldSuggestion.closest(to: key, in: known)
        let hint = suggestion.map { "did you mean \"\($0)\"?" } ?? "known fields: \(known.sorted().joined(separator: ", "))"
        context.at(.key(key)) { context.schemaError("unknown field \"\(key)\"", hint: hint, at: mark) }
    }

    /// The raw value node under `key`, if present and not null.
    public func value(_ key: String) -> YAMLNode? {
        guard let pairs = node.pairs else { return nil }
        for pair in pairs where pair.key.scalar == key {
            return pair.value.isNull ? nil : pair.value
        }
        return nil
    }

    /// True when the mapping has `key` (even with a null value).
    public func has(_ key: String) -> Bool { value(key) != nil }

    public func string(_ key: String) -> Located<String>? {
        guard let node = value(key) else { return nil }
        return context.at(.key(key)) { Scalars.string(node, context) }
    }

    public func int(_ key: String) -> Located<Int>? {
        guard let node = value(key) else { return nil }
        return context.at(.key(key)) { Scalars.int(node, context) }
    }

    public func double(_ key: String) -> Located<Double>? {
        guard let node = value(key) else { return nil }
        return context.at(.key(key)) { Scalars.double(node, context) }
    }

    public func bool(_ key: String) -> Located<Bool>? {
        guard let node = value(key) else { return nil }
        return context.at(.key(key)) { Scalars.bool(node, context) }
    }

    /// An int or a string (Kubernetes' IntOrString, e.g. targetPort).
    public func intOrString(_ key: String) -> Located<IntOrString>? {
        guard let node = value(key) else { return nil }
        guard case .scalar(let text, let plain) = node.content else {
            context.at(.key(key)) { context.schemaError("expected a number or a string, found \(node.typeDescription)", at: node.mark) }
            return nil
        }
        if plain, let number = ScalarResolver.int(text) { return Located(.int(number), at: node.mark) }
        return Located(.string(text), at: node.mark)
    }

    public func strings(_ key: String) -> [Located<String>] {
        list(key) { node, context in Scalars.string(node, context) }
    }

    public func stringMap(_ key: String) -> StringMap? {
        guard let node = value(key) else { return nil }
        return context.at(.key(key)) { Scalars.stringMap(node, context) }
    }

    public func object<T: ObjectDecodable>(_ key: String, _ type: T.Type = T.self) -> T? {
        guard let node = value(key) else { return nil }
        return context.at(.key(key)) {
            ObjectReader(node, context, fields: T.fields).map(T.init)
        }
    }

    public func list<T: ObjectDecodable>(_ key: String, _ type: T.Type = T.self) -> [T] {
        list(key) { node, context in ObjectReader(node, context, fields: T.fields).map(T.init) }
    }

    /// A list whose items `decode` reads; items it rejects are left out.
    public func list<T>(_ key: String, _ decode: (YAMLNode, DecodeContext) -> T?) -> [T] {
        guard let node = value(key) else { return [] }
        return context.at(.key(key)) {
            guard let items = node.items else {
                context.schemaError("expected a list, found \(node.typeDescription)", at: node.mark)
                return []
            }
            var result: [T] = []
            result.reserveCapacity(items.count)
            for (index, item) in items.enumerated() {
                if let value = context.at(.index(index), { decode(item, context) }) { result.append(value) }
            }
            return result
        }
    }

    /// A map from string keys to objects (e.g. `headers: {x-user: {exact: a}}`).
    public func objectMap<T: ObjectDecodable>(_ key: String, _ type: T.Type = T.self) -> [(key: Located<String>, value: T)] {
        entries(key) { node, context in ObjectReader(node, context, fields: T.fields).map(T.init) }
    }

    /// A map whose values `decode` reads, in document order.
    public func entries<T>(_ key: String, _ decode: (YAMLNode, DecodeContext) -> T?) -> [(key: Located<String>, value: T)] {
        guard let node = value(key) else { return [] }
        return context.at(.key(key)) {
            guard let pairs = node.pairs else {
                context.schemaError("expected a mapping, found \(node.typeDescription)", at: node.mark)
                return []
            }
            var result: [(key: Located<String>, value: T)] = []
            for pair in pairs {
                guard let name = pair.key.scalar else { continue }
                if let value = context.at(.key(name), { decode(pair.value, context) }) {
                    result.append((Located(name, at: pair.key.mark), value))
                }
            }
            return result
        }
    }
}

/// Kubernetes' IntOrString.
public enum IntOrString: Sendable, Hashable {
    case int(Int)
    case string(String)
}
