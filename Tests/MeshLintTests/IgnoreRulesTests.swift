import MeshLint
import Testing

/// `.meshcignore` and `--exclude`: gitignore syntax on paths from the repository root.
@Suite struct IgnoreRulesTests {
    /// `# rules` in, then `path → ignored?` lines (a trailing `/` marks a folder).
    @Test(arguments: [
        ("*.json", ["package.json": true, "a/b/package.json": true, "mesh/vs.yaml": false]),
        ("/package.json", ["package.json": true, "sub/package.json": false]),
        ("charts/", ["charts/": true, "charts/web/values.yaml": true, "charts": false, "mesh/charts/x.yaml": true]),
        ("charts/**\n!charts/keep.yaml", ["charts/a.yaml": true, "charts/keep.yaml": false, "charts/deep/x.yaml": true]),
        ("charts/\n!charts/keep.yaml", ["charts/keep.yaml": true]),  // git cannot re-include below an excluded folder
        ("**/values.yaml", ["values.yaml": true, "a/b/values.yaml": true, "a/values.yml": false]),
        ("a/**/b.yaml", ["a/b.yaml": true, "a/x/y/b.yaml": true, "c/a/b.yaml": false]),
        ("# comment\n\n  \n\\#hash.yaml", ["#hash.yaml": true, "# comment": false]),
        ("ci-*.y?ml\n[Tt]mp/", ["ci-build.yaml": true, "ci-build.yml": false, "tmp/x.yaml": true, "Tmp/x.yaml": true, "temp/x.yaml": false]),
        ("*.yaml\n!mesh/*.yaml", ["mesh/vs.yaml": false, "other/vs.yaml": true]),
    ])
    func gitignoreSyntax(rules: String, expected: [String: Bool]) {
        let ignore = IgnoreRules(text: rules)
        for (path, ignored) in expected {
            let isFolder = path.hasSuffix("/")
            #expect(ignore.ignores(isFolder ? String(path.dropLast()) : path, isFolder: isFolder) == ignored, "\(rules) on \(path)")
        }
    }

    @Test func excludesWinOverTheFile() {
        let rules = IgnoreRules(text: "*.yaml\n").adding(IgnoreRules(patterns: ["!keep.yaml"]))
        #expect(!rules.ignores("keep.yaml") && rules.ignores("drop.yaml"))
        #expect(!IgnoreRules.none.ignores("anything.yaml"))
    }

    @Test func filterTakesPathsRelativeToTheRoot() {
        let filter = ManifestFilter(root: "/repo", rules: IgnoreRules(text: "/charts/\n"))
        #expect(filter.excludes("/repo/charts/values.yaml"))
        #expect(filter.relative("/repo/mesh/../charts/x.yaml") == "charts/x.yaml")
        #expect(!filter.excludes("/elsewhere/charts/values.yaml"))
    }
}
