import Foundation
import MeshTestSupport
import Testing

/// meshc runs in CI on a checkout of a pull request: an Envoy committed into
/// that checkout (`.venv/bin/envoy`) must never run. Only `--envoy`,
/// `$MESHC_ENVOY` or an absolute PATH entry name it.
@Suite struct EnvoyLocationTests {
    @Test func anEnvoyCommittedIntoTheCurrentFolderIsNeverRun() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("meshc-pr-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let marker = folder.appendingPathComponent("ran").path
        let planted = folder.appendingPathComponent(".venv/bin/envoy")
        try FileManager.default.createDirectory(at: planted.deletingLastPathComponent(), withIntermediateDirectories: true)
        try "#!/bin/sh\ntouch '\(marker)'\nexit 0\n".write(to: planted, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: planted.path)
        let token = folder.appendingPathComponent("token").path
        try "0123456789abcdef0123456789abcdef\n".write(toFile: token, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: token)
        try FileManager.default.copyItem(at: Repository.url("samples/s1-ingress"), to: folder.appendingPathComponent("mesh"))

        // A PATH that has the current folder in it (relative entries are ignored too).
        let environment = ["MESHC_ENVOY": "", "PATH": ".venv/bin:.:/usr/bin:/bin"]
        let run = try Tools.meshc(["apply", "--dry-run", "--token-file", token, "mesh"], in: folder, environment: environment)
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.contains("no Envoy: pass --envoy PATH or set MESHC_ENVOY"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: marker), "the planted .venv/bin/envoy ran")
    }
}
