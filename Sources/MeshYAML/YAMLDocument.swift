import MeshDiagnostics

/// One document of a YAML stream: its root node and where it began.
package struct YAMLDocument: Sendable {
    package var root: YAMLNode
    /// 0-based index of the document in its file.
    package var index: Int
    /// Where the document's bytes are in the file (from its start to its
    /// last event's end); nil when the parser read rewritten bytes.
    package var span: Range<Int>?

    package init(root: YAMLNode, index: Int, span: Range<Int>? = nil) {
        self.root = root
        self.index = index
        self.span = span
    }
}

/// Everything parsed from one file: the documents read before any error,
/// and the diagnostics (syntax errors, duplicate keys, exceeded limits).
package struct YAMLFile: Sendable {
    package var path: String
    package var documents: [YAMLDocument]
    package var diagnostics: [Diagnostic]

    package init(path: String, documents: [YAMLDocument], diagnostics: [Diagnostic]) {
        self.path = path
        self.documents = documents
        self.diagnostics = diagnostics
    }
}
