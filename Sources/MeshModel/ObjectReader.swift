import MeshDiagnostics
import MeshYAML

/// A type decoded from a YAML mapping with a fixed set of known fields.
package protocol ObjectDecodable {
    /// Field names the type knows; others are IST0106 in strict contexts.
    static var fields: Set<String> { get }
    init(_ object: ObjectReader)
}

/// Reads the fields of one mapping node, reporting wrong types as IST0106
/// with the exact field path, and unknown fields when the context is strict.
///
/// Keys are compared as bytes. Lookups mark the pairs they read, so after a
/// type's `init` only the pairs nobody read need their key made into a
/// String and checked against the type's known fields.
///
/// A reader lives only inside the decode that made it (`decode`, or a
/// list's or map's closure), whose caller holds the tree: it does not hold
/// the tree, and the nodes it hands out are `UnretainedNode`s, so reading a
/// field costs no reference counting. Never keep one past the type's `init`.
package struct ObjectReader {
    package let context: DecodeContext
    /// The mapping read.
    package let object: UnretainedNode
    /// This object's slot in the context's consumed-pairs stack; -1 when untracked.
    let slot: Int
    /// `object.keySignature`: lookups of absent fields stop at one bit test.
    let keys: UInt64
    package var mark: Mark { object.mark }
    /// The mapping as a `YAMLNode` (which holds the tree), for a reader that keeps it.
    package var node: YAMLNode { object.node }

    /// Reads `node` as a `T`: nil (after an IST0106) when it is not a mapping.
    package static func decode<T: ObjectDecodable>(_ node: YAMLNode, _ context: DecodeContext, as type: T.Type = T.self) -> T? {
        decode(node.unretained, context, as: type)
    }

    /// `decode` of a node whose tree the caller holds.
    package static func decode<T: ObjectDecodable>(_ node: UnretainedNode, _ context: DecodeContext, as type: T.Type = T.self) -> T? {
        guard node.kind == .mapping else {
            if !node.isNull { context.schemaError("expected a mapping, found \(node.typeDescription)", at: node.mark) }
            return nil
        }
        let slot = context.beginObject()
        let value = T(ObjectReader(object: node, context: context, slot: slot))
        let consumed = context.endObject()
        if context.strict {
            for i in 0..<node.count where i >= 64 || consumed & (1 << UInt64(i)) == 0 {
                checkKnown(node.key(at: i), T.fields, context)
            }
        }
        return value
    }

    private init(object: UnretainedNode, context: DecodeContext, slot: Int) {
        self.object = object
        self.context = context
        self.slot = slot
        self.keys = object.keySignature
    }

    /// Nil (after an IST0106) when `node` is not a mapping. Checks every key
    /// against `fields` up front; `decode(_:_:)` is the faster path for types.
    /// (Inside a list's or map's closure, which is handed the item.)
    package init?(_ node: UnretainedNode, _ context: DecodeContext, fields: Set<String>) {
        guard node.kind == .mapping else {
            if !node.isNull { context.schemaError("expected a mapping, found \(node.typeDescription)", at: node.mark) }
            return nil
        }
        self.object = node
        self.context = context
        self.slot = -1
        self.keys = node.keySignature
        if context.strict {
            for i in 0..<node.count { Self.checkKnown(node.key(at: i), fields, context) }
        }
    }

    private static func checkKnown(_ keyNode: UnretainedNode, _ known: Set<String>, _ context: DecodeContext) {
        guard let key = keyNode.scalar else {
            context.schemaError("mapping keys must be strings", at: keyNode.mark)
            return
        }
        guard !known.contains(key) else { return }
        let suggestion = FieldSuggestion.closest(to: key, in: known)
        let hint = suggestion.map { "did you mean \"\($0)\"?" } ?? "known fields: \(known.sorted().joined(separator: ", "))"
        context.at(.key(key)) { context.schemaError("unknown field \"\(key)\"", hint: hint, at: keyNode.mark) }
    }

    /// The raw value node under `key`, if present and not null.
    package func value(_ key: StaticString) -> YAMLNode? { child(key)?.node }

    /// `value`, unretained: the readers below.
    @inline(__always)
    private func child(_ key: StaticString) -> UnretainedNode? {
        let length = key.utf8CodeUnitCount
        let bit = YAMLNode.signatureBit(length: length, first: length > 0 ? key.utf8Start.pointee : 0)
        guard keys & bit != 0, let index = object.pairIndex(of: key) else { return nil }
        if slot >= 0 { context.consume(slot, index) }
        let value = object.value(at: index)
        return value.isNull ? nil : value
    }

    // Scalar accessors try the silent reader first; only a value of the wrong
    // type pushes the field onto the path, to report it there.

    /// True when the mapping has `key` (even with a null value).
    package func has(_ key: StaticString) -> Bool { child(key) != nil }

    package func string(_ key: StaticString) -> Located<String>? {
        guard let node = child(key) else { return nil }
        return Scalars.string(node) ?? context.at(.field(key)) { Scalars.string(node, context) }
    }

    package func int(_ key: StaticString) -> Located<Int>? {
        guard let node = child(key) else { return nil }
        return Scalars.int(node) ?? context.at(.field(key)) { Scalars.int(node, context) }
    }

    package func double(_ key: StaticString) -> Located<Double>? {
        guard let node = child(key) else { return nil }
        return Scalars.double(node) ?? context.at(.field(key)) { Scalars.double(node, context) }
    }

    package func bool(_ key: StaticString) -> Located<Bool>? {
        guard let node = child(key) else { return nil }
        return Scalars.bool(node) ?? context.at(.field(key)) { Scalars.bool(node, context) }
    }

    /// An int or a string (Kubernetes' IntOrString, e.g. targetPort).
    package func intOrString(_ key: StaticString) -> Located<IntOrString>? {
        guard let node = child(key) else { return nil }
        guard let text = node.scalar else {
            context.at(.field(key)) { context.schemaError("expected a number or a string, found \(node.typeDescription)", at: node.mark) }
            return nil
        }
        if node.isPlainScalar, let number = ScalarResolver.int(text) { return Located(.int(number), at: node.mark) }
        return Located(.string(text), at: node.mark)
    }

    package func strings(_ key: StaticString) -> [Located<String>] {
        list(key) { node, context in Scalars.string(node, context) }
    }

    package func stringMap(_ key: StaticString) -> StringMap? {
        guard let node = child(key) else { return nil }
        return context.at(.field(key)) { Scalars.stringMap(node, context) }
    }

    package func object<T: ObjectDecodable>(_ key: StaticString, _ type: T.Type = T.self) -> T? {
        guard let node = child(key) else { return nil }
        return context.at(.field(key)) {
            ObjectReader.decode(node, context, as: T.self)
        }
    }

    package func list<T: ObjectDecodable>(_ key: StaticString, _ type: T.Type = T.self) -> [T] {
        list(key) { node, context in ObjectReader.decode(node, context, as: T.self) }
    }

    /// A list whose items `decode` reads; items it rejects are left out.
    /// `decode` reads the item it is handed and keeps nothing of it (an
    /// `UnretainedNode` does not hold its tree).
    package func list<T>(_ key: StaticString, _ decode: (UnretainedNode, DecodeContext) -> T?) -> [T] {
        guard let node = child(key) else { return [] }
        return context.at(.field(key)) {
            guard node.kind == .sequence else {
                context.schemaError("expected a list, found \(node.typeDescription)", at: node.mark)
                return []
            }
            var result: [T] = []
            result.reserveCapacity(node.count)
            for index in 0..<node.count {
                let item = node.item(at: index)
                if let value = context.at(.index(index), { decode(item, context) }) { result.append(value) }
            }
            return result
        }
    }

    /// A map from string keys to objects (e.g. `headers: {x-user: {exact: a}}`).
    package func objectMap<T: ObjectDecodable>(_ key: StaticString, _ type: T.Type = T.self) -> [(key: Located<String>, value: T)] {
        entries(key) { node, context in ObjectReader.decode(node, context, as: T.self) }
    }

    /// A map whose values `decode` reads, in document order (keeping nothing
    /// of the node it is handed, as for `list`).
    package func entries<T>(_ key: StaticString, _ decode: (UnretainedNode, DecodeContext) -> T?) -> [(key: Located<String>, value: T)] {
        guard let node = child(key) else { return [] }
        return context.at(.field(key)) {
            guard node.kind == .mapping else {
                context.schemaError("expected a mapping, found \(node.typeDescription)", at: node.mark)
                return []
            }
            var result: [(key: Located<String>, value: T)] = []
            for index in 0..<node.count {
                let keyNode = node.key(at: index)
                guard let name = keyNode.scalar else { continue }
                if let value = context.at(.key(name), { decode(node.value(at: index), context) }) {
                    result.append((Located(name, at: keyNode.mark), value))
                }
            }
            return result
        }
    }
}

/// Kubernetes' IntOrString.
package enum IntOrString: Sendable, Hashable {
    case int(Int)
    case string(String)
}
