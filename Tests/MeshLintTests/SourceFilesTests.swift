import Foundation
import MeshLint
import Testing

/// Which files a folder on the command line stands for, and in what order.
@Suite struct SourceFilesTests {
    @Test(arguments: [
        ("a.yaml", true), ("b.YML", true), ("c.Json", true), ("d.yml", true), ("archive.yaml.bak", false),
        ("notes.txt", false), ("yaml", false), ("x.", false), ("x.yamll", false), ("x.JSONX", false), (".yaml", true),
    ])
    func manifestNames(name: String, isManifest: Bool) {
        #expect(SourceFiles.isManifest(name) == isManifest, "\(name)")
    }

    /// Manifests at every depth, sorted; hidden entries and other files left out.
    @Test func aFolderStandsForItsManifests() throws {
        let scratch = try Scratch()
        for name in ["b.YML", "a.yaml", "c.Json", "notes.txt", ".hidden/x.yaml", ".dot.yaml", "sub/e.yaml", "sub/deeper/f.yml"] {
            try scratch.write("mesh/" + name, "")
        }
        let folder = scratch.path + "/mesh"
        let expected = ["a.yaml", "b.YML", "c.Json", "sub/deeper/f.yml", "sub/e.yaml"].map { folder + "/" + $0 }
        #expect(try SourceFiles.expand([folder]) == expected)
        #expect(try SourceFiles.expand([folder + "/"]) == expected)
        // A folder and a file in it, or the folder twice by two spellings: each file once.
        #expect(try SourceFiles.expand([folder, folder + "/a.yaml"]) == expected)
        #expect(try SourceFiles.expand([folder, folder + "/sub/../sub"]) == expected)
        // Excluded by the filter, even when named alone.
        #expect(try SourceFiles.expand([folder], filter: ManifestFilter(root: folder, rules: IgnoreRules(patterns: ["sub/"]))).count == 3)
    }

    /// Enough folders that subtrees are walked on several cores: the same
    /// sorted list, including names that sort differently as paths than as
    /// folder names (`team-1/` after `team-1-x/`, `-` sorting before `/`).
    @Test func aWideFolderIsWalkedWholeAndSorted() throws {
        let scratch = try Scratch()
        var expected: [String] = []
        for team in (0..<20).map({ "team-\($0)" }) + ["team-1-x", "team-1.5"] {
            for name in ["svc.yaml", "deeper/dr.yml", "deeper/deepest/vs.json", "notes.txt", ".hidden/x.yaml"] {
                try scratch.write("mesh/\(team)/\(name)", "")
                if !name.hasSuffix(".txt"), !name.hasPrefix(".") { expected.append(scratch.path + "/mesh/\(team)/\(name)") }
            }
        }
        try scratch.write("mesh/top.yaml", "")
        expected.append(scratch.path + "/mesh/top.yaml")
        #expect(try SourceFiles.expand([scratch.path + "/mesh"]) == expected.sorted())
        let ignored = ManifestFilter(root: scratch.path + "/mesh", rules: IgnoreRules(patterns: ["deeper/"]))
        #expect(try SourceFiles.expand([scratch.path + "/mesh"], filter: ignored).count == 23)
    }

    /// A link to a file is read; a link to a folder is not walked, so links
    /// that loop (a hostile commit's) cannot keep the walk going.
    @Test func linksToFoldersAreNotWalked() throws {
        let scratch = try Scratch()
        let folder = scratch.path + "/mesh"
        try scratch.write("mesh/a/svc.yaml", "")
        try scratch.write("outside/linked.yaml", "")
        #expect(symlink(scratch.path + "/outside/linked.yaml", folder + "/a/linked.yaml") == 0)
        #expect(symlink(folder, folder + "/a/loop") == 0)
        #expect(symlink(folder + "/a", folder + "/a/again") == 0)
        #expect(symlink(scratch.path + "/outside", folder + "/out") == 0)
        #expect(try SourceFiles.expand([folder]) == [folder + "/a/linked.yaml", folder + "/a/svc.yaml"])
    }

    /// Files read on every core: a file that cannot be read stops the run,
    /// and the one named is the first such in input order, whichever thread
    /// met it first; the rest come back in input order.
    @Test func theFirstUnreadableFileInOrderIsTheOneNamed() throws {
        let scratch = try Scratch()
        let files = try (0..<64).map { try scratch.write("mesh/f\($0).yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: n\($0)\n") }
        var targets = files.map(LintSource.file)
        targets.insert(.file(scratch.path + "/missing-b.yaml"), at: 40)
        targets.insert(.file(scratch.path + "/missing-a.yaml"), at: 50)
        #expect(throws: (any Error).self) { try Linter.run(targets: targets) }
        do {
            _ = try Linter.run(targets: targets)
        } catch {
            #expect("\(error)".contains("missing-b.yaml"), "\(error)")
        }
        var options = LintOptions()
        options.keepResources = true
        let report = try Linter.run(targets: files.map(LintSource.file), options: options)
        #expect(report.resources.map(\.name) == (0..<64).map { "n\($0)" })
    }
}
