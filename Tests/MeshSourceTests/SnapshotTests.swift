import Foundation
import MeshDiagnostics
import MeshLint
import MeshSource
import MeshTestSupport
import Testing

/// Snapshots of a commit and of a folder on disk: same names, same ids, and
/// linting either gives what `meshc lint` gives on the files.
@Suite struct SnapshotTests {
    /// The S5 lint-errors sample (it has findings) and S1, committed under `mesh/`.
    static func samples() throws -> (fixture: GitFixture, commit: String) {
        let fixture = try GitFixture()
        try fixture.copyFromPackage("samples/s5-lint-errors", to: "mesh/s5")
        try fixture.copyFromPackage("samples/s1-ingress", to: "mesh/s1")
        try fixture.write("README.md", "not linted\n")
        return (fixture, try fixture.commit("Samples"))
    }

    @Test func directoryIdsAreGitBlobHashes() throws {
        let (fixture, _) = try Self.samples()
        defer { fixture.remove() }
        try fixture.write("mesh/s5/extra.yaml", Manifest.service("extra"))  // not committed
        let snapshot = try SourceSnapshot.directory(fixture.root)
        #expect(snapshot.files.count >= 5)
        for file in snapshot.files {
            #expect(file.id.hex == (try fixture.git("hash-object", "--no-filters", file.path)), "\(file.path)")
            #expect(file.size == (try file.bytes()).count)
        }
    }

    @Test(arguments: [nil, "mesh", "mesh/s5"])
    func aCleanCheckoutAndItsCommitGiveEqualSnapshots(_ folder: String?) throws {
        let (fixture, commit) = try Self.samples()
        defer { fixture.remove() }
        let repo = try GitRepository(path: fixture.root)
        let fromGit = try repo.snapshot(at: repo.resolve(commit), under: folder)
        let fromDisk = try SourceSnapshot.directory(fixture.root, under: folder)
        #expect(!fromGit.files.isEmpty)
        #expect(fromGit.files.map(\.path) == fromDisk.files.map(\.path))
        #expect(fromGit.files.map(\.id) == fromDisk.files.map(\.id))
        #expect(fromGit.files.map(\.size) == fromDisk.files.map(\.size))
        guard case .commit(let metadata) = fromGit.origin else {
            Issue.record("a commit snapshot's origin is its commit")
            return
        }
        #expect(metadata.id.hex == commit)
        #expect(metadata.summary == "Samples")
    }

    @Test func aMissingFolderOnDiskIsAClearError() throws {
        let fixture = try GitFixture()
        defer { fixture.remove() }
        let error = try #require(throws: SourceError.self) { try SourceSnapshot.directory(fixture.root, under: "nowhere") }
        #expect(error.description == "\(fixture.root): no folder `nowhere`; give a folder that exists there (relative to the repository root)")
    }

    @Test func lintingACommitMatchesLintingTheFilesOnDisk() throws {
        let (fixture, commit) = try Self.samples()
        defer { fixture.remove() }
        let repo = try GitRepository(path: fixture.root)
        let fromGit = try ParseCache().lint(repo.snapshot(at: repo.resolve(commit), under: "mesh"))
        #expect(!fromGit.diagnostics.isEmpty, "the S5 sample has findings")

        let files = try SourceFiles.expand([fixture.root + "/mesh"])
        let onDisk = try Linter.run(targets: files.map(LintSource.file))
        let prefix = fixture.root + "/"
        #expect(fromGit.text() == onDisk.text().replacingOccurrences(of: prefix, with: ""))
        #expect(fromGit.fileCount == onDisk.fileCount)
        #expect(fromGit.resourceCount == onDisk.resourceCount)

        // A folder snapshot through the same kind of cache: byte-identical.
        let fromFolder = try ParseCache().lint(SourceSnapshot.directory(fixture.root, under: "mesh"))
        #expect(fromFolder.text() == fromGit.text())
    }

    @Test func anOversizedBlobIsReportedWithoutBeingRead() throws {
        let fixture = try GitFixture()
        defer { fixture.remove() }
        try fixture.write("big.yaml", Manifest.service("big"))
        let commit = try fixture.commit("Big")
        let repo = try GitRepository(path: fixture.root)
        var options = LintOptions()
        options.limits.maxFileBytes = 16
        let report = try ParseCache(options: options).lint(repo.snapshot(at: repo.resolve(commit)))
        #expect(report.diagnostics.map(\.code) == [Codes.inputLimitExceeded])
        #expect(report.diagnostics.first?.file == "big.yaml")
    }
}
