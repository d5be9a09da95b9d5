import Foundation
import MeshTestSupport
import Testing

/// Folders hold more than manifests: documents without apiVersion and kind
/// are skipped and counted, `--exclude` and `.meshcignore` leave files out.
@Suite struct SkippedDocumentTests {
    static func repository() throws -> Scratch {
        let scratch = try Scratch()
        try FileManager.default.createDirectory(at: scratch.url.appendingPathComponent(".git"), withIntermediateDirectories: true)
        try scratch.write("mesh/service.yaml", Manifests.service)
        try scratch.write("package.json", #"{"name": "x", "version": "1.0.0"}"#)
        try scratch.write("charts/web/values.yaml", "replicaCount: 2\n---\n- a\n- b\n")
        try scratch.write(".pre-commit-config.yaml", "repos:\n- repo: local\n  hooks: []\n")
        try scratch.write(".github/workflows/ci.yaml", "on: push\njobs: {}\n")
        return scratch
    }

    @Test func documentsWithoutApiVersionAndKindAreCountedNotErrors() throws {
        let scratch = try Self.repository()
        let run = try Tools.meshc(["lint", "."], in: scratch.url)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains("3 documents skipped: not Kubernetes manifests"), "\(run.stderr)")
        #expect(!run.stderr.contains("package.json:"))

        let listed = try Tools.meshc(["lint", "--show-skipped", "."], in: scratch.url)
        #expect(listed.stderr.contains("./package.json:1:1: skipped: not a Kubernetes manifest"), "\(listed.stderr)")
        #expect(listed.stderr.contains("./charts/web/values.yaml:3:1: skipped"), "\(listed.stderr)")

        let json = try Tools.meshc(["lint", "-o", "json", "--show-skipped", "."], in: scratch.url)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((object["summary"] as? [String: Any])?["skipped"] as? Int == 3)
        #expect((object["skipped"] as? [Any])?.count == 3)
    }

    @Test func aDocumentThatLooksLikeAManifestIsStillChecked() throws {
        let scratch = try Scratch()
        let file = try scratch.write("half.yaml", "kind: Service\nmetadata: {name: x}\n---\napiVersion: v1\nmetadata: {name: y}\n")
        let run = try Tools.meshc(["lint", file])
        #expect(run.status == 1 && run.stdout.contains("MSH0005"), "\(run.stdout)")
    }

    @Test func meshcignoreAndExcludeLeaveFilesOut() throws {
        let scratch = try Self.repository()
        try scratch.write("mesh/broken.yaml", Manifests.routeToMissingHost)
        #expect(try Tools.meshc(["lint", "."], in: scratch.url).status == 1)
        #expect(try Tools.meshc(["lint", "--exclude", "broken.yaml", "."], in: scratch.url).status == 0)
        try scratch.write(".meshcignore", "# generated\n/mesh/broken.yaml\ncharts/\n*.json\n")
        let ignored = try Tools.meshc(["lint", "--show-skipped", "."], in: scratch.url)
        #expect(ignored.status == 0, "\(ignored.stdout)")
        #expect(!ignored.stderr.contains("values.yaml") && !ignored.stderr.contains("package.json"), "\(ignored.stderr)")
        // A file named on the command line (as pre-commit passes them) is left out too, from any folder of the repository.
        let named = try Tools.meshc(["lint", "broken.yaml"], in: scratch.url.appendingPathComponent("mesh"))
        #expect(named.status == 0 && named.stdout.isEmpty, "\(named.stdout)")
        // build and plan read the same files.
        let out = scratch.url.appendingPathComponent("out").path
        #expect(try Tools.meshc(["build", "--out", out, "."], in: scratch.url).status == 0)
        #expect(try Tools.meshc(["plan", "."], in: scratch.url).status == 0)
        try FileManager.default.removeItem(at: scratch.url.appendingPathComponent(".meshcignore"))
        #expect(try Tools.meshc(["plan", "."], in: scratch.url).status == 1)
        #expect(try Tools.meshc(["plan", "--exclude", "/mesh/broken.yaml", "."], in: scratch.url).status == 0)
    }
}
