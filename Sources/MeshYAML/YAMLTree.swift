#if canImport(Glibc)
import Glibc
#endif
import MeshDiagnostics

/// The nodes of one parsed file, stored flat: a node array, one array of
/// child indices and one byte arena holding every scalar's text.
///
/// Flat storage makes a file's tree a handful of allocations instead of one
/// or more per node, and lets readers compare keys as bytes without making
/// Strings. Immutable once built; `YAMLNode` is a view into it.
package final class YAMLTree: @unchecked Sendable {
    /// One node. Scalars: `a`/`b` are offset/length in `bytes`.
    /// Mappings: `a` is the first index in `children` (key, value, key, …),
    /// `b` the number of pairs. Sequences: `a` first child, `b` item count.
    struct Node {
        var kind: YAMLNode.Kind
        var plain: Bool
        var mark: Mark
        var a: Int32
        var b: Int32
    }

    // Raw buffers, written once by `init` and freed by `deinit`: reads cost
    // no reference counting and no exclusivity checks.
    let nodes: UnsafeMutableBufferPointer<Node>
    let children: UnsafeMutableBufferPointer<Int32>
    let bytes: UnsafeMutableBufferPointer<UInt8>

    /// Takes ownership of buffers allocated by the builder.
    init(nodes: UnsafeMutableBufferPointer<Node>, children: UnsafeMutableBufferPointer<Int32>, bytes: UnsafeMutableBufferPointer<UInt8>) {
        self.nodes = nodes
        self.children = children
        self.bytes = bytes
    }

    deinit {
        nodes.deallocate()
        children.deallocate()
        bytes.deallocate()
    }
}

