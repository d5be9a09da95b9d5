import MeshDiagnostics

/// One document of a YAML stream: its root node and where it began.
public struct YAMLDocument: Sendable {
    public var root: YAMLNode
    /// 0-based index of the document in its file.
    public var index: Int

    public init(root: YAMLNode, index: Int) {
        self.root = root
        self.index = index
    }
}

/// Everything parsed from one file: the documents read before any error,
/// and the diagnostics (syntax errors, duplicate keys, exceeded limits).
public struct YAMLFile: Sendable {
    public var path: String
    public var documents: [YAMLDocument]
    public var diagnostics: [Diagnostic]

    public init(path: String, documents: [YAMLDocument], diagnostics: [Diagnostic]) {
        self.path = path
        self.documents = documents
        self.diagnostics = diagnostics
    }
}
