import MeshDiagnostics
import MeshModel

/// A cross-resource check. Analyzers read the whole mesh and report values;
/// they never throw and never change the index.
package protocol Analyzer: Sendable {
    /// The codes this analyzer may report (the catalogue test checks them).
    var codes: [DiagnosticCode] { get }
    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink)
}
