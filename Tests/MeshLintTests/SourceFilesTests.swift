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
}
