import MeshDiagnostics
import Testing
@testable import MeshYAML

@Suite struct YAMLParserTests {
    @Test func nodesKeepLineAndColumn() throws {
        let file = YAMLParser.parse("""
        kind: Service
        metadata:
          name: web
        spec:
          ports:
          - name: http
            port: 80
        """, path: "a.yaml")
        #expect(file.diagnostics.isEmpty)
        let root = try #require(file.documents.first?.root)
        #expect(root["kind"]?.mark == Mark(line: 1, column: 7))
        #expect(root["metadata"]?["name"]?.mark == Mark(line: 3, column: 9))
        let port = try #require(root["spec"]?["ports"]?.items?.first)
        #expect(port.mark == Mark(line: 6, column: 5))
        #expect(port["port"]?.scalar == "80")
        #expect(port["port"]?.mark == Mark(line: 7, column: 11))
    }

    /// The decoder's view without reference counting reads what the holding node reads.
    @Test func anUnretainedNodeReadsWhatItsNodeReads() throws {
        let file = YAMLParser.parse("kind: Service\nspec:\n  ports: [{name: http, port: 80}]\n  empty: ~\n  quoted: \"80\"\n",
                                    path: "a.yaml")
        let root = try #require(file.documents.first?.root)
        let view = root.unretained
        #expect(view.kind == .mapping && view.count == 2 && view.mark == root.mark)
        #expect(view.keySignature == root.keySignature)
        let spec = try #require(view["spec"])
        #expect(spec.node.index == root["spec"]?.index)
        #expect(spec.pairIndex(of: "empty" as StaticString) == 1 && spec.pairIndex(of: "empty") == 1)
        #expect(spec["absent"] == nil)
        #expect(spec.value(at: 1).isNull && !spec.value(at: 2).isNull)
        #expect(spec.value(at: 2).scalar == "80" && !spec.value(at: 2).isPlainScalar)
        let port = try #require(spec["ports"]?.item(at: 0))
        #expect(port.key(at: 1).scalar == "port" && port.value(at: 1).scalarEquals("80") && port.value(at: 1).isPlainScalar)
        #expect(port.value(at: 1).typeDescription == "a number" && spec.typeDescription == "a mapping")
        #expect(port.node.mark == Mark(line: 3, column: 11))
    }

    @Test func multipleDocumentsSkipEmptyOnes() {
        let file = YAMLParser.parse("a: 1\n---\n---\n# only a comment\n---\nb: 2\n", path: "m.yaml")
        #expect(file.diagnostics.isEmpty)
        #expect(file.documents.map(\.index) == [0, 3])
        #expect(file.documents.last?.root["b"]?.mark.line == 6)
    }

