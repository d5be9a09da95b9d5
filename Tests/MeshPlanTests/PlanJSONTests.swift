import Foundation
import MeshDiagnostics
import MeshPlan
import MeshTestSupport
import Testing

/// `meshc plan --format json` for the pull-request cases, against goldens in
/// `Tests/Resources/Golden/plan-json/` (one file per case; `JSONSchemaTests`
/// validates them against `schemas/plan.schema.json`).
@Suite struct PlanJSONTests {
    static let golden = Golden(Repository.url("Tests/Resources/Golden/plan-json"), label: "Golden/plan-json")

    static let cases: [(name: String, plan: Plan)] = PlanMarkdownTests.cases.map {
        (String($0.name.dropLast(".md".count)) + ".json", $0.plan)
    }

    @Test func jsonMatchesTheGoldens() throws {
        for (name, plan) in Self.cases { try Self.golden.check(plan.jsonText(), name) }
        try Self.golden.checkOrphans(produced: Set(Self.cases.map(\.name)))
    }

    /// Every line of the text plan is an item's `text`, in order, and the JSON round-trips.
    @Test func itemsAreTheTextLines() throws {
        for (name, plan) in Self.cases {
            let parsed = try JSON.parse(plan.jsonText())
            #expect(parsed == plan.json(), "\(name)")
            #expect(parsed["schemaVersion"] == .int(Plan.jsonSchemaVersion))
            let texts = (parsed["proxies"]?.items ?? []).flatMap { ($0["changes"]?.items ?? []).flatMap { ($0["details"]?.items ?? []).compactMap { $0["text"]?.text } } }
            let lines = plan.proxies.flatMap { $0.changes.flatMap(\.details) }
            #expect(texts == lines, "\(name)")
            #expect(plan.text().split(separator: "\n").filter { $0.hasPrefix("      ") }.map { String($0.dropFirst(6)) } == lines, "\(name)")
        }
    }
}
