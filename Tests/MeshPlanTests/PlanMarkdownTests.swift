import Foundation
import MeshPlan
import MeshSnapshot
import MeshTestSupport
import Testing

/// `meshc plan --format markdown`, the pull-request comment, against goldens
/// in `Tests/Resources/Golden/plan/` (one file per case).
@Suite struct PlanMarkdownTests {
    static let golden = Golden(Repository.url("Tests/Resources/Golden/plan"), label: "Golden/plan")

    /// Plans worth a comment: created, updated and removed proxies; route
    /// lines; a weighted split; nothing at all.
    static let cases: [(name: String, plan: Plan)] = [
        ("mixed.md", PlanOutputTests.plan),
        ("path-routing.md", Planner.plan(desired: [Mesh.gateway(Mesh.echo(http: Mesh.pathRouting))],
                                         running: [Mesh.gateway(Mesh.echo(http: Mesh.allToFoo))])),
        ("weighted.md", Planner.plan(desired: [Mesh.gateway(Mesh.echo(http: Mesh.weighted))],
                                     running: [Mesh.gateway(Mesh.echo(http: Mesh.pathRouting))])),
        ("new-proxy.md", Planner.plan(desired: [Mesh.gateway(Mesh.echo(http: Mesh.allToFoo))], running: [])),
        ("no-changes.md", Planner.plan(desired: [Mesh.gateway(Mesh.echo(http: Mesh.allToFoo))],
                                       running: [Mesh.gateway(Mesh.echo(http: Mesh.allToFoo))])),
    ]

    @Test func markdownMatchesTheGoldens() throws {
        for (name, plan) in Self.cases { try Self.golden.check(plan.markdown(), name) }
        try Self.golden.checkOrphans(produced: Set(Self.cases.map(\.name)))
    }

    @Test func everyDiffBlockIsClosedAndMarksStartTheLine() {
        for (name, plan) in Self.cases {
            let text = plan.markdown()
            #expect(text.hasPrefix(Plan.markdownMarker + "\n"), "\(name)")
            #expect(text.components(separatedBy: "```").count % 2 == 1, "\(name): unbalanced fences")
            var inDiff = false
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("```") { inDiff.toggle(); continue }
                if inDiff { #expect(["+", "-", "~", " "].contains(line.prefix(1)), "\(name): \(line)") }
            }
        }
    }
}