    @Test func jsonIsRead() {
        let file = YAMLParser.parse(#"{"kind":"Service","metadata":{"name":"web"},"spec":{"ports":[{"port":80}]}}"#, path: "s.json")
        #expect(file.diagnostics.isEmpty)
        #expect(file.documents.first?.root["metadata"]?["name"]?.scalar == "web")
    }

    @Test func quotedScalarsAreNotPlain() throws {
        let root = try #require(YAMLParser.parse("a: \"80\"\nb: 80\nc: !!str 80\n", path: "q.yaml").documents.first?.root)
        #expect(root["a"]?.kind == .scalar && root["b"]?.kind == .scalar && root["c"]?.kind == .scalar)
        #expect(root["a"]?.isPlainScalar == false)
        #expect(root["b"]?.isPlainScalar == true)
        #expect(root["c"]?.isPlainScalar == false)
    }

    @Test func duplicateKeysAreReportedAtTheSecond() {
        let file = YAMLParser.parse("metadata:\n  name: a\n  name: b\n", path: "d.yaml")
        #expect(file.diagnostics.map(\.code) == [Codes.duplicateKey])
        #expect(file.diagnostics.first?.mark == Mark(line: 3, column: 3))
        #expect(file.diagnostics.first?.message.contains("first at line 2") == true)
    }

    @Test func duplicateKeysInLargeMappings() {
        var text = ""
        for i in 0..<40 { text += "k\(i): \(i)\n" }
        text += "k7: again\n"
        let file = YAMLParser.parse(text, path: "big.yaml")
        #expect(file.diagnostics.map(\.mark.line) == [41])
    }

    @Test func mergeKeysApplyWithOwnKeysWinning() throws {
        let root = try #require(YAMLParser.parse("""
        base: &base {a: 1, b: 2}
        child:
          <<: *base
          b: 3
        """, path: "merge.yaml").documents.first?.root)
        #expect(root["child"]?["a"]?.scalar == "1")
        #expect(root["child"]?["b"]?.scalar == "3")
    }

    @Test func aliasesShareTheAnchoredNode() throws {
        let root = try #require(YAMLParser.parse("a: &x [1, 2]\nb: *x\n", path: "alias.yaml").documents.first?.root)
        #expect(root["b"]?.items?.count == 2)
        #expect(root["b"]?.mark.line == 1) // the anchored node itself
    }

    @Test func undefinedAliasIsAnError() {
        let file = YAMLParser.parse("a: *nope\n", path: "u.yaml")
        #expect(file.diagnostics.map(\.code) == [Codes.yamlSyntaxError])
    }

    @Test func syntaxErrorKeepsEarlierDocuments() {
        let file = YAMLParser.parse("a: 1\n---\nb: [unclosed\n", path: "s.yaml")
        #expect(file.documents.count == 1)
        #expect(file.diagnostics.map(\.code) == [Codes.yamlSyntaxError])
        #expect(file.diagnostics.first?.mark.line == 4)
    }

    @Test func tabsAreASyntaxError() {
        let file = YAMLParser.parse("a:\n\tb: 1\n", path: "t.yaml")
        #expect(file.diagnostics.map(\.code) == [Codes.yamlSyntaxError])
        #expect(file.diagnostics.first?.mark.line == 2)
    }

    @Test func invalidUTF8IsASyntaxErrorWithAPosition() {
        let bytes: [UInt8] = Array("a: 1\nb: ".utf8) + [0xFF, 0xFE, 0x41] + Array("\n".utf8)
        let file = YAMLParser.parse(bytes, path: "bad.yaml")
        #expect(file.diagnostics.map(\.code) == [Codes.yamlSyntaxError])
        #expect(file.diagnostics.first?.mark.line == 2)
    }

    @Test func aliasBombHitsTheExpansionLimit() {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 {
            let refs = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
            text += "a\(level): &a\(level) [\(refs)]\n"
        }
        let file = YAMLParser.parse(text, path: "bomb.yaml")
        #expect(file.diagnostics.map(\.code) == [Codes.inputLimitExceeded])
        #expect(file.diagnostics.first?.message.contains("aliases expand") == true)
    }

    @Test func deepNestingHitsTheDepthLimit() {
        let text = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let file = YAMLParser.parse(text, path: "deep.yaml")
        #expect(file.diagnostics.map(\.code) == [Codes.inputLimitExceeded])
        #expect(file.diagnostics.first?.mark == Mark(line: 1, column: 257))
    }

    @Test func documentCountLimit() {
        var limits = ParseLimits()
        limits.maxDocuments = 3
        let file = YAMLParser.parse(String(repeating: "---\na: 1\n", count: 5), path: "many.yaml", limits: limits)
        #expect(file.documents.count == 3)
        #expect(file.diagnostics.map(\.code) == [Codes.inputLimitExceeded])
    }

    @Test func emptyInputHasNoDocuments() {
        let file = YAMLParser.parse("", path: "empty.yaml")
        #expect(file.documents.isEmpty && file.diagnostics.isEmpty)
    }

    @Test(arguments: [
        ("true", true), ("yes", true), ("On", true), ("false", false), ("no", false), ("OFF", false),
    ])
    func booleansResolveAsKubernetesDoes(text: String, value: Bool) {
        #expect(ScalarResolver.bool(text) == value)
    }

    @Test(arguments: [("80", 80), ("-3", -3), ("0x1F", 31), ("0o17", 15)])
    func integersResolve(text: String, value: Int) {
        #expect(ScalarResolver.int(text) == value)
    }
}
