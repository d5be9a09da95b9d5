import Foundation
import MeshDiagnostics
import MeshLint
import MeshTestSupport
import Testing

/// `meshc lint --format sarif` for code scanning: schema-valid, locations
/// relative to the repository root from any folder, rule help for every code.
@Suite struct SARIFTests {
    static let python = Repository.url(".venv/bin/python").path
    static let schema = Repository.url("Tests/Resources/sarif-2.1.0-meshc.schema.json").path
    static var noJSONSchema: Bool {
        (try? Subprocess.run(python, ["-c", "import jsonschema"]).status) != 0
    }

    /// Validates `text` against the SARIF schema with PyPI's jsonschema; the errors, or "".
    static func validate(_ text: String) throws -> String {
        let scratch = try Scratch()
        let file = try scratch.write("log.sarif", text)
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1])); log = json.load(open(sys.argv[2]))
            validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
            errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
            print("\\n".join(f"{list(e.path)}: {e.message}" for e in errors)); sys.exit(1 if errors else 0)
            """
        let run = try Subprocess.run(python, ["-c", script, schema, file])
        return run.status == 0 ? "" : run.stdout + run.stderr
    }

    static func repository() throws -> Scratch {
        let scratch = try Scratch()
        try FileManager.default.createDirectory(at: scratch.url.appendingPathComponent(".git"), withIntermediateDirectories: true)
        try scratch.write("mesh/routes/vs.yaml", Manifests.routeToMissingHost)
        try scratch.write("mesh/service.yaml", Manifests.service.replacingOccurrences(of: "name: http", with: "name: web"))
        return scratch
    }

    @Test(.disabled(if: noJSONSchema, "jsonschema is not installed in .venv: run scripts/setup.sh"))
    func findingsAreValidSARIFWithRelativeLocations() throws {
        let scratch = try Self.repository()
        // Run from a sub-folder: URIs are still from the repository root.
        let run = try Tools.meshc(["lint", "--format", "sarif", "."], in: scratch.url.appendingPathComponent("mesh"))
        #expect(run.status == 1)
        #expect(try Self.validate(run.stdout) == "")
        let log = try JSON.parse(run.stdout)
        let sarifRun = try #require(log["runs"]?.items.first)
        let driver = try #require(sarifRun["tool"]?["driver"])
        #expect(driver["version"]?.text == MeshcVersion.version && driver["informationUri"]?.text != nil)
        let rules = driver["rules"]?.items ?? []
        #expect(rules.count >= Codes.all.count)
        for rule in rules {
            for key in ["shortDescription", "fullDescription", "help"] { #expect(rule[key]?["text"]?.text?.isEmpty == false, "\(key)") }
            #expect(rule["helpUri"]?.text?.hasPrefix("https://") == true)
        }
        let root = sarifRun["originalUriBaseIds"]?["%SRCROOT%"]?["uri"]?.text
        #expect(root == URL(fileURLWithPath: scratch.path, isDirectory: true).standardizedFileURL.absoluteString)
        let results = sarifRun["results"]?.items ?? []
        #expect(results.count == 2)
        let located = results.compactMap { $0["locations"]?.items.first?["physicalLocation"] }
        #expect(Set(located.compactMap { $0["artifactLocation"]?["uri"]?.text }) == ["mesh/routes/vs.yaml", "mesh/service.yaml"])
        #expect(located.allSatisfy { $0["artifactLocation"]?["uriBaseId"]?.text == "%SRCROOT%" })
        #expect(located.allSatisfy { ($0["region"]?["startLine"]?.int ?? 0) >= 1 && ($0["region"]?["startColumn"]?.int ?? 0) >= 1 })
        #expect(results.allSatisfy { $0["partialFingerprints"]?["meshcFinding/v1"]?.text?.isEmpty == false })
        for result in results {
            let index = try #require(result["ruleIndex"]?.int)
            #expect(rules[index]["id"] == result["ruleId"])
        }
        // The same run from the root gives the same log.
        #expect(try Tools.meshc(["lint", "--format", "sarif", "mesh"], in: scratch.url).stdout == run.stdout)
    }

    @Test(.disabled(if: noJSONSchema, "jsonschema is not installed in .venv: run scripts/setup.sh"))
    func anUnreadableInputStillGivesValidSARIF() throws {
        let scratch = try Self.repository()
        let run = try Tools.meshc(["lint", "--format", "sarif", "mesh", "missing.yaml"], in: scratch.url)
        #expect(run.status == 2)
        #expect(try Self.validate(run.stdout) == "")
        let invocation = try JSON.parse(run.stdout)["runs"]?.items.first?["invocations"]?.items.first
        #expect(invocation?["executionSuccessful"] == .bool(false))
        #expect(invocation?["toolExecutionNotifications"]?.items.first?["message"]?["text"]?.text?.contains("missing.yaml") == true)
    }

    @Test func fingerprintsSurviveMovedLines() throws {
        let scratch = try Self.repository()
        let before = try Tools.meshc(["lint", "--format", "sarif", "."], in: scratch.url).stdout
        try scratch.write("mesh/routes/vs.yaml", "# a comment moves every line down\n\n" + Manifests.routeToMissingHost)
        let after = try Tools.meshc(["lint", "--format", "sarif", "."], in: scratch.url).stdout
        func prints(_ text: String) throws -> [JSON] {
            try JSON.parse(text)["runs"]?.items.first?["results"]?.items.compactMap { $0["partialFingerprints"] } ?? []
        }
        #expect(try prints(before) == prints(after))
        #expect(before != after)
    }

    @Test func everyCodeHasHelp() {
        // A new code needs its entry in Sources/MeshLint/RuleHelp.swift (from its policies/ README).
        #expect(Set(RuleHelp.all.keys) == Set(Codes.all.map(\.id)))
    }

    @Test func istioctlHabits() throws {
        let scratch = try Self.repository()
        let service = scratch.url.appendingPathComponent("mesh/service.yaml").path
        #expect(try Tools.meshc(["lint", "--failure-threshold", "Info", service]).status == 1)
        #expect(try Tools.meshc(["lint", "--fail-on", "WARNING", service]).status == 0)
        #expect(try Tools.meshc(["lint", "--output", "JSON", service]).stdout.hasPrefix("{"))
        let list = try Tools.meshc(["lint", "--list-analyzers"])
        #expect(list.status == 0 && list.stdout.contains("IST0101 ReferencedResourceNotFound (error)"))
        #expect(list.stdout.split(separator: "\n").count == Codes.all.count)
        let version = try Tools.meshc(["--version"])
        #expect(version.status == 0 && version.stdout.contains(MeshcVersion.version) && version.stdout.contains("Envoy \(MeshcVersion.envoy)"))
    }
}

private extension JSON {
    /// The value of an `.int`; nil for other values.
    var int: Int? {
        if case .int(let value) = self { return value }
        return nil
    }
}