/// A view of one node of a `YAMLTree`, with the position it started at.
///
/// Aliases are resolved while parsing: an alias is the anchored node itself
/// (shared, not copied), so readers never see anchors.
package struct YAMLNode: Sendable {
    package enum Kind: UInt8, Sendable { case scalar, mapping, sequence }

    package let tree: YAMLTree
    package let index: Int32

    init(_ tree: YAMLTree, _ index: Int32) {
        self.tree = tree
        self.index = index
    }

    @inline(__always) var node: YAMLTree.Node { tree.nodes[Int(index)] }

    package var kind: Kind { node.kind }
    package var mark: Mark { node.mark }

    /// The scalar's text, or nil for mappings and sequences.
    package var scalar: String? {
        let node = self.node
        guard node.kind == .scalar else { return nil }
        return String(decoding: UnsafeBufferPointer(start: tree.bytes.baseAddress.map { $0 + Int(node.a) }, count: Int(node.b)), as: UTF8.self)
    }

    /// False for quoted, literal, folded or `!!str`-tagged scalars, which are
    /// always strings; true for plain scalars (which may be numbers, booleans, null).
    package var isPlainScalar: Bool { node.kind == .scalar && node.plain }

    /// Pairs in a mapping, items in a sequence, 0 for a scalar.
    package var count: Int { node.kind == .scalar ? 0 : Int(node.b) }

    /// The key of pair `i` of a mapping.
    package func key(at i: Int) -> YAMLNode { YAMLNode(tree, tree.children[Int(node.a) + 2 * i]) }

    /// The value of pair `i` of a mapping.
    package func value(at i: Int) -> YAMLNode { YAMLNode(tree, tree.children[Int(node.a) + 2 * i + 1]) }

    /// Item `i` of a sequence.
    package func item(at i: Int) -> YAMLNode { YAMLNode(tree, tree.children[Int(node.a) + i]) }

    /// The mapping's pairs (allocates; hot paths use `count` and `key(at:)`).
    package var pairs: [YAMLPair]? {
        guard kind == .mapping else { return nil }
        return (0..<count).map { YAMLPair(key: key(at: $0), value: value(at: $0)) }
    }

    /// The sequence's items (allocates; hot paths use `count` and `item(at:)`).
    package var items: [YAMLNode]? {
        guard kind == .sequence else { return nil }
        return (0..<count).map { item(at: $0) }
    }

    /// True when this is a scalar whose text is exactly `text`; compares bytes, makes no String.
    package func scalarEquals(_ text: String) -> Bool {
        let node = self.node
        guard node.kind == .scalar else { return false }
        var text = text
        return text.withUTF8 { wanted in
            guard wanted.count == Int(node.b) else { return false }
            return wanted.count == 0 || memcmp(wanted.baseAddress!, tree.bytes.baseAddress! + Int(node.a), wanted.count) == 0
        }
    }

    /// Index of the pair whose key is `key`, or nil.
    package func pairIndex(of key: String) -> Int? {
        let node = self.node
        guard node.kind == .mapping else { return nil }
        var key = key
        let nodes = tree.nodes, children = tree.children, bytes = tree.bytes
        return key.withUTF8 { wanted -> Int? in
            let first = Int(node.a)
            for i in 0..<Int(node.b) {
                let k = nodes[Int(children[first + 2 * i])]
                guard k.kind == .scalar, Int(k.b) == wanted.count else { continue }
                if wanted.count == 0 || memcmp(wanted.baseAddress!, bytes.baseAddress! + Int(k.a), wanted.count) == 0 { return i }
            }
            return nil
        }
    }

    /// Index of the pair whose key is `key`, or nil: the decoder's hot path,
    /// comparing bytes against the literal's own storage.
    package func pairIndex(of key: StaticString) -> Int? {
        let node = self.node
        guard node.kind == .mapping else { return nil }
        let wanted = key.utf8Start, length = key.utf8CodeUnitCount
        let nodes = tree.nodes, children = tree.children, bytes = tree.bytes.baseAddress
        let first = Int(node.a)
        for i in 0..<Int(node.b) {
            let k = nodes[Int(children[first + 2 * i])]
            guard k.kind == .scalar, Int(k.b) == length else { continue }
            if length == 0 || memcmp(wanted, bytes! + Int(k.a), length) == 0 { return i }
        }
        return nil
    }

    /// A 64-bit summary of a mapping's scalar keys (one bit per key, from its
    /// length and first byte): a key whose bit is clear is certainly absent,
    /// so a reader can skip the search for the many optional fields a
    /// manifest does not write.
    package var keySignature: UInt64 {
        let node = self.node
        guard node.kind == .mapping else { return 0 }
        var signature: UInt64 = 0
        for i in 0..<Int(node.b) {
            let k = tree.nodes[Int(tree.children[Int(node.a) + 2 * i])]
            guard k.kind == .scalar else { continue }
            signature |= Self.signatureBit(length: Int(k.b), first: k.b > 0 ? tree.bytes[Int(k.a)] : 0)
        }
        return signature
    }

    /// The bit of `keySignature` a key of this length and first byte sets.
    @inline(__always)
    package static func signatureBit(length: Int, first: UInt8) -> UInt64 {
        1 << UInt64((length &* 7 &+ Int(first)) & 63)
    }

    /// The value under a scalar key in a mapping (first match), or nil.
    package subscript(key: String) -> YAMLNode? {
        pairIndex(of: key).map { value(at: $0) }
    }

    /// True for `null`, `~`, `Null`, `NULL` and the empty plain scalar.
    package var isNull: Bool {
        let node = self.node
        guard node.kind == .scalar, node.plain else { return false }
        switch node.b {
        case 0: return true
        case 1: return tree.bytes[Int(node.a)] == UInt8(ascii: "~")
        case 4: return scalarEquals("null") || scalarEquals("Null") || scalarEquals("NULL")
        default: return false
        }
    }

    /// A short name for the node's type, for messages ("a mapping", "a list", "a string").
    package var typeDescription: String {
        switch kind {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar:
            if isNull { return "null" }
            guard isPlainScalar, let text = scalar else { return "a string" }
            if ScalarResolver.bool(text) != nil { return "a boolean" }
            if ScalarResolver.int(text) != nil || Double(text) != nil { return "a number" }
            return "a string"
        }
    }
}

/// A key and its value in a mapping, in document order.
package struct YAMLPair: Sendable {
    package var key: YAMLNode
    package var value: YAMLNode

    package init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
    }
}
