import Foundation
import MeshLint
import MeshSource
import MeshTestSupport
import Testing

/// The parse cache: a new commit re-parses only the blobs that changed,
/// and a cached run reports exactly what a fresh one does.
@Suite struct ParseCacheTests {
    /// Three services; the second commit changes one of them (to a finding).
    static func twoCommits() throws -> (fixture: GitFixture, repo: GitRepository, first: String, second: String) {
        let fixture = try GitFixture()
        for name in ["web", "api", "db"] { try fixture.write("mesh/\(name).yaml", Manifest.service(name)) }
        let first = try fixture.commit("Three services")
        try fixture.write("mesh/api.yaml", Manifest.service("api", portName: "web"))
        let second = try fixture.commit("Rename a port")
        return (fixture, try GitRepository(path: fixture.root), first, second)
    }

    @Test func aSecondCommitReparsesOnlyTheChangedFile() throws {
        let (fixture, repo, first, second) = try Self.twoCommits()
        defer { fixture.remove() }
        let cache = ParseCache()
        let before = try cache.lint(repo.snapshot(at: repo.resolve(first)))
        #expect(cache.statistics.misses == 3 && cache.statistics.hits == 0)
        #expect(before.diagnostics.isEmpty, "\(before.text())")

        let after = try cache.lint(repo.snapshot(at: repo.resolve(second)))
        #expect(cache.statistics.misses == 4, "exactly one more file parsed")
        #expect(cache.statistics.hits == 2)
        #expect(after.diagnostics.map(\.file) == ["mesh/api.yaml"], "\(after.text())")

        // Cached or not, the same report.
        let fresh = try ParseCache().lint(repo.snapshot(at: repo.resolve(second)))
        #expect(after.text() == fresh.text())
        #expect(after.json() == fresh.json())
    }

    @Test func theSameFileInAnotherFolderIsNotTakenFromTheCache() throws {
        let fixture = try GitFixture()
        defer { fixture.remove() }
        try fixture.write("a/web.yaml", Manifest.service("web"))
        try fixture.write("b/web.yaml", Manifest.service("web"))
        let commit = try fixture.commit("Same bytes, two paths")
        let repo = try GitRepository(path: fixture.root)
        let snapshot = try repo.snapshot(at: repo.resolve(commit))
        #expect(snapshot.files[0].id == snapshot.files[1].id)
        let cache = ParseCache()
        let report = try cache.lint(snapshot)
        #expect(cache.statistics.misses == 2)
        // Each result names its own file: the duplicate is found across the two.
        #expect(report.diagnostics.map(\.file) == ["b/web.yaml"], "\(report.text())")
        #expect(report.diagnostics.first?.message.contains("already declared at a/web.yaml:4") == true)
    }

    @Test func entriesNoRecentSnapshotUsedAreDropped() throws {
        let (fixture, repo, first, second) = try Self.twoCommits()
        defer { fixture.remove() }
        let cache = ParseCache(keepSnapshots: 1)
        _ = try cache.lint(repo.snapshot(at: repo.resolve(first)))
        #expect(cache.statistics.entries == 3)
        _ = try cache.lint(repo.snapshot(at: repo.resolve(second)))
        #expect(cache.statistics.entries == 3, "the old api.yaml result is gone")
        _ = try cache.lint(repo.snapshot(at: repo.resolve(first)))
        #expect(cache.statistics.misses == 5, "old api.yaml parsed again")

        let keepingTwo = ParseCache(keepSnapshots: 2)
        for commit in [first, second, first] { _ = try keepingTwo.lint(repo.snapshot(at: repo.resolve(commit))) }
        #expect(keepingTwo.statistics == .init(hits: 5, misses: 4, entries: 4))
    }

    /// Commits over the same paths take the last run's results and look up the edited files only:
    /// files no commit touched stay hits however many runs pass, edited ones' old blobs still go.
    @Test func untouchedFilesStayCachedAcrossManyEditingCommits() throws {
        let (fixture, repo, first, second) = try Self.twoCommits()
        defer { fixture.remove() }
        let cache = ParseCache(keepSnapshots: 1)
        var reports: [LintReport] = []
        for commit in [first, second, second, second, first] { reports.append(try cache.lint(repo.snapshot(at: repo.resolve(commit)))) }
        #expect(cache.statistics == .init(hits: 10, misses: 5, entries: 3), "only api.yaml parsed again, for each of its blobs")
        let fresh = try ParseCache().lint(repo.snapshot(at: repo.resolve(first)))
        #expect(reports.last?.text() == fresh.text())
        #expect(reports[3].diagnostics.map(\.file) == ["mesh/api.yaml"])
    }

    @Test func resourcesComeBackWhenAsked() throws {
        let (fixture, repo, first, _) = try Self.twoCommits()
        defer { fixture.remove() }
        var options = LintOptions()
        options.keepResources = true
        let report = try ParseCache(options: options).lint(repo.snapshot(at: repo.resolve(first)))
        #expect(report.resources.map(\.name) == ["api", "db", "web"])
        #expect(report.resourceCount == 3)
        let without = try ParseCache().lint(repo.snapshot(at: repo.resolve(first)))
        #expect(without.resources.isEmpty && without.resourceCount == 3)
    }

    @Test func lintingFromManyThreadsIsSafe() async throws {
        let (fixture, repo, first, second) = try Self.twoCommits()
        defer { fixture.remove() }
        let snapshots = [try repo.snapshot(at: repo.resolve(first)), try repo.snapshot(at: repo.resolve(second))]
        let cache = ParseCache(keepSnapshots: 8)
        let texts = try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for round in 0..<8 {
                group.addTask { (round % 2, try cache.lint(snapshots[round % 2]).text()) }
            }
            return try await group.reduce(into: [Int: Set<String>]()) { $0[$1.0, default: []].insert($1.1) }
        }
        #expect(texts[0]?.count == 1 && texts[1]?.count == 1)
        #expect(texts[0] != texts[1])
        #expect(cache.statistics.hits + cache.statistics.misses == 24)
    }
}
