import Foundation
import MeshTestSupport
import Testing

/// The shipped `.pre-commit-hooks.yaml` run by the real pre-commit (PyPI,
/// `.venv/bin/pre-commit`, installed by scripts/setup.sh) on a scratch
/// repository that also holds YAML and JSON that are not manifests.
@Suite(.tags(.e2e), .serialized) struct PreCommitTests {
    static let preCommit = Repository.url(".venv/bin/pre-commit").path
    static var missing: Bool { !FileManager.default.isExecutableFile(atPath: preCommit) }

    /// The package's hooks as `repo: local` hooks (no network) running the built meshc.
    static func config() throws -> String {
        let hooks = try String(contentsOf: Repository.url(".pre-commit-hooks.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "entry: meshc ", with: "entry: \(Tools.meshc) ")
            .split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("#") }
            .map { $0.isEmpty ? "" : "      " + $0 }
            .joined(separator: "\n")
        return "repos:\n  - repo: local\n    hooks:\n" + hooks + "\n"
    }

    /// A repository with manifests, a package.json, Helm values and the hooks installed.
    static func repository() throws -> GitFixture {
        let repo = try GitFixture()
        try repo.copyFromPackage("samples/s1-ingress", to: "mesh")
        try repo.write("package.json", #"{"name": "mesh-config", "version": "1.0.0", "private": true}"# + "\n")
        try repo.write("charts/web/values.yaml", "replicaCount: 2\nimage:\n  repository: nginx\n  tag: \"1.27\"\nservice: {type: ClusterIP, port: 80}\n")
        try repo.write(".pre-commit-config.yaml", try config())
        return repo
    }

    /// Runs `executable arguments…` in the repository with git and pre-commit kept to it.
    static func run(_ executable: String, _ arguments: [String], in repo: GitFixture) throws -> Subprocess.Result {
        var environment = ["GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1",
                           "PRE_COMMIT_HOME": try repo.folder("pre-commit-home"), "PRE_COMMIT_COLOR": "never"]
        for role in ["AUTHOR", "COMMITTER"] {
            environment["GIT_\(role)_NAME"] = "Mesh Tester"
            environment["GIT_\(role)_EMAIL"] = "tester@example.com"
        }
        return try Subprocess.run(executable, arguments, in: repo.url, environment: environment, timeout: 120)
    }

    @Test(.disabled(if: missing, "pre-commit is not installed in .venv: run scripts/setup.sh"))
    func cleanRepositoryPassesAndBadManifestsBlockTheCommit() throws {
        let repo = try Self.repository()
        defer { repo.remove() }
        #expect(try Self.run(Self.preCommit, ["install"], in: repo).status == 0)
        try repo.git("add", "-A")
        let clean = try Self.run(Self.preCommit, ["run", "--all-files"], in: repo)
        #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")
        let first = try Self.run("git", ["commit", "-q", "-m", "mesh"], in: repo)
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")

        // A staged manifest with a typo'd field: the commit is refused, naming file:line.
        try repo.write("mesh/route.yaml", """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata:
              name: typo
            spec:
              hosts: ["typo.example.com"]
              gateways: [http-gateway]
              http:
              - route:
                - destination:
                    hots: http-echo-foo.default.svc.cluster.local

            """)
        try repo.git("add", "mesh/route.yaml")
        let blocked = try Self.run("git", ["commit", "-q", "-m", "typo"], in: repo)
        #expect(blocked.status != 0)
        #expect((blocked.stdout + blocked.stderr).contains("mesh/route.yaml:11:"), "\(blocked.stdout)\(blocked.stderr)")
        try repo.git("rm", "-q", "-f", "mesh/route.yaml")
        #expect(try repo.git("log", "--format=%s") == "mesh")

        // Deleting the Gateway's file breaks the VirtualService in another
        // file: only the whole-repository hook sees it (no staged file is left to pass).
        try repo.git("rm", "-q", "mesh/gateway.yaml")
        let broken = try Self.run("git", ["commit", "-q", "-m", "drop the gateway"], in: repo)
        let output = broken.stdout + broken.stderr
        #expect(broken.status != 0, "\(output)")
        #expect(output.contains("meshc lint (whole repository)"), "\(output)")
        #expect(output.contains("mesh/virtualservice.yaml:") && output.contains("IST0101"), "\(output)")
        #expect(try repo.git("log", "--format=%s") == "mesh")

        // A rename keeps the reference intact: the commit goes through.
        try repo.git("reset", "-q", "--hard")
        try repo.git("mv", "mesh/gateway.yaml", "mesh/ingress-gateway.yaml")
        let renamed = try Self.run("git", ["commit", "-q", "-m", "rename"], in: repo)
        #expect(renamed.status == 0, "\(renamed.stdout)\(renamed.stderr)")
    }
}
