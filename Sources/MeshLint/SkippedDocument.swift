import MeshDiagnostics
import MeshYAML

/// A YAML or JSON document that is not a Kubernetes manifest (no
/// `apiVersion` and no `kind`: a Helm `values.yaml`, a `package.json`, a CI
/// workflow): not an error, counted in the summary, listed on request.
package struct SkippedDocument: Sendable, Hashable, Comparable {
    /// The file's name as diagnostics show it.
    package var file: String
    /// Where the document's root starts.
    package var mark: Mark

    package init(file: String, mark: Mark) {
        self.file = file
        self.mark = mark
    }

    package static func < (a: SkippedDocument, b: SkippedDocument) -> Bool {
        (a.file, a.mark) < (b.file, b.mark)
    }

    /// `file:line:col: skipped: not a Kubernetes manifest (no apiVersion or kind)`.
    package var line: String {
        "\(file):\(mark.line):\(mark.column): skipped: not a Kubernetes manifest (no apiVersion or kind)"
    }
}

/// Sorts a file's documents into manifests and the rest, before decoding,
/// so the decoder's "no kind" error (MSH0005) is kept for documents that do
/// look like manifests (one of `apiVersion`, `kind` present).
enum ManifestDocuments {
    /// `file` with only its manifest documents, and where each other document starts.
    static func split(_ file: YAMLFile) -> (manifests: YAMLFile, skipped: [Mark]) {
        var skipped: [Mark] = []
        var manifests = file
        manifests.documents = file.documents.filter { document in
            let root = document.root.unretained // `file` holds the tree
            if root.kind == .mapping, root["apiVersion"] != nil || root["kind"] != nil { return true }
            skipped.append(root.mark)
            return false
        }
        return (manifests, skipped)
    }
}
