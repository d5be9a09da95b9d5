/// One finding: what is wrong, where, and what to do about it.
///
/// Diagnostics are values collected while a pass runs; `throws` is kept for
/// I/O and programming errors.
public struct Diagnostic: Hashable, Sendable {
    public var code: DiagnosticCode
    public var severity: Severity
    public var message: String
    /// What the user should do about it; printed after the message.
    public var hint: String?
    public var file: String
    public var mark: Mark
    /// Field path inside the resource, like `spec.http[0].route[1].destination.host`.
    public var path: String
    public var resource: ResourceRef?

    public init(
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
    public var fullMessage: String {
        guard let hint, let first = hint.first else { return message }
        return "\(message). \(first.uppercased())\(hint.dropFirst())"
    }
}

extension Diagnostic {
    /// Deterministic order for output: file, line, column, code, message.
    public static func ordered(_ a: Diagnostic, _ b: Diagnostic) -> Bool {
        if a.file != b.file { return a.file < b.file }
        if a.mark != b.mark { return a.mark < b.mark }
        if a.code.id != b.code.id { return a.code.id < b.code.id }
        return a.message < b.message
    }
}
