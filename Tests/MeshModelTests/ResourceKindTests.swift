import MeshModel
import MeshYAML
import Testing

@Suite struct ResourceKindTests {
    @Test func eachKindsOrdinalIsItsPlaceInAllCases() {
        for (index, kind) in ResourceKind.allCases.enumerated() {
            #expect(kind.ordinal == index, "\(kind)")
        }
    }

    @Test func groupingByKindKeepsEachKindsOrder() {
        let text = (0..<12).map { index in
            let kind = ["Service", "Namespace", "Secret"][index % 3]
            let spec = kind == "Service" ? "spec:\n  ports:\n  - port: 80\n" : ""
            return "apiVersion: v1\nkind: \(kind)\nmetadata:\n  name: r\(index)\n  namespace: default\n" + spec
        }.joined(separator: "---\n")
        let resources = ResourceDecoder.decode(YAMLParser.parse(text, path: "mixed.yaml")).resources
        #expect(resources.count == 12, "\(resources.map(\.kind)) \(ResourceDecoder.decode(YAMLParser.parse(text, path: "mixed.yaml")).diagnostics.map(\.message))")
        let grouped = ResourceKind.grouped(resources)
        let expected = Dictionary(grouping: resources, by: \.kind)
        #expect(Set(grouped.keys) == Set(expected.keys))
        for (kind, list) in expected {
            #expect(grouped[kind]?.map(\.name) == list.map(\.name), "\(kind)")
        }
        #expect(ResourceKind.grouped([]).isEmpty)
    }
}
