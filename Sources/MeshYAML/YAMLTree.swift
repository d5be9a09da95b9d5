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
    @usableFromInline
    struct Node {
        @usableFromInline var kind: YAMLNode.Kind
        @usableFromInline var plain: Bool
        @usableFromInline var mark: Mark
        @usableFromInline var a: Int32
        @usableFromInline var b: Int32

        init(kind: YAMLNode.Kind, plain: Bool, mark: Mark, a: Int32, b: Int32) {
            self.kind = kind
            self.plain = plain
            self.mark = mark
            self.a = a
            self.b = b
        }
    }

    // Raw buffers, written once by `init` and freed by `deinit`: reads cost
    // no reference counting and no exclusivity checks. Usable from inline:
    // the decoder's reads compile into its own code (`YAMLNode` below).
    @usableFromInline let nodes: UnsafeMutableBufferPointer<Node>
    @usableFromInline let children: UnsafeMutableBufferPointer<Int32>
    @usableFromInline let bytes: UnsafeMutableBufferPointer<UInt8>

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
/// It holds its tree; `UnretainedNode` (which reads the same) does not.
///
/// Aliases are resolved while parsing: an alias is the anchored node itself
/// (shared, not copied), so readers never see anchors.
package struct YAMLNode: Sendable {
    package enum Kind: UInt8, Sendable { case scalar, mapping, sequence }

    package let tree: YAMLTree
    package let index: Int32

    @usableFromInline
    init(_ tree: YAMLTree, _ index: Int32) {
        self.tree = tree
        self.index = index
    }

    /// The same node, read without reference counting while this one (or
    /// another holder of the tree) is kept.
    @inlinable package var unretained: UnretainedNode { UnretainedNode(tree, index) }

    @inlinable package var kind: Kind { unretained.kind }
    @inlinable package var mark: Mark { unretained.mark }

    /// The scalar's text, or nil for mappings and sequences.
    @inlinable package var scalar: String? { unretained.scalar }

    /// False for quoted, literal, folded or `!!str`-tagged scalars, which are
    /// always strings; true for plain scalars (which may be numbers, booleans, null).
    @inlinable package var isPlainScalar: Bool { unretained.isPlainScalar }

    /// Pairs in a mapping, items in a sequence, 0 for a scalar.
    @inlinable package var count: Int { unretained.count }

    /// The key of pair `i` of a mapping.
    @inlinable package func key(at i: Int) -> YAMLNode { YAMLNode(tree, unretained.key(at: i).index) }

    /// The value of pair `i` of a mapping.
    @inlinable package func value(at i: Int) -> YAMLNode { YAMLNode(tree, unretained.value(at: i).index) }

    /// Item `i` of a sequence.
    @inlinable package func item(at i: Int) -> YAMLNode { YAMLNode(tree, unretained.item(at: i).index) }

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
    @inlinable package func scalarEquals(_ text: String) -> Bool { unretained.scalarEquals(text) }

    /// Index of the pair whose key is `key`, or nil.
    package func pairIndex(of key: String) -> Int? { unretained.pairIndex(of: key) }

    /// Index of the pair whose key is `key`, or nil: compares bytes against the literal's own storage.
    @inlinable package func pairIndex(of key: StaticString) -> Int? { unretained.pairIndex(of: key) }

    /// `UnretainedNode.keySignature`.
    @inlinable package var keySignature: UInt64 { unretained.keySignature }

    /// The value under a scalar key in a mapping (first match), or nil.
    package subscript(key: String) -> YAMLNode? {
        pairIndex(of: key).map { value(at: $0) }
    }

    /// True for `null`, `~`, `Null`, `NULL` and the empty plain scalar.
    @inlinable package var isNull: Bool { unretained.isNull }

    /// A short name for the node's type, for messages ("a mapping", "a list", "a string").
    package var typeDescription: String { unretained.typeDescription }
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
