import MeshDiagnostics

/// One document of a YAML stream: its root node and where it began.
package struct YAMLDocument: Sendable {
    package var root: YAMLNode
    /// 0-based index of the document in its file.
    package var index: Int

    package init(root: YAMLNode, index: Int) {
        self.root = root
        self.index = index
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
