import Foundation
import MeshDiagnostics

extension LintReport {
    /// meshc's home, SARIF's `informationUri`.
    package static let informationURI = "https://github.com/meshc/meshc"

    /// SARIF 2.1.0, one run: every built-in code (and user code found) as a
    /// rule with its descriptions, help and page; every finding a result
    /// whose location is relative to the repository `root` (`%SRCROOT%`,
    /// given in `originalUriBaseIds`), with a fingerprint that survives
    /// moved lines. For code scanning (GitHub, GitLab).
    package func sarif(minimum: Severity = .info, root: String) -> String {
        let shown = diagnostics.filter { $0.severity >= minimum }
        var codes = Dictionary(Codes.all.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for d in shown where codes[d.code.id] == nil { codes[d.code.id] = d.code }
        let ruleIDs = codes.keys.sorted()
        let index = Dictionary(uniqueKeysWithValues: ruleIDs.enumerated().map { ($1, $0) })
        let results: [JSON] = shown.map { d in
            var result: JSONObject = [
                "ruleId": .string(d.code.id),
                "ruleIndex": .int(index[d.code.id] ?? 0),
                "level": .string(Self.level(d.severity)),
                "message": .object(["text": .string(d.fullMessage)]),
                "partialFingerprints": .object(["meshcFinding/v1": .string(Self.fingerprint(d, root: root))]),
            ]
            if let artifact = Self.artifact(d.file, root: root) {
                result["locations"] = .array([.object([
                    "physicalLocation": .object([
                        "artifactLocation": artifact,
                        "region": .object(["startLine": .int(max(1, Int(d.mark.line))), "startColumn": .int(max(1, Int(d.mark.column)))]),
                    ]),
                ])])
            }
            return .object(result)
        }
        return Self.log(rules: ruleIDs.map { Self.rule(codes[$0]!) }, results: results, root: root, notifications: [])
    }

    /// A valid SARIF log for a run that could not lint (an unreadable
    /// input): no results, `executionSuccessful: false` and the reason as a
    /// tool execution notification.
    package static func sarifFailure(_ reason: String, root: String) -> String {
        let notification: JSON = .object(["level": .string("error"), "message": .object(["text": .string(reason)])])
        return log(rules: Codes.all.map(rule), results: [], root: root, notifications: [notification])
    }

    private static func log(rules: [JSON], results: [JSON], root: String, notifications: [JSON]) -> String {
        let rootURI = URL(fileURLWithPath: root, isDirectory: true).standardizedFileURL.absoluteString
        let run: JSON = .object([
            "tool": .object(["driver": .object([
                "name": .string("meshc"),
                "version": .string(MeshcVersion.version),
                "semanticVersion": .string(MeshcVersion.version),
                "informationUri": .string(informationURI),
                "rules": .array(rules),
            ])]),
            "originalUriBaseIds": .object(["%SRCROOT%": .object(["uri": .string(rootURI.hasSuffix("/") ? rootURI : rootURI + "/")])]),
            "invocations": .array([.object([
                "executionSuccessful": .bool(notifications.isEmpty),
                "toolExecutionNotifications": .array(notifications),
            ])]),
            "columnKind": .string("unicodeCodePoints"),
            "results": .array(results),
        ])
        return JSON.object([
            "$schema": .string("https://json.schemastore.org/sarif-2.1.0.json"),
            "version": .string("2.1.0"),
            "runs": .array([run]),
        ]).rendered(pretty: true) + "\n"
    }

    /// A rule: descriptions and help from `RuleHelp` (a user policy's code has only its name).
    private static func rule(_ code: DiagnosticCode) -> JSON {
        let help = RuleHelp.all[code.id]
        return .object([
            "id": .string(code.id),
            "name": .string(code.name),
            "shortDescription": .object(["text": .string(help?.short ?? code.name)]),
            "fullDescription": .object(["text": .string(help?.full ?? "\(code.name): an organisation policy loaded with --policies.")]),
            "help": .object(["text": .string(help?.help ?? "See the policy's message and hint.")]),
            "helpUri": .string(helpURI(code, builtIn: help != nil)),
            "defaultConfiguration": .object(["level": .string(level(code.severity))]),
        ])
    }

    /// The rule's page: its folder in `policies/`, or the README's user policy section.
    static func helpURI(_ code: DiagnosticCode, builtIn: Bool) -> String {
        builtIn ? "\(informationURI)/blob/main/policies/\(code.id)-\(code.name)/README.md" : "\(informationURI)#user-policies"
    }

    /// `file` as an artifact location: relative to `root` with `%SRCROOT%`
    /// when under it, an absolute `file:` URI otherwise; nil for standard input.
    static func artifact(_ file: String, root: String) -> JSON? {
        guard file != "<stdin>", !file.isEmpty else { return nil }
        let absolute = SourceFiles.normalize(file)
        let base = root.hasSuffix("/") ? root : root + "/"
        if absolute.hasPrefix(base) {
            let relative = String(absolute.dropFirst(base.count))
            return .object(["uri": .string(relative.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? relative),
                            "uriBaseId": .string("%SRCROOT%")])
        }
        return .object(["uri": .string(URL(fileURLWithPath: absolute).absoluteString)])
    }

    /// Stable across moved lines: code, file from the root, resource and field path.
    static func fingerprint(_ d: Diagnostic, root: String) -> String {
        var hash = FNV1a64()
        let absolute = SourceFiles.normalize(d.file)
        let base = root.hasSuffix("/") ? root : root + "/"
        let parts = [d.code.id, absolute.hasPrefix(base) ? String(absolute.dropFirst(base.count)) : d.file,
                     d.resource.map { "\($0.kind)/\($0.namespace)/\($0.name)" } ?? "", d.path, d.resource == nil ? d.message : ""]
        for part in parts {
            hash.combine(part)
            hash.combine(byte: 0)
        }
        return String(hash.value, radix: 16)
    }

    private static func level(_ severity: Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .info: "note"
        }
    }
}
