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
        ("broken-base.md", brokenBase),
    ]

    /// A pull request fixing its base: the head planned against no proxies, with the note `meshc plan` adds.
    static var brokenBase: Plan {
        var plan = Planner.plan(desired: [Mesh.gateway(Mesh.echo(http: Mesh.pathRouting))], running: [])
        plan.notes = [PlanNote("the base main (5c0ffee12345) does not build (1 error), so every proxy of the head is shown as created; its error:",
                               details: ["mesh/vs.yaml:8:14: error IST0101 ReferencedResourceNotFound: spec.gateways[0]: gateway `gw2` not found"])]
        return plan
    }

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
