import MeshDiagnostics

extension LintReport {
    /// SARIF 2.1.0, one run, one rule per code that appears, for code-scanning uploads.
    package func sarif(minimum: Severity = .info) -> String {
        let shown = diagnostics.filter { $0.severity >= minimum }
        var codes: [String: DiagnosticCode] = [:]
        for d in shown { codes[d.code.id] = d.code }
        let ruleIDs = codes.keys.sorted()
        let rules: [JSON] = ruleIDs.map { id in
            let code = codes[id]!
            return .object([
                "id": .string(code.id),
                "name": .string(code.name),
                "shortDescription": .object(["text": .string(code.name)]),
                "helpUri": .string(code.id.hasPrefix("IST") ? "https://istio.io/latest/docs/reference/config/analysis/\(code.id.lowercased())/" : "https://github.com/meshc/meshc/tree/main/policies"),
                "defaultConfiguration": .object(["level": .string(Self.level(code.severity))]),
            ])
        }
        let results: [JSON] = shown.map { d in
            .object([
                "ruleId": .string(d.code.id),
                "ruleIndex": .int(ruleIDs.firstIndex(of: d.code.id) ?? 0),
                "level": .string(Self.level(d.severity)),
                "message": .object(["text": .string(d.fullMessage)]),
                "locations": .array([.object([
                    "physicalLocation": .object([
                        "artifactLocation": .object(["uri": .string(d.file)]),
                        "region": .object(["startLine": .int(Int(d.mark.line)), "startColumn": .int(Int(d.mark.column))]),
                    ]),
                ])]),
            ])
        }
        let run: JSON = .object([
            "tool": .object(["driver": .object([
                "name": .string("meshc"),
                "informationUri": .string("https://github.com/meshc/meshc"),
                "rules": .array(rules),
            ])]),
            "results": .array(results),
        ])
        return JSON.object([
            "$schema": .string("https://json.schemastore.org/sarif-2.1.0.json"),
            "version": .string("2.1.0"),
            "runs": .array([run]),
        ]).rendered(pretty: true) + "\n"
    }

    private static func level(_ severity: Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .info: "note"
        }
    }
}
