import Foundation
import MeshDiagnostics
import MeshTestSupport
import Testing

/// `meshc plan --base REF --head REF`: manifests compiled straight from a
/// real git repository (made with the git CLI), as CI runs it on a pull request.
@Suite(.serialized) struct PlanRefsTests {
    /// A repository whose `mesh/` holds S1 (tag s1), then S2 (tag s2), then S2
    /// plus a VirtualService naming a missing Gateway (tag bad).
    final class History {
        let fixture: GitFixture
        var root: URL { fixture.url }
        /// The folder holding the repository (not a repository itself).
        var base: URL { URL(fileURLWithPath: fixture.base) }

        init() throws {
            fixture = try GitFixture()
            for (sample, tag) in [("s1-ingress", "s1"), ("s2-path-routing", "s2")] {
                try fixture.copyFromPackage("samples/\(sample)", to: "mesh")
                try commit(tag)
            }
            try fixture.write("mesh/broken.yaml", Self.broken)
            try commit("bad")
        }

        /// Line 8 names a Gateway that does not exist: IST0101, an error.
        static let broken = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata:
              name: broken
              namespace: default
            spec:
              hosts: ["*"]
              gateways: [no-such-gateway]
              http:
              - route: [{destination: {host: http-echo-foo.default.svc.cluster.local}}]

            """

        func remove() { fixture.remove() }

        private func commit(_ tag: String) throws {
            try fixture.commit(tag)
            try git("tag", tag)
        }

        /// Runs git in the worktree; returns trimmed standard output.
        @discardableResult
        func git(_ arguments: String...) throws -> String {
            try GitFixture.git(arguments, in: fixture.root)
        }

        /// `meshc plan ARGUMENTS` in the worktree.
        func plan(_ arguments: String...) throws -> Subprocess.Result {
            try Tools.meshc(["plan"] + arguments, in: root, environment: ["XDG_CACHE_HOME": try fixture.folder("cache")])
        }
    }

    /// The plan cache (issue 15): a rerun of the same plan reads both refs' desired states from
    /// `$XDG_CACHE_HOME/meshc/plan` instead of building them, and prints the same plan; `--no-cache`,
    /// other compile options, a deleted or damaged cache all build again, with the same output.
    @Test func aRerunPlansFromTheCacheWithTheSameOutput() throws {
        let history = try History()
        defer { history.remove() }
        let first = try history.plan("--base", "s1", "--head", "s2")
        #expect(first.status == 0 && first.stderr.contains("parsed"), "\(first.stderr)")
        let second = try history.plan("--base", "s1", "--head", "s2")
        #expect(second.stdout == first.stdout, "a cached plan differs:\n\(second.stdout)\n---\n\(first.stdout)")
        #expect(second.stderr.components(separatedBy: "from the plan cache").count == 3 && !second.stderr.contains("parsed"), "\(second.stderr)")
        let uncached = try history.plan("--base", "s1", "--head", "s2", "--no-cache")
        #expect(uncached.stdout == first.stdout && uncached.stderr.contains("parsed") && !uncached.stderr.contains("plan cache"))
        let offset = try history.plan("--base", "s1", "--head", "s2", "--port-offset", "1000")
        #expect(offset.stderr.contains("parsed") && !offset.stderr.contains("plan cache"), "other options, other key: \(offset.stderr)")
        // Damaged entries are misses, never a wrong plan.
        let folder = try history.fixture.folder("cache") + "/meshc/plan"
        let entries = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".desired") }
        #expect(entries.count == 4, "\(entries)")
        for entry in entries {
            let path = folder + "/" + entry
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: path))
        }
        let damaged = try history.plan("--base", "s1", "--head", "s2")
        #expect(damaged.stdout == first.stdout && damaged.stderr.contains("parsed"), "\(damaged.stderr)")
        try FileManager.default.removeItem(atPath: folder)
        let deleted = try history.plan("--base", "s1", "--head", "s2")
        #expect(deleted.stdout == first.stdout && deleted.stderr.contains("parsed"))
    }

    @Test func twoRefsPlanWithDetailedExitCodes() throws {
        let history = try History()
        defer { history.remove() }
        let changes = try history.plan("--detailed-exitcode", "--base", "s1", "--head", "s2")
        #expect(changes.status == 2, "\(changes.stderr)")
        #expect(changes.stdout == Mesh.s1ToS2Plan)

        let back = try history.plan("--base", "s2", "--head", "s1", "--under", "mesh")
        #expect(back.status == 0)
        #expect(back.stdout == """
            proxy ingressgateway:
              - cluster outbound|80||http-echo-bar.default.svc.cluster.local
              - endpoints outbound|80||http-echo-bar.default.svc.cluster.local
              ~ route http.80
                  - * /bar* on *:80

