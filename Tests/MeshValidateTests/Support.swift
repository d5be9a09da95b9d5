import MeshDiagnostics
import MeshModel
import MeshValidate
import MeshYAML

/// Runs parse → decode → field validation → analyzers over one YAML text,
/// the same stages `meshc lint` runs, and returns every diagnostic sorted.
/// `optIn` enables off-by-default checks (`Codes.optIn`).
func lintYAML(_ yaml: String, file: String = "test.yaml", optIn: Set<String> = []) -> [Diagnostic] {
    let parsed = YAMLParser.parse(yaml, path: file)
    let decoded = ResourceDecoder.decode(parsed)
    var config = MeshConfig()
    config.enabledOptInCodes = optIn
    let mesh = MeshIndex(decoded.resources, config: config)
    let all = parsed.diagnostics + decoded.diagnostics
        + Validation.validateFields(decoded.resources) + Validation.analyze(mesh)
    return all.sorted(by: Diagnostic.ordered)
}

/// `CODE@line` for each diagnostic: compact to compare in tests.
func codesAndLines(_ diagnostics: [Diagnostic]) -> [String] {
    diagnostics.map { "\($0.code.id)@\($0.mark.line)" }
}
