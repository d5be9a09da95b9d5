import MeshDiagnostics

/// A node of a `YAMLTree` that does not hold the tree: copying and reading
/// it cost no reference counting (a `YAMLNode` made from each child a
/// decoder reads retained and released the tree once per field, a third of
/// decoding's time).
///
/// Only for a reader whose caller holds the tree, through a `YAMLNode` or
/// its `YAMLFile`, for as long as it reads: the decoder's `ObjectReader`,
/// made and dropped within one decode of a node its caller holds. Never
/// keep one past that (in a stored property, a result, an escaping
/// closure): once the last holder is gone, the tree is freed under it.
/// `node` gives the holding `YAMLNode` back for a reader that must keep it.
package struct UnretainedNode {
    /// Unmanaged, and read through `_withUnsafeGuaranteedRef`: an
    /// `unowned(unsafe)` reference is retained and released around each use.
    @usableFromInline let owner: Unmanaged<YAMLTree>
    package let index: Int32

    @inlinable
    init(_ tree: YAMLTree, _ index: Int32) {
        self.owner = .passUnretained(tree)
        self.index = index
    }

    @inlinable
    init(_ owner: Unmanaged<YAMLTree>, _ index: Int32) {
        self.owner = owner
        self.index = index
    }

    /// This node as a `YAMLNode`, which holds the tree.
    @inlinable package var node: YAMLNode { YAMLNode(owner.takeUnretainedValue(), index) }

    /// The tree, for the length of `body`, without reference counting.
    @inlinable
    func withTree<R>(_ body: (YAMLTree) -> R) -> R { owner._withUnsafeGuaranteedRef(body) }

    @inlinable var storage: YAMLTree.Node { withTree { $0.nodes[Int(index)] } }

    @inlinable package var kind: YAMLNode.Kind { storage.kind }
    @inlinable package var mark: Mark { storage.mark }

    /// The scalar's text, or nil for mappings and sequences.
    @inlinable package var scalar: String? {
        let node = storage
        guard node.kind == .scalar else { return nil }
        return withTree { tree in
            String(decoding: UnsafeBufferPointer(start: tree.bytes.baseAddress.map { $0 + Int(node.a) }, count: Int(node.b)), as: UTF8.self)
        }
    }

    /// False for quoted, literal, folded or `!!str`-tagged scalars, which are
    /// always strings; true for plain scalars (which may be numbers, booleans, null).
    @inlinable package var isPlainScalar: Bool { storage.kind == .scalar && storage.plain }

    /// Pairs in a mapping, items in a sequence, 0 for a scalar.
    @inlinable package var count: Int { storage.kind == .scalar ? 0 : Int(storage.b) }

    /// The key of pair `i` of a mapping.
    @inlinable package func key(at i: Int) -> UnretainedNode { child(Int(storage.a) + 2 * i) }

    /// The value of pair `i` of a mapping.
    @inlinable package func value(at i: Int) -> UnretainedNode { child(Int(storage.a) + 2 * i + 1) }

    /// Item `i` of a sequence.
    @inlinable package func item(at i: Int) -> UnretainedNode { child(Int(storage.a) + i) }

    /// The node at `position` in the tree's child array.
    @inlinable func child(_ position: Int) -> UnretainedNode {
        UnretainedNode(owner, withTree { $0.children[position] })
    }

    /// True when this is a scalar whose text is exactly `text`; compares bytes, makes no String.
    @inlinable package func scalarEquals(_ text: String) -> Bool {
        let node = storage
        guard node.kind == .scalar else { return false }
        var text = text
        return text.withUTF8 { wanted in
            wanted.count == Int(node.b) && (wanted.isEmpty || withTree { Self.same(wanted, $0.bytes.baseAddress! + Int(node.a)) })
        }
    }

    /// Index of the pair whose key is `key`, or nil.
    package func pairIndex(of key: String) -> Int? {
        var key = key
        return key.withUTF8 { pairIndex(of: $0) }
    }

    /// Index of the pair whose key is `key`, or nil: the decoder's hot path,
    /// comparing bytes against the literal's own storage.
    @inlinable package func pairIndex(of key: StaticString) -> Int? {
        pairIndex(of: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
    }

    /// Index of the pair whose scalar key is the bytes `wanted`, or nil.
    @inlinable func pairIndex(of wanted: UnsafeBufferPointer<UInt8>) -> Int? {
        let node = storage
        guard node.kind == .mapping else { return nil }
        let (nodes, children, bytes) = withTree { ($0.nodes, $0.children, $0.bytes.baseAddress) }
        let first = Int(node.a)
        for i in 0..<Int(node.b) {
            let k = nodes[Int(children[first + 2 * i])]
            guard k.kind == .scalar, Int(k.b) == wanted.count else { continue }
            if wanted.isEmpty || Self.same(wanted, bytes! + Int(k.a)) { return i }
        }
        return nil
    }

    /// Whether the bytes at `b` begin with `a`'s. Field names and the
    /// scalars compared with them are short: comparing them here costs less
    /// than a call to `memcmp` (which showed as a tenth of decoding).
    @inlinable @inline(__always)
    static func same(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafePointer<UInt8>) -> Bool {
        var i = 0
        while i < a.count {
            if a[i] != b[i] { return false }
            i &+= 1
        }
        return true
    }

    /// The value under a scalar key in a mapping (first match), or nil.
    @inlinable package subscript(key: StaticString) -> UnretainedNode? {
        pairIndex(of: key).map { value(at: $0) }
    }

    /// A 64-bit summary of a mapping's scalar keys (one bit per key, from its
    /// length and first byte): a key whose bit is clear is certainly absent,
    /// so a reader can skip the search for the many optional fields a
    /// manifest does not write.
    @inlinable package var keySignature: UInt64 {
        let node = storage
        guard node.kind == .mapping else { return 0 }
        var signature: UInt64 = 0
        let (nodes, children, bytes) = withTree { ($0.nodes, $0.children, $0.bytes) }
        for i in 0..<Int(node.b) {
            let k = nodes[Int(children[Int(node.a) + 2 * i])]
            guard k.kind == .scalar else { continue }
            signature |= YAMLNode.signatureBit(length: Int(k.b), first: k.b > 0 ? bytes[Int(k.a)] : 0)
        }
        return signature
    }

    /// True for `null`, `~`, `Null`, `NULL` and the empty plain scalar.
    @inlinable package var isNull: Bool {
        let node = storage
        guard node.kind == .scalar, node.plain else { return false }
        switch node.b {
        case 0: return true
        case 1: return withTree { $0.bytes[Int(node.a)] } == UInt8(ascii: "~")
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

extension YAMLNode {
    /// The bit of `keySignature` a key of this length and first byte sets.
    @inlinable @inline(__always)
    package static func signatureBit(length: Int, first: UInt8) -> UInt64 {
        1 << UInt64((length &* 7 &+ Int(first)) & 63)
    }
}
