import MeshDiagnostics
import MeshYAML

/// One step of a field path: a mapping key or a list index.
package enum PathComponent: Sendable {
    /// A field named in code (no String is made until the path is printed).
    case field(StaticString)
    case key(String)
    case index(Int)
}

/// State shared while one resource is decoded: where we are (field path),
/// which resource, and the diagnostics found so far.
///
/// The path is a stack pushed and popped as the reader descends, so building
/// it costs nothing until a diagnostic needs it as text.
///
/// A context belongs to one decode on one thread (it is not Sendable), so
/// its stacks, pushed and popped for every field read, skip the runtime's
/// exclusivity checks: those were a fifth of decoding.
package final class DecodeContext {
    package let file: String
    package var resource: ResourceRef?
    @exclusivity(unchecked) package private(set) var diagnostics: [Diagnostic] = []
    /// Unknown fields are reported for Istio kinds, not for Kubernetes ones
    /// (whose schemas meshc reads only in part).
    @exclusivity(unchecked) package var strict = true
    @exclusivity(unchecked) private var path: [PathComponent] = []
    /// Whether `at` keeps the field path diagnostics name. `ResourceDecoder`
    /// decodes a document without it first (a push and a pop per field read)
    /// and again with it only when something was reported.
    @exclusivity(unchecked) package var tracksPath = true
    /// Whether something was reported while `tracksPath` was off: its
    /// diagnostic was not kept (its path is unknown); decode again to have it.
    @exclusivity(unchecked) package var reportedWithoutPath = false
    /// One bit set per pair read, for each object being decoded (innermost last).
    @exclusivity(unchecked) private var consumed: [UInt64] = []

    package init(file: String, resource: ResourceRef? = nil) {
        self.file = file
        self.resource = resource
    }

    /// The current field path as text: `spec.http[0].route[1].destination`.
    package var pathString: String { FieldPath.render(path) }

    /// Runs `body` with `component` pushed on the path.
    @inline(__always)
    package func at<T>(_ component: PathComponent, _ body: () -> T) -> T {
        guard tracksPath else { return body() }
        path.append(component)
        defer { path.removeLast() }
        return body()
    }

    /// Starts tracking which pairs of a new object are read; returns its slot.
    func beginObject() -> Int {
        consumed.append(0)
        return consumed.count - 1
    }

    /// Marks pair `index` of the object in `slot` as read.
    @inline(__always)
    func consume(_ slot: Int, _ index: Int) {
        if index < 64 { consumed[slot] |= 1 << UInt64(index) }
    }

    /// Stops tracking the innermost object; returns its read-pairs bits.
    func endObject() -> UInt64 {
        consumed.removeLast()
    }

    /// Reports IST0106 at the current path.
    package func schemaError(_ message: String, hint: String? = nil, at mark: Mark) {
        report(Codes.schemaValidationError, message, hint: hint, at: mark)
    }

    /// Reports any code at the current path.
    package func report(_ code: DiagnosticCode, _ message: String, hint: String? = nil, at mark: Mark, severity: Severity? = nil) {
        guard tracksPath else {
            reportedWithoutPath = true
            return
        }
        let where_ = pathString
        let text = where_.isEmpty ? message : "\(where_): \(message)"
        diagnostics.append(Diagnostic(code, text, hint: hint, file: file, mark: mark, path: where_, resource: resource, severity: severity))
    }

    /// Moves the collected diagnostics out.
    package func takeDiagnostics() -> [Diagnostic] {
        defer { diagnostics.removeAll() }
        return diagnostics
    }
}

/// Renders field paths the way Kubernetes prints them.
package enum FieldPath {
    package static func render(_ components: [PathComponent]) -> String {
        var text = ""
        for component in components {
            switch component {
            case .field(let key):
                if !text.isEmpty { text += "." }
                text += key.description
            case .key(let key):
                if !text.isEmpty { text += "." }
                text += key
            case .index(let index):
                text += "[\(index)]"
            }
        }
        return text
    }
}
