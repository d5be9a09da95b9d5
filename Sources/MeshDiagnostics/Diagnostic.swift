/// One finding: what is wrong, where, and what to do about it.
///
/// Diagnostics are values collected while a pass runs; `throws` is kept for
/// I/O and programming errors.
package struct Diagnostic: Hashable, Sendable {
    package var code: DiagnosticCode
    package var severity: Severity
    package var message: String
    /// What the user should do about it; printed after the message.
    package var hint: String?
    package var file: String
    package var mark: Mark
    /// Field path inside the resource, like `spec.http[0].route[1].destination.host`.
    package var path: String
    package var resource: ResourceRef?

    package init(
        _ code: DiagnosticCode,
        _ message: String,
        hint: String? = nil,
        file: String,
        mark: Mark,
        path: String = "",
        resource: ResourceRef? = nil,
        severity: Severity? = nil
    ) {
        self.code = code
        self.severity = severity ?? code.severity
        self.message = message
        self.hint = hint
        self.file = file
        self.mark = mark
        self.path = path
        self.resource = resource
    }

    /// Message and hint as one sentence pair: `message. Hint.`
    package var fullMessage: String {
        guard let hint, let first = hint.first else { return message }
        return "\(message). \(first.uppercased())\(hint.dropFirst())"
    }
}

extension Diagnostic {
    /// Deterministic order for output: file, line, column, code, message.
    package static func ordered(_ a: Diagnostic, _ b: Diagnostic) -> Bool {
        if a.file != b.file { return a.file < b.file }
        if a.mark != b.mark { return a.mark < b.mark }
        if a.code.id != b.code.id { return a.code.id < b.code.id }
        return a.message < b.message
    }
}