            Plan: 0 to create, 1 to update, 2 to delete (1 proxy changed).

            """)
        let same = try history.plan("--detailed-exitcode", "--base", "s2", "--head", "main~1")
        #expect(same.status == 0 && same.stdout == "No changes.\n", "\(same.stderr)")

        let json = try history.plan("--format", "json", "--detailed-exitcode", "--base", "s1", "--head", "s2")
        #expect(json.status == 2 && json.stdout.hasPrefix("{\n  \"has_changes\": true,"), "\(json.stdout)")
    }

    @Test func theSecondRefReparsesOnlyChangedFiles() throws {
        let history = try History()
        defer { history.remove() }
        let changed = try history.git("diff", "--name-only", "s1", "s2").split(separator: "\n").count
        let total = try history.git("ls-tree", "-r", "--name-only", "s2").split(separator: "\n").count
        #expect(changed == 3 && total == 5)
        let run = try history.plan("--base", "s1", "--head", "s2")
        let sha = { (ref: String) in String(try history.git("rev-parse", ref).prefix(12)) }
        #expect(run.stderr.contains("meshc plan: base s1 (\(try sha("s1"))): 5 files, 5 parsed, 0 from the cache"), "\(run.stderr)")
        #expect(run.stderr.contains("meshc plan: head s2 (\(try sha("s2"))): 5 files, \(changed) parsed, \(total - changed) from the cache"), "\(run.stderr)")
    }

    @Test func aRefWithLintErrorsGivesNoPlan() throws {
        let history = try History()
        defer { history.remove() }
        let run = try history.plan("--base", "s2", "--head", "bad")
        #expect(run.status == 1)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains("mesh/broken.yaml:8:"), "\(run.stderr)")
        #expect(run.stderr.contains("error IST0101"), "\(run.stderr)")
        #expect(run.stderr.contains("meshc plan: no plan: the manifests at head bad ("), "\(run.stderr)")
    }

    /// A pull request that fixes its base: the base does not build, the head
    /// is still planned (every proxy created) with a note naming the base's error.
    @Test func aBrokenBaseStillPlansTheHead() throws {
        let history = try History()
        defer { history.remove() }
        let run = try history.plan("--detailed-exitcode", "--base", "bad", "--head", "s2")
        #expect(run.status == 2, "\(run.stderr)")
        let sha = String(try history.git("rev-parse", "bad").prefix(12))
        let note = "note: the base bad (\(sha)) does not build (1 error), so every proxy of the head is shown as created; its error:"
        #expect(run.stdout.hasPrefix(note + "\n  mesh/broken.yaml:8:"), "\(run.stdout)")
        #expect(run.stdout.contains("error IST0101 ReferencedResourceNotFound"), "\(run.stdout)")
        #expect(run.stdout.contains("proxy ingressgateway (new):\n"), "\(run.stdout)")
        #expect(run.stdout.hasSuffix("Plan: 6 to create, 0 to update, 0 to delete (1 proxy changed).\n"), "\(run.stdout)")
        #expect(run.stderr.contains("meshc plan: " + note), "\(run.stderr)")

        let json = try JSON.parse(try history.plan("--format", "json", "--base", "bad", "--head", "s2").stdout)
        let notes = json["notes"]?.items ?? []
        #expect(notes.count == 1 && notes.first?["details"]?.items.first?.text?.hasPrefix("mesh/broken.yaml:8:") == true, "\(json.rendered())")
        #expect(json["summary"]?["delete"] == .int(0) && json["summary"]?["update"] == .int(0))

        let markdown = try history.plan("--format", "markdown", "--base", "bad", "--head", "s2")
        #expect(markdown.stdout.contains("> **Note:** the base bad (\(sha)) does not build"), "\(markdown.stdout)")

        // The head's errors still give no plan.
        #expect(try history.plan("--base", "s2", "--head", "bad").status == 1)
    }

    @Test func unknownRefsAndFoldersAreClearErrors() throws {
        let history = try History()
        defer { history.remove() }
        let ref = try history.plan("--base", "no-such-branch", "--head", "s2")
        #expect(ref.status == 1 && ref.stdout.isEmpty)
        #expect(ref.stderr.contains("no commit named `no-such-branch`; give a branch, tag"), "\(ref.stderr)")
        let folder = try history.plan("--base", "s1", "--head", "s2", "--under", "nowhere")
        #expect(folder.status == 1 && folder.stderr.contains("no folder `nowhere`"), "\(folder.stderr)")
        let notARepo = try history.plan("--repo", history.base.path, "--base", "s1", "--head", "s2")
        #expect(notARepo.status == 1 && notARepo.stderr.contains("cannot open a git repository here"), "\(notARepo.stderr)")
    }

    @Test func otherSourcesOfRefsAndHeads() throws {
        let history = try History()
        defer { history.remove() }
        // A remote URL is mirrored into the cache folder and fetched first.
        let remote = try history.plan("--repo", history.root.absoluteString, "--base", "s1", "--head", "s2")
        #expect(remote.status == 0 && remote.stdout == Mesh.s1ToS2Plan, "\(remote.stderr)")
        // A ref against manifests on disk (the worktree checked out at s2): the same plan.
        try history.git("checkout", "-q", "s2")
        let disk = try history.plan("--base", "s1", history.root.appendingPathComponent("mesh").path, "--detailed-exitcode")
        #expect(disk.status == 2 && disk.stdout == Mesh.s1ToS2Plan, "\(disk.stderr)")
        // From the package root, naming the repository.
        let named = try Tools.meshc(["plan", "--repo", history.root.path, "--base", "s1", "--head", "s1"])
        #expect(named.status == 0 && named.stdout == "No changes.\n", "\(named.stderr)")
    }

    /// Where a route comes from is in the IR (`meshc explain`), not in Envoy's
    /// configuration: lines moved above a VirtualService change no proxy, and the
    /// plan says so; an edited route is still a change.
    @Test func movingAVirtualServicesLinesPlansNoChange() throws {
        let history = try History()
        defer { history.remove() }
        try history.git("checkout", "-q", "s2")
        let file = history.root.appendingPathComponent("mesh/virtualservice.yaml")
        let text = try String(contentsOf: file, encoding: .utf8)
        try history.fixture.write("mesh/virtualservice.yaml", "# moved down by a comment\n\n\n" + text)
        try history.git("commit", "-qam", "moved")
        let moved = try history.plan("--base", "s2", "--head", "HEAD", "--detailed-exitcode")
        #expect(moved.status == 0 && moved.stdout == "No changes.\n", "\(moved.stdout)\n\(moved.stderr)")
        try history.fixture.write("mesh/virtualservice.yaml", text.replacingOccurrences(of: "prefix: /bar", with: "prefix: /baz"))
        try history.git("commit", "-qam", "edited")
        let edited = try history.plan("--base", "s2", "--head", "HEAD", "--detailed-exitcode")
        #expect(edited.status == 2 && edited.stdout.contains("/baz"), "\(edited.stdout)\n\(edited.stderr)")
    }

    @Test(arguments: [
        (["--base", "s1", "--head-dir", "build"], "not with built folders"),
        (["--base", "s1", "--base-dir", "build"], "give one base"),
        (["--head", "s1", "mesh"], "give one head"),
        (["--repo", ".", "--base-dir", "a", "--head-dir", "b"], "--repo and --under say where"),
    ])
    func usageErrorsExitOne(arguments: [String], message: String) throws {
        let run = try Tools.meshc(["plan"] + arguments)
        #expect(run.status == 1 && run.stderr.contains(message), "\(run.stderr)")
    }
}
