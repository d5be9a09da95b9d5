import Foundation
import MeshDiagnostics
import Testing

/// `meshc plan` run as a user runs it, on folders `meshc build` wrote.
@Suite(.serialized) struct PlanCommandTests {
    /// Runs the `meshc` beside the test bundle (or in `.build/debug`) from the repository root.
    static func meshc(_ arguments: String...) throws -> (status: Int32, stdout: String, stderr: String) {
        try meshc(arguments)
    }

    /// Runs `meshc ARGUMENTS` in `directory` (the repository root by default), with `environment` added.
    static func meshc(_ arguments: [String], in directory: URL = Mesh.repo,
                      environment: [String: String] = [:]) throws -> (status: Int32, stdout: String, stderr: String) {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("meshc")
        let binary = FileManager.default.isExecutableFile(atPath: beside.path) ? beside : Mesh.repo.appendingPathComponent(".build/debug/meshc")
        return try run(binary, arguments, in: directory, environment: environment)
    }

    /// Runs `executable` in `directory` with `environment` added to this process's; waits for it.
    static func run(_ executable: URL, _ arguments: [String], in directory: URL,
                    environment: [String: String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, added in added }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile(), stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    @Test func plansBetweenBuiltFoldersWithDetailedExitCodes() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("meshc-plan-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let build = root.appendingPathComponent("build").path, s1 = root.appendingPathComponent("s1").path
        // Build the base, move it aside, build the head to the same --out (listeners name routes.json by path).
        #expect(try Self.meshc("build", "--out", build, "samples/s1-ingress").status == 0)
        try FileManager.default.moveItem(atPath: build, toPath: s1)
        #expect(try Self.meshc("build", "--out", build, "samples/s2-path-routing").status == 0)

        let changes = try Self.meshc("plan", "--base-dir", s1, "--head-dir", build)
        #expect(changes.status == 2)
        #expect(changes.stdout == Mesh.s1ToS2Plan)

        let json = try Self.meshc("plan", "--format", "json", "--base-dir", s1, "--head-dir", build)
        #expect(json.status == 2)
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
        #expect(created.status == 2 && created.stdout.hasSuffix("Plan: 6 to create, 0 to update, 0 to delete (1 proxy changed).\n"))
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
    }
}
