import Foundation
import MeshTestSupport
import Testing

/// Small things users hit with `meshc lint`: usage errors that say what to
/// write, and standard input beside a `--context` holding the same file.
@Suite struct LintEdgeTests {
    @Test func aBadSuppressionPrintsLintsUsageAndTheForm() throws {
        let run = try Tools.meshc(["lint", "-S", "bogus", "samples/s1-ingress"])
        #expect(run.status == 2)
        #expect(run.stderr.contains(#"invalid suppression "bogus": expected CODE=Kind name.namespace"#), "\(run.stderr)")
        #expect(run.stderr.contains("Usage: meshc lint"), "\(run.stderr)")
        #expect(run.stdout.isEmpty)
    }

    @Test func anUnknownOptionIsNamedBeforeMissingPaths() throws {
        let run = try Tools.meshc(["lint", "--bogus"])
        #expect(run.status == 2 && run.stderr.contains("Unknown option '--bogus'"), "\(run.stderr)")
        let bare = try Tools.meshc(["lint"])
        #expect(bare.status == 2 && bare.stderr.contains("name the files or folders to lint") && bare.stderr.contains("Usage: meshc lint"),
                "\(bare.stderr)")
    }

    /// A folder `mesh/` with a Gateway, a Service and a VirtualService (`mesh/vs.yaml`) routing to it.
    static func repository() throws -> Scratch {
        let scratch = try Scratch()
        try scratch.write("mesh/service.yaml", Manifests.service)
        try scratch.write("mesh/vs.yaml", Self.virtualService)
        return scratch
    }

    static let virtualService = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: web
          namespace: default
        spec:
          hosts: [web]
          http:
          - route: [{destination: {host: web}}]

        """

    /// However `--context` is spelled (absolute paths sort before `<stdin>`), the file on standard input is not its own duplicate.
    @Test(arguments: ["absolute", "mesh", "./mesh", "."])
    func standardInputIsNotADuplicateOfItsOwnFile(_ context: String) throws {
        let scratch = try Self.repository()
        let folder = context == "absolute" ? scratch.url.appendingPathComponent("mesh").path : context
        let run = try Tools.meshc(["lint", "--fail-on", "info", "--context", folder, "-"], in: scratch.url, input: Data(Self.virtualService.utf8))
        #expect(run.status == 0 && run.stdout.isEmpty, "\(run.stdout)\(run.stderr)")
    }

    @Test func stdinNameLeavesOutThatFileEvenWhenItDiffers() throws {
        let scratch = try Self.repository()
        let edited = "# the staged version\n" + Self.virtualService.replacingOccurrences(of: "host: web}", with: "host: nowhere}")
        let run = try Tools.meshc(["lint", "--context", scratch.path, "--stdin-name", "mesh/vs.yaml", "-"], in: scratch.url, input: Data(edited.utf8))
        #expect(run.status == 1)
        #expect(!run.stdout.contains("MSH0006"), "\(run.stdout)")
        #expect(run.stdout.hasPrefix("mesh/vs.yaml:10:"), "findings name the file standard input stands for: \(run.stdout)")
        #expect(run.stdout.contains("IST0101"), "\(run.stdout)")
    }

    @Test func aRealDuplicateOnStandardInputIsStillFound() throws {
        let scratch = try Self.repository()
        let copy = Self.virtualService.replacingOccurrences(of: "hosts: [web]", with: "hosts: [web.default.svc.cluster.local]")
        let run = try Tools.meshc(["lint", "--context", scratch.path, "-"], in: scratch.url, input: Data(copy.utf8))
        #expect(run.status == 1 && run.stdout.contains("MSH0006"), "\(run.stdout)\(run.stderr)")
    }
}
