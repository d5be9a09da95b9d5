import MeshDiagnostics

/// One YAML node with the position it started at.
///
/// Aliases are resolved while parsing: an alias node is the anchored node
/// itself (shared storage, not a copy), so consumers never see anchors.
public struct YAMLNode: Sendable {
    public enum Content: Sendable {
        /// A scalar's text; `plain` is false for quoted, literal, folded or
        /// `!!str`-tagged scalars, which are always strings.
        case scalar(String, plain: Bool)
        case mapping([YAMLPair])
        case sequence([YAMLNode])
    }

    public var content: Content
    public var mark: Mark

    public init(_ content: Content, mark: Mark) {
        self.content = content
        self.mark = mark
    }
}

/// A key and its value in a mapping, in document order.
public struct YAMLPair: Sendable {
    public var key: YAMLNode
    public var value: YAMLNode

    public init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
    }
}

extension YAMLNode {
    /// The scalar's text, or nil for mappings and sequences.
    public var scalar: String? {
        if case .scalar(let text, _) = content { return text }
        return nil
    }

    /// The mapping's pairs, or nil.
    public var pairs: [YAMLPair]? {
        if case .mapping(let pairs) = content { return pairs }
        return nil
    }

    /// The sequence's items, or nil.
    public var items: [YAMLNode]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    /// True for `null`, `~`, `Null`, `NULL` and the empty plain scalar.
    public var isNull: Bool {
        guard case .scalar(let text, let plain) = content, plain else { return false }
        switch text {
        case "", "~", "null", "Null", "NULL": return true
        default: return false
        }
    }

    /// The value under a scalar key in a mapping (first match), or nil.
    public subscript(key: String) -> YAMLNode? {
        guard case .mapping(let pairs) = content else { return nil }
        for pair in pairs where pair.key.scalar == key { return pair.value }
        return nil
    }

    /// A short name for the node's type, for messages ("a mapping", "a list", "a string").
    public var typeDescription: String {
        switch content {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar(let text, let plain):
            if isNull { return "null" }
            if plain, ScalarResolver.bool(text) != nil { return "a boolean" }
            if plain, ScalarResolver.int(text) != nil { return "a number" }
            if plain, Double(text) != nil { return "a number" }
            return "a string"
        }
    }
}
