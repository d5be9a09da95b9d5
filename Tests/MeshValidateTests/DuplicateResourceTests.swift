import MeshDiagnostics
import MeshModel
import MeshTestSupport
import MeshValidate
import MeshYAML
import Testing

/// MSH0006 over many resources: the analyzer's probing table must find
/// exactly the identities a plain grouping finds (kind, namespace — none for
/// Namespaces — and name), each later copy reported once.
@Suite struct DuplicateResourceTests {
    @Test(arguments: [1, 2, 3])
    func manyResourcesWithRepeatsMatchAPlainGrouping(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        var documents: [String] = []
        var identities: [String] = []
        for _ in 0..<1_500 {
            let kind = ["ConfigMap", "Secret", "Namespace"].randomElement(using: &random)!
            // Few names and namespaces, so identities repeat, some three times or more.
            let name = "n\(Int.random(in: 0..<400, using: &random))"
            let namespace = "ns\(Int.random(in: 0..<3, using: &random))"
            documents.append("apiVersion: v1\nkind: \(kind)\nmetadata:\n  name: \(name)\n  namespace: \(namespace)\n")
            identities.append(kind == "Namespace" ? "\(kind) \(name)" : "\(kind) \(namespace)/\(name)")
        }
        let file = "mesh.yaml"
        let decoded = ResourceDecoder.decode(YAMLParser.parse(documents.joined(separator: "---\n"), path: file))
        #expect(decoded.resources.count == documents.count)
        let found = Validation.analyze(MeshIndex(decoded.resources)).filter { $0.code == Codes.duplicateResource }

        // Expected: every copy after an identity's first, at its `name:` line (document i starts at line 6i + 1).
        var seen = Set<String>()
        var expected: [Int] = []
        for (index, identity) in identities.enumerated() where !seen.insert(identity).inserted {
            expected.append(6 * index + 4)
        }
        #expect(!expected.isEmpty)
        #expect(found.map { Int($0.mark.line) }.sorted() == expected)
    }
}
