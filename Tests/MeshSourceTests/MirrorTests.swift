import Foundation
import MeshSource
import MeshTestSupport
import Testing

/// Remote repositories: a bare repository served through `file://`,
/// mirrored into a cache folder and fetched with libgit2.
@Suite struct MirrorTests {
    /// A repository with a commit on main and a tag, pushed to a bare clone.
    static func upstream() throws -> (fixture: GitFixture, url: String) {
        let fixture = try GitFixture()
        try fixture.write("mesh/web.yaml", Manifest.service("web"))
        try fixture.commit("First")
        try fixture.git("tag", "v1")
        let bare = try fixture.folder("upstream.git")
        try fixture.git("clone", "-q", "--bare", fixture.root, bare, in: bare + "/..")
        return (fixture, "file://" + bare)
    }

    @Test func fetchesBranchesTagsAndHead() throws {
        let (fixture, url) = try Self.upstream()
        defer { fixture.remove() }
        let repo = try GitRepository.open(url, cacheFolder: fixture.folder("cache"))
        #expect(repo.remoteURL == url)
        try repo.fetch()
        let main = try fixture.git("rev-parse", "main")
        #expect(try repo.resolve("main").hex == main)
        #expect(try repo.resolve("origin/main").hex == main)
        #expect(try repo.resolve("HEAD").hex == main)
        #expect(try repo.resolve("v1").hex == main)
        #expect(try repo.files(at: repo.resolve("main")).map(\.path) == ["mesh/web.yaml"])
    }

    @Test func fetchBringsNewCommitsAndTheMirrorIsReused() throws {
        let (fixture, url) = try Self.upstream()
        defer { fixture.remove() }
        let cache = try fixture.folder("cache")
        let first = try GitRepository.open(url, cacheFolder: cache)
        try first.fetch()
        let old = try first.resolve("main")

        try fixture.write("mesh/api.yaml", Manifest.service("api"))
        let new = try fixture.commit("Second")
        try fixture.git("push", "-q", String(url.dropFirst("file://".count)), "main")
        #expect(try first.resolve("main") == old)
        try first.fetch()
        #expect(try first.resolve("main").hex == new)

        // Opening again finds the same mirror, already fetched.
        let again = try GitRepository.open(url, cacheFolder: cache)
        #expect(again.path == first.path)
        #expect(try again.resolve("main").hex == new)
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache).count == 1)
    }

    @Test func anUnfetchedMirrorSaysToFetch() throws {
        let (fixture, url) = try Self.upstream()
        defer { fixture.remove() }
        let repo = try GitRepository.open(url, cacheFolder: fixture.folder("cache"))
        let error = try #require(throws: SourceError.self) { try repo.resolve("main") }
        #expect(error.description.contains(url))
        #expect(error.description.contains("fetch first"))
    }

    @Test func aBrokenRemoteNamesTheURLAndWhatToCheck() throws {
        let fixture = try GitFixture()
        defer { fixture.remove() }
        let url = "file://" + fixture.root + "/no-such-repository.git"
        let repo = try GitRepository.open(url, cacheFolder: fixture.folder("cache"))
        let error = try #require(throws: SourceError.self) { try repo.fetch() }
        guard case .fetchFailed(let named, _) = error else {
            Issue.record("expected fetchFailed, got \(error)")
            return
        }
        #expect(named == url)
        #expect(error.description.hasPrefix("cannot fetch \(url): "))
        #expect(error.description.contains("check the URL"))
    }

    @Test func aBareRepositoryOpensAsALocalPathToo() throws {
        let (fixture, url) = try Self.upstream()
        defer { fixture.remove() }
        let repo = try GitRepository.open(String(url.dropFirst("file://".count)))
        #expect(repo.remoteURL == nil)
        try repo.fetch()  // nothing to do for a local repository
        #expect(try repo.resolve("main").hex == fixture.git("rev-parse", "main"))
    }

    @Test func aCommitMissingFromAShallowCloneSaysSo() throws {
        let (fixture, url) = try Self.upstream()
        defer { fixture.remove() }
        let first = try fixture.git("rev-parse", "main")
        try fixture.write("mesh/api.yaml", Manifest.service("api"))
        try fixture.commit("Second")
        try fixture.git("push", "-q", String(url.dropFirst("file://".count)), "main")
        let shallow = try fixture.folder("shallow")
        try fixture.git("clone", "-q", "--depth", "1", url, shallow, in: shallow + "/..")

        let repo = try GitRepository(path: shallow)
        #expect(try repo.resolve("HEAD").hex == fixture.git("rev-parse", "main"))
        let error = try #require(throws: SourceError.self) { try repo.resolve(first) }
        #expect(error.description.contains("no commit named `\(first)`"))
        #expect(error.description.contains("shallow clone"))
    }

    @Test func anUnreachableSSHRemoteNamesTheURL() throws {
        let fixture = try GitFixture()
        defer { fixture.remove() }
        let url = "ssh://git@127.0.0.1:1/mesh.git"
        let repo = try GitRepository.open(url, cacheFolder: fixture.folder("cache"))
        let error = try #require(throws: SourceError.self) { try repo.fetch() }
        #expect(error.description.hasPrefix("cannot fetch \(url): "), "\(error)")
    }

    /// Credentials belong in --git-token-file: a URL carrying them is refused, and never printed.
    @Test func aURLWithAPasswordIsRefusedWithoutShowingIt() throws {
        let fixture = try GitFixture()
        defer { fixture.remove() }
        let error = try #require(throws: SourceError.self) {
            try GitRepository.open("https://user:secret@127.0.0.1:1/mesh.git", cacheFolder: fixture.folder("cache"))
        }
        guard case .credentialsInURL = error else { Issue.record("not refused for its credentials: \(error)"); return }
        #expect(!error.description.contains("secret") && !error.description.contains("user:"), "\(error)")
        #expect(error.description.contains("--git-token-file"), "\(error)")
    }
}
