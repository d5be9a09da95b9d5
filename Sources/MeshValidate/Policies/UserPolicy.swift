import Foundation
import MeshDiagnostics

/// An organisation rule written as data (`apiVersion: meshc.dev/v1alpha1`,
/// `kind: Policy`) and loaded with `meshc lint --policies DIR`.
package struct UserPolicy: Sendable {
    package enum Rule: Sendable {
        /// The field must be present.
        case required
        /// Every value must match this RE2 pattern (partial match; anchor with ^…$).
        case pattern(RE2Pattern)
        /// Every value must be one of these.
        case oneOf([String])
        /// The field must be absent.
        case forbidden
    }

    package var code: DiagnosticCode
    /// Kinds the policy applies to; empty means every kind.
    package var kinds: Set<String>
    package var field: PolicyPath
    package var rule: Rule
    package var message: String
    package var hint: String?
    /// Where the policy was written, for errors about the policy itself.
    package var source: String

    package init(code: DiagnosticCode, kinds: Set<String>, field: PolicyPath, rule: Rule, message: String, hint: String?, source: String) {
        self.code = code
        self.kinds = kinds
        self.field = field
        self.rule = rule
        self.message = message
        self.hint = hint
        self.source = source
    }
}

/// A field path in a policy: `metadata.labels.team`, `spec.http[*].timeout`,
/// `metadata.labels["app.kubernetes.io/name"]`.
package struct PolicyPath: Sendable, CustomStringConvertible {
    package enum Segment: Sendable, Equatable {
        case key(String)
        case index(Int)
        case every
    }

    package var segments: [Segment]
    package var description: String

    /// Parses the path; nil with a reason when malformed.
    package static func parse(_ text: String) -> Result<PolicyPath, PolicyLoadError> {
        var segments: [Segment] = []
        var rest = Substring(text)
        func fail(_ reason: String) -> Result<PolicyPath, PolicyLoadError> {
            .failure(PolicyLoadError(message: "field \"\(text)\": \(reason)"))
        }
        while !rest.isEmpty {
            if rest.hasPrefix("[\"") {
                guard let end = rest.range(of: "\"]") else { return fail("unclosed [\"…\"]") }
                segments.append(.key(String(rest[rest.index(rest.startIndex, offsetBy: 2)..<end.lowerBound])))
                rest = rest[end.upperBound...]
            } else if rest.hasPrefix("[") {
                guard let end = rest.firstIndex(of: "]") else { return fail("unclosed [") }
                let inside = rest[rest.index(after: rest.startIndex)..<end]
                if inside == "*" { segments.append(.every) }
                else if let index = Int(inside), index >= 0 { segments.append(.index(index)) }
                else { return fail("[\(inside)] must be [*] or a list index") }
                rest = rest[rest.index(after: end)...]
            } else {
                if rest.hasPrefix(".") { rest = rest.dropFirst() }
                let end = rest.firstIndex { $0 == "." || $0 == "[" } ?? rest.endIndex
                let key = rest[..<end]
                if key.isEmpty { return fail("empty field name") }
                segments.append(.key(String(key)))
                rest = rest[end...]
            }
        }
        if segments.isEmpty { return fail("empty path") }
        return .success(PolicyPath(segments: segments, description: text))
    }
}

/// A policy file that cannot be used; names the file, line and what to fix.
package struct PolicyLoadError: Error, CustomStringConvertible {
    package var message: String
    package var description: String { message }
}
