import Foundation
import MeshSource
import MeshTestSupport
import Testing

/// A local repository made with the git CLI: refs, commits, trees and blobs
/// read through libgit2 agree with what git itself says.
@Suite struct GitRepositoryTests {
    /// main: two commits (tagged v1 light, v2 annotated); feature: one more.
    static func history() throws -> GitFixture {
        let fixture = try GitFixture()
        try fixture.write("mesh/web.yaml", Manifest.service("web"))
        try fixture.write("README.md", "# not a manifest\n")
        try fixture.commit("First commit")
        try fixture.git("tag", "v1")
        try fixture.write("mesh/api.yml", Manifest.service("api"))
        try fixture.commit("Add api\n\nWith a body that is not the summary.")
        try fixture.git("tag", "-a", "v2", "-m", "release 2")
        try fixture.git("checkout", "-q", "-b", "feature")
        try fixture.write("mesh/db.json", #"{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "db"}}"#)
        try fixture.commit("Add db")
        try fixture.git("checkout", "-q", "main")
        return fixture
    }

    @Test(arguments: ["main", "feature", "v1", "v2", "HEAD", "main~1", "refs/heads/feature", "refs/tags/v2"])
    func resolvesRefsAsGitDoes(_ ref: String) throws {
        let fixture = try Self.history()
        defer { fixture.remove() }
        let repo = try GitRepository(path: fixture.root)
        #expect(try repo.resolve(ref).hex == fixture.git("rev-parse", "\(ref)^{commit}"))
    }

    @Test func resolvesFullAndShortShas() throws {
        let fixture = try Self.history()
        defer { fixture.remove() }
        let repo = try GitRepository(path: fixture.root)
        let sha = try fixture.git("rev-parse", "feature")
        #expect(try repo.resolve(sha).hex == sha)
        #expect(try repo.resolve(String(sha.prefix(8))).hex == sha)
    }

    @Test func opensFromAFolderInsideTheWorktree() throws {
        let fixture = try Self.history()
        defer { fixture.remove() }
        let repo = try GitRepository(path: fixture.root + "/mesh")
        #expect(try repo.resolve("main").hex == fixture.git("rev-parse", "main"))
    }

    @Test func readsCommitMetadata() throws {
        let fixture = try Self.history()
        defer { fixture.remove() }
        let repo = try GitRepository(path: fixture.root)
        let commit = try repo.commit(repo.resolve("main"))
        #expect(commit.summary == "Add api")
        #expect(commit.author == "Mesh Tester")
        #expect(Int(commit.time.timeIntervalSince1970) == Int(try fixture.git("log", "-1", "--format=%ct", "main")))
    }

    @Test func listsManifestFilesAtTwoCommits() throws {
        let fixture = try Self.history()
        defer { fixture.remove() }
        try fixture.write(".github/workflows/ci.yaml", "on: push\n")
        try fixture.write("mesh/notes.txt", "not a manifest\n")
        try fixture.write("mesh/Upper.YAML", Manifest.service("upper"))
        let third = try fixture.commit("Hidden folder, other extensions")
        let repo = try GitRepository(path: fixture.root)

        let first = try repo.files(at: repo.resolve("v1"))
        #expect(first.map(\.path) == ["mesh/web.yaml"])
        let latest = try repo.files(at: repo.resolve(third))
        #expect(latest.map(\.path) == ["mesh/Upper.YAML", "mesh/api.yml", "mesh/web.yaml"])
        for file in latest {
            #expect(file.id.hex == (try fixture.git("rev-parse", "\(third):\(file.path)")))
        }
    }

    @Test(arguments: ["mesh", "mesh/", "./mesh", "/mesh/"])
    func listsFilesUnderAFolder(_ folder: String) throws {
        let fixture = try Self.history()
        defer { fixture.remove() }
        try fixture.write("other/x.yaml", Manifest.service("x"))
        let head = try fixture.commit("Another folder")
        let repo = try GitRepository(path: fixture.root)
        #expect(try repo.files(at: repo.resolve(head), under: folder).map(\.path) == ["mesh/api.yml", "mesh/web.yaml"])
    }

    @Test func readsBlobs() throws {
        let fixture = try Self.history()
        defer { fixture.remove() }
        let repo = try GitRepository(path: fixture.root)
        let files = try repo.files(at: repo.resolve("feature"))
        let db = try #require(files.first { $0.path == "mesh/db.json" })
        let bytes = try repo.blob(db.id)
        #expect(String(decoding: bytes, as: UTF8.self) == #"{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "db"}}"#)
        #expect(try repo.blobSize(db.id) == bytes.count)
    }

    @Test func unknownRefSaysWhichRefAndWhatToGive() throws {
        let fixture = try Self.history()
        defer { fixture.remove() }
        let repo = try GitRepository(path: fixture.root)
        let error = try #require(throws: SourceError.self) { try repo.resolve("no-such-branch") }
        #expect(error == .unknownRef(ref: "no-such-branch", repository: fixture.root, note: nil))
        #expect(error.description.contains("no commit named `no-such-branch`"))
        #expect(error.description.contains("give a branch, tag"))
    }

    @Test func missingFolderNamesTheFolderAndCommit() throws {
        let fixture = try Self.history()
        defer { fixture.remove() }
        let repo = try GitRepository(path: fixture.root)
        let main = try repo.resolve("main")
        let error = try #require(throws: SourceError.self) { try repo.files(at: main, under: "nowhere") }
        #expect(error.description.contains("no folder `nowhere`"))
        #expect(error.description.contains(main.short))
        // A file is not a folder either.
        #expect(throws: SourceError.self) { try repo.files(at: main, under: "README.md") }
    }

    @Test func aFolderOutsideAnyRepositoryIsAClearError() throws {
        let fixture = try GitFixture()
        defer { fixture.remove() }
        let plain = try fixture.folder("plain")
        let error = try #require(throws: SourceError.self) { try GitRepository(path: plain) }
        #expect(error.description.hasPrefix("\(plain): cannot open a git repository here"))
        #expect(error.description.contains("give the folder of a clone"))
    }

    @Test(arguments: [
        ("https://example.com/mesh.git", true), ("ssh://git@example.com/mesh.git", true),
        ("file:///srv/mesh.git", true), ("git@github.com:org/mesh.git", true),
        ("/srv/mesh", false), ("mesh", false), ("./a:b", false), ("C:/x", false),
    ])
    func tellsRemoteURLsFromPaths(_ location: String, _ remote: Bool) {
        #expect(GitRepository.isRemote(location) == remote)
    }
}
