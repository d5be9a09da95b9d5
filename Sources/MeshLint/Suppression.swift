import MeshDiagnostics

/// istioctl's suppressions: `CODE=Kind name.namespace`, with `*` wildcards
/// in any part (`IST0118=*`, `IST0101=VirtualService *.prod`).
package struct Suppression: Sendable, Equatable {
    package var code: String
    package var resource: String

    /// Parses `CODE=Kind name[.namespace]`; nil (with the reason) when malformed.
    package static func parse(_ text: String) -> Result<Suppression, SuppressionError> {
        guard let equals = text.firstIndex(of: "=") else {
            return .failure(SuppressionError(text: text, reason: "expected CODE=Kind name.namespace"))
        }
        let code = text[..<equals].trimmingCharacters(in: " ")
        let resource = text[text.index(after: equals)...].trimmingCharacters(in: " ")
        guard !code.isEmpty, !resource.isEmpty else {
            return .failure(SuppressionError(text: text, reason: "both the code and the resource are needed"))
        }
        return .success(Suppression(code: code, resource: resource))
    }

    /// True when this suppression silences `diagnostic`.
    package func matches(_ diagnostic: Diagnostic) -> Bool {
        guard Glob.matches(code, diagnostic.code.id) || Glob.matches(code, diagnostic.code.name) else { return false }
        if resource == "*" { return true }
        guard let ref = diagnostic.resource else { return false }
        return Glob.matches(resource, "\(ref.kind) \(ref.name).\(ref.namespace)")
            || Glob.matches(resource, "\(ref.kind) \(ref.name)")
    }
}

package struct SuppressionError: Error, CustomStringConvertible {
    package var text: String
    package var reason: String
    package var description: String { "invalid suppression \"\(text)\": \(reason) (for example IST0118=Service web.default)" }
}

/// `*` matches any run of characters; everything else matches itself.
enum Glob {
    static func matches(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern.utf8), t = Array(text.utf8)
        var pi = 0, ti = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count, p[pi] == t[ti] { pi += 1; ti += 1 }
            else if pi < p.count, p[pi] == UInt8(ascii: "*") { star = pi; mark = ti; pi += 1 }
            else if star >= 0 { pi = star + 1; mark += 1; ti = mark }
            else { return false }
        }
        while pi < p.count, p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.count
    }
}

private extension Substring {
    func trimmingCharacters(in set: Character) -> String {
        var text = self
        while text.first == set { text = text.dropFirst() }
        while text.last == set { text = text.dropLast() }
        return String(text)
    }
}
