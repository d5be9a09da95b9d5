import MeshDiagnostics
import MeshModel

/// Collects findings about resources. Paths are autoclosures, so a check
/// that passes builds no strings.
package struct DiagnosticSink {
    package private(set) var diagnostics: [Diagnostic] = []
    /// The resource each diagnostic is about (nil for appended ones), in step with `diagnostics`.
    private(set) var subjects: [Resource?] = []

    package init() {}

    /// Reports `code` on `resource` at `mark`; the message is prefixed with the field path.
    package mutating func report(
        _ code: DiagnosticCode, _ resource: Resource, at mark: Mark, path: @autoclosure () -> String,
        _ message: @autoclosure () -> String, hint: String? = nil, severity: Severity? = nil
    ) {
        let path = path()
        let text = path.isEmpty ? message() : "\(path): \(message())"
        diagnostics.append(Diagnostic(code, text, hint: hint, file: resource.file, mark: mark, path: path,
                                      resource: resource.ref, severity: severity))
        subjects.append(resource)
    }

    /// IST0106 SchemaValidationError.
    package mutating func schema(_ resource: Resource, at mark: Mark, path: @autoclosure () -> String,
                                _ message: @autoclosure () -> String, hint: String? = nil) {
        report(Codes.schemaValidationError, resource, at: mark, path: path(), message(), hint: hint)
    }

    package mutating func append(_ diagnostic: Diagnostic) {
        diagnostics.append(diagnostic)
        subjects.append(nil)
    }

    package mutating func append(contentsOf other: [Diagnostic]) {
        diagnostics.append(contentsOf: other)
        subjects.append(contentsOf: repeatElement(nil, count: other.count))
    }

    /// `other`'s findings about the resources in `about` (by identity), with their subjects.
    mutating func append(_ other: DiagnosticSink, about resources: Set<ObjectIdentifier>) {
        for (diagnostic, subject) in zip(other.diagnostics, other.subjects) where subject.map({ resources.contains(ObjectIdentifier($0)) }) ?? false {
            diagnostics.append(diagnostic)
            subjects.append(subject)
        }
    }

    /// The findings with their subjects.
    var findings: [Analysis.Finding] { zip(diagnostics, subjects).map { Analysis.Finding(diagnostic: $0, subject: $1) } }
}
