/// Bounds that turn hostile input into a diagnostic instead of a machine
/// brought to its knees. Defaults are far above any real manifest.
package struct ParseLimits: Sendable {
    /// Largest file read, in bytes.
    package var maxFileBytes: Int = 16 << 20
    /// Most documents in one file.
    package var maxDocuments: Int = 10_000
    /// Deepest nesting of mappings and sequences.
    package var maxDepth: Int = 256
    /// Most nodes one document may stand for once aliases are expanded
    /// (the billion-laughs defence).
    package var maxExpandedNodes: Int = 1_000_000

    package init() {}

    package static let `default` = ParseLimits()
}
