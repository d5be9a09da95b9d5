import Foundation
import MeshDiagnostics
import MeshTestSupport
import Testing

/// `meshc plan` run as a user runs it, on folders `meshc build` wrote.
@Suite(.serialized) struct PlanCommandTests {
    /// Runs the built `meshc ARGUMENTS` from the repository root.
    static func meshc(_ arguments: String...) throws -> Subprocess.Result {
        try Tools.meshc(arguments)
    }

    @Test func plansBetweenBuiltFolders() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("meshc-plan-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let build = root.appendingPathComponent("build").path, s1 = root.appendingPathComponent("s1").path
        // Build the base, move it aside, build the head to the same --out (listeners name their route files by path).
        #expect(try Self.meshc("build", "--out", build, "samples/s1-ingress").status == 0)
        try FileManager.default.moveItem(atPath: build, toPath: s1)
        #expect(try Self.meshc("build", "--out", build, "samples/s2-path-routing").status == 0)

        let changes = try Self.meshc("plan", "--detailed-exitcode", "--base-dir", s1, "--head-dir", build)
        #expect(changes.status == 2)
        #expect(changes.stdout == Mesh.s1ToS2Plan)

        let json = try Self.meshc("plan", "--format", "json", "--base-dir", s1, "--head-dir", build)
        #expect(json.status == 0)
        guard case .object(let plan) = try JSON.parse(json.stdout), case .object(let summary)? = plan["summary"] else {
            Issue.record("no summary in \(json.stdout)")
            return
        }
        #expect(summary["create"] == .int(2) && summary["update"] == .int(1) && summary["delete"] == .int(0))

        let same = try Self.meshc("plan", "--base-dir", build, "--head-dir", build)
        #expect(same.status == 0 && same.stdout == "No changes.\n")
        let manifests = try Self.meshc("plan", "samples/s2-path-routing", "--against-dir", build)
        #expect(manifests.status == 0 && manifests.stdout == "No changes.\n")
        let created = try Self.meshc("plan", "--head-dir", build)
        #expect(created.status == 0 && created.stdout.hasSuffix("Plan: 6 to create, 0 to update, 0 to delete (1 proxy changed).\n"))
    }

    /// Terraform's conventions: 0 for any plan made, 2 for changes only with --detailed-exitcode, 1 for errors.
    @Test(arguments: [
        (["--head-dir", "samples/s1-ingress"], false, Int32(0)),  // not a build folder: no proxies, no changes
        (["samples/s1-ingress"], false, 0),                        // changes
        (["samples/s1-ingress"], true, 2),
        (["--base-dir", "/nonexistent/meshc-plan", "--head-dir", "samples"], false, 1),
        (["--base-dir", "/nonexistent/meshc-plan", "--head-dir", "samples"], true, 1),
        (["--format", "xml", "samples/s1-ingress"], false, 1),
        (["--format", "xml", "samples/s1-ingress"], true, 1),
    ])
    func exitCodes(arguments: [String], detailed: Bool, expected: Int32) throws {
        let run = try Tools.meshc(["plan"] + (detailed ? ["--detailed-exitcode"] : []) + arguments)
        #expect(run.status == expected, "\(run.stdout)\(run.stderr)")
    }

    @Test func noChangesExitZeroEitherWay() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("meshc-plan-codes-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(try Self.meshc("build", "--out", root.path, "samples/s1-ingress").status == 0)
        for flags in [[], ["--detailed-exitcode"]] {
            let run = try Tools.meshc(["plan"] + flags + ["samples/s1-ingress", "--against-dir", root.path])
            #expect(run.status == 0 && run.stdout == "No changes.\n", "\(run.stderr)")
        }
    }

    @Test func errorsAndUsageExitOne() throws {
        let missing = try Self.meshc("plan", "--base-dir", "/nonexistent/meshc-plan", "--head-dir", "samples")
        #expect(missing.status == 1 && missing.stderr.contains("/nonexistent/meshc-plan: no such folder"))
        let usage = try Self.meshc("plan")
        #expect(usage.status == 1 && usage.stderr.contains("name what to compare"))
        let badFormat = try Self.meshc("plan", "--format", "xml", "--head-dir", "samples")
        #expect(badFormat.status == 1)
        let bad = FileManager.default.temporaryDirectory.appendingPathComponent("meshc-plan-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: bad) }
        try Data("apiVersion: v1\nkind: Service\nmetadata: {name: x\n".utf8).write(to: bad)
        let lintErrors = try Self.meshc("plan", bad.path)
        #expect(lintErrors.status == 1 && lintErrors.stdout.isEmpty && lintErrors.stderr.contains("meshc plan: no plan; fix the errors above"))
        #expect(try Self.meshc("plan", "--detailed-exitcode", bad.path).status == 1)
    }
}
