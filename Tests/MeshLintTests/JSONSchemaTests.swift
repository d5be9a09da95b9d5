import Foundation
import MeshDiagnostics
import MeshLint
import MeshTestSupport
import Testing

/// The published JSON Schemas (`schemas/`) are valid draft 2020-12 schemas,
/// and real `meshc lint --format json` and `meshc plan --format json` output
/// validates against them (PyPI's jsonschema in `.venv`, as SARIFTests).
/// The schemas refuse unknown members, so a member added to the output
/// without its description in the schema fails here.
@Suite struct JSONSchemaTests {
    static let lintSchema = Repository.url("schemas/lint-report.schema.json").path
    static let planSchema = Repository.url("schemas/plan.schema.json").path

    /// Validates each of `documents` against `schema` (itself checked first); the errors, or "".
    static func validate(_ documents: [String], against schema: String) throws -> String {
        let scratch = try Scratch()
        let files = try documents.enumerated().map { try scratch.write("document-\($0.offset).json", $0.element) }
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1]))
            jsonschema.Draft202012Validator.check_schema(schema)
            validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
            failed = False
            for name in sys.argv[2:]:
                for e in sorted(validator.iter_errors(json.load(open(name))), key=lambda e: list(e.absolute_path)):
                    failed = True
                    print(f"{name} {list(e.absolute_path)}: {e.message}")
            sys.exit(1 if failed else 0)
            """
        let run = try Subprocess.run(SARIFTests.python, ["-c", script, schema] + files)
        return run.status == 0 ? "" : run.stdout + run.stderr
    }

    @Test(.disabled(if: SARIFTests.noJSONSchema, "jsonschema is not installed in .venv: run scripts/setup.sh"))
    func lintReportsMatchTheirSchema() throws {
        let scratch = try Scratch()
        try scratch.write("mesh/routes/vs.yaml", Manifests.routeToMissingHost)
        try scratch.write("mesh/broken.yaml", "kind: [unclosed\n")
        try scratch.write("mesh/values.yaml", "replicas: 3\n")
        let runs = [
            try Tools.meshc(["lint", "--format", "json", "--show-skipped", "mesh"], in: scratch.url),
            try Tools.meshc(["lint", "--format", "json", "samples/s5-lint-errors"]),
            try Tools.meshc(["lint", "--format", "json", "samples/s1-ingress"]),
            try Tools.meshc(["lint", "--format", "json", "-"], input: Data(Manifests.routeToMissingHost.utf8)),
        ]
        #expect(try Self.validate(runs.map(\.stdout), against: Self.lintSchema) == "")
        let reports = try runs.map { try JSON.parse($0.stdout) }
        #expect(reports.allSatisfy { $0["schemaVersion"] == .int(LintReport.jsonSchemaVersion) })
        // The members the schema describes all occur: a hint, a resource, a null resource, skipped documents.
        let diagnostics = reports.flatMap { $0["diagnostics"]?.items ?? [] }
        #expect(diagnostics.contains { $0["hint"]?.text != nil })
        #expect(diagnostics.contains { $0["resource"]?["kind"] != nil })
        #expect(diagnostics.contains { $0["resource"] == .null })
        #expect(reports[0]["skipped"]?.items.count == 1)
    }

    @Test(.disabled(if: SARIFTests.noJSONSchema, "jsonschema is not installed in .venv: run scripts/setup.sh"))
    func plansMatchTheirSchema() throws {
        let golden = "Tests/MeshCompileTests/Golden/"
        var documents: [String] = []
        for (base, head) in [("s1-single-route", "s2-path-routing"), ("s2-path-routing", "s3-weighted"), ("route-matching", "route-actions"),
                             ("subsets", "circuit-breaker"), ("gateway-tls", "gateway-credential")] {
            let run = try Tools.meshc(["plan", "--format", "json", "--base-dir", golden + base, "--head-dir", golden + head])
            #expect(run.status == 0, "\(run.stderr)")
            documents.append(run.stdout)
        }
        // The pull-request goldens (notes included).
        let folder = Repository.url("Tests/Resources/Golden/plan-json")
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() where name.hasSuffix(".json") {
            documents.append(try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8))
        }
        #expect(try Self.validate(documents, against: Self.planSchema) == "")
        let plans = try documents.map { try JSON.parse($0) }
        let items = plans.flatMap { ($0["proxies"]?.items ?? []).flatMap { ($0["changes"]?.items ?? []).flatMap { $0["details"]?.items ?? [] } } }
        let kinds = Set(items.compactMap { $0["kind"]?.text })
        #expect(kinds.isSuperset(of: ["route", "endpoints", "field"]), "\(kinds)")
        #expect(plans.contains { !($0["notes"]?.items.isEmpty ?? true) })
    }
}
