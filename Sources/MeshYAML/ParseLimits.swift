/// Bounds that turn hostile input into a diagnostic instead of a machine
/// brought to its knees. Defaults are far above any real manifest.
public struct ParseLimits: Sendable {
    /// Largest file read, in bytes.
    public var maxFileBytes: Int = 16 << 20
    /// Most documents in one file.
    public var maxDocuments: Int = 10_000
    /// Deepest nesting of mappings and sequences.
    public var maxDepth: Int = 256
    /// Most nodes one document may stand for once aliases are expanded
    /// (the billion-laughs defence).
    public var maxExpandedNodes: Int = 1_000_000

    public init() {}

    public static let `default` = ParseLimits()
}
