import MeshDiagnostics

extension LintReport {
    /// The version of the JSON report; raised when a member changes meaning
    /// or goes away (`schemas/lint-report.schema.json` describes it).
    package static let jsonSchemaVersion = 1

    /// `{"schemaVersion": 1, "diagnostics": […], "summary": {…}}`, keys sorted; with
    /// `showSkipped`, also `"skipped": [{"file", "line", "column"}…]`.
    package func json(minimum: Severity = .info, showSkipped: Bool = false) -> String {
        let items: [JSON] = diagnostics.filter { $0.severity >= minimum }.map { d in
            var object: JSONObject = [
                "code": .string(d.code.id),
                "name": .string(d.code.name),
                "severity": .string(d.severity.description),
                "message": .string(d.message),
                "file": .string(d.file),
                "line": .int(Int(d.mark.line)),
                "column": .int(Int(d.mark.column)),
                "path": .string(d.path),
            ]
            if let hint = d.hint { object["hint"] = .string(hint) }
            if let r = d.resource {
                object["resource"] = .object(["kind": .string(r.kind), "namespace": .string(r.namespace), "name": .string(r.name)])
            } else {
                object["resource"] = .null
            }
            return .object(object)
        }
        let summary: JSON = .object([
            "errors": .int(count(.error)),
            "warnings": .int(count(.warning)),
            "infos": .int(count(.info)),
            "files": .int(fileCount),
            "resources": .int(resourceCount),
            "skipped": .int(skipped.count),
        ])
        var object: JSONObject = ["schemaVersion": .int(Self.jsonSchemaVersion), "diagnostics": .array(items), "summary": summary]
        if showSkipped {
            object["skipped"] = .array(skipped.map {
                .object(["file": .string($0.file), "line": .int(Int($0.mark.line)), "column": .int(Int($0.mark.column))])
            })
        }
        return JSON.object(object).rendered(pretty: true) + "\n"
    }
}
