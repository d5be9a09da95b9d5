import MeshDiagnostics
import MeshYAML

/// Reads `kind: Policy` documents (`apiVersion: meshc.dev/v1alpha1`).
package enum PolicyLoader {
    package static let apiVersion = "meshc.dev/v1alpha1"

    /// Every Policy in the parsed files; throws on the first unusable one,
    /// since linting with half a policy set would pass what it should not.
    package static func load(_ files: [YAMLFile]) throws -> [UserPolicy] {
        var policies: [UserPolicy] = []
        var codes = Set(Codes.all.map(\.id))
        for file in files {
            if let problem = file.diagnostics.first(where: { $0.severity == .error }) {
                throw PolicyLoadError(message: "\(file.path):\(problem.mark.line):\(problem.mark.column): \(problem.message)")
            }
            for document in file.documents where document.root["kind"]?.scalar == "Policy" {
                let policy = try parse(document.root, file: file.path)
                guard codes.insert(policy.code.id).inserted else {
                    throw PolicyLoadError(message: "\(policy.source): code \(policy.code.id) is already used; give each policy its own code")
                }
                policies.append(policy)
            }
        }
        return policies
    }

    static func parse(_ root: YAMLNode, file: String) throws -> UserPolicy {
        let source = "\(file):\(root.mark.line)"
        func fail(_ message: String, _ node: YAMLNode? = nil) -> PolicyLoadError {
            let mark = node?.mark ?? root.mark
            return PolicyLoadError(message: "\(file):\(mark.line):\(mark.column): policy: \(message)")
        }
        guard root["apiVersion"]?.scalar == apiVersion else { throw fail("apiVersion must be \(apiVersion)", root["apiVersion"]) }
        guard let spec = root["spec"], spec.pairs != nil else { throw fail("spec is missing") }
        let name = root["metadata"]?["name"]?.scalar ?? ""
        guard let code = spec["code"]?.scalar, !code.isEmpty else { throw fail("spec.code is required (for example ORG001)", spec) }
        let severityText = spec["severity"]?.scalar ?? "error"
        guard let severity = Severity(name: severityText) else {
            throw fail("spec.severity must be error, warning or info, not \"\(severityText)\"", spec["severity"])
        }
        guard let fieldText = spec["field"]?.scalar else { throw fail("spec.field is required (for example metadata.labels.team)", spec) }
        let field: PolicyPath
        switch PolicyPath.parse(fieldText) {
        case .success(let path): field = path
        case .failure(let error): throw fail(error.message, spec["field"])
        }
        let kinds = Set((spec["kinds"]?.items ?? []).compactMap(\.scalar)).subtracting(["*"])
        guard let message = spec["message"]?.scalar, !message.isEmpty else { throw fail("spec.message is required: say what is wrong", spec) }
        let rule = try parseRule(spec["rule"], fail: fail)
        return UserPolicy(code: DiagnosticCode(code, name.isEmpty ? code : name, severity), kinds: kinds, field: field,
                          rule: rule, message: message, hint: spec["hint"]?.scalar, source: source)
    }

    private static func parseRule(_ node: YAMLNode?, fail: (String, YAMLNode?) -> PolicyLoadError) throws -> UserPolicy.Rule {
        guard let node, let pairs = node.pairs, pairs.count == 1, let key = pairs[0].key.scalar else {
            throw fail("spec.rule must hold exactly one of required, pattern, enum, forbidden", node)
        }
        let value = pairs[0].value
        switch key {
        case "required": return .required
        case "forbidden": return .forbidden
        case "enum":
            guard let items = value.items, !items.isEmpty else { throw fail("spec.rule.enum must be a non-empty list", value) }
            return .oneOf(items.compactMap(\.scalar))
        case "pattern":
            guard let text = value.scalar else { throw fail("spec.rule.pattern must be a string", value) }
            do { return .pattern(try RE2Pattern(text)) } catch { throw fail("spec.rule.pattern is not valid RE2: \(error)", value) }
        default:
            throw fail("unknown rule \"\(key)\"; use required, pattern, enum or forbidden", pairs[0].key)
        }
    }
}
