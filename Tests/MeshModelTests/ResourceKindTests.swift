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

    /// What a document's apiVersion and kind decide, by their group: a v1
    /// `…List` is read item by item, meshc.dev's own kinds other than Proxy
    /// and MeshConfig are left to their loaders without a word, a kind of
    /// another group is skipped with MSH0004, and a known kind's other
    /// version of its group is refused with IST0106.
    @Test(arguments: [
        ("apiVersion: v1\nkind: ServiceList\nitems:\n- {apiVersion: v1, kind: Namespace, metadata: {name: a}}\n"
            + "- {apiVersion: v1, kind: Namespace, metadata: {name: b}}\n", ["a", "b"], [String]()),
        ("apiVersion: meshc.dev/v1\nkind: Policy\nmetadata: {name: p}\n", [], []),
        ("apiVersion: example.com/v1\nkind: Gateway\nmetadata: {name: g}\n", [], ["MSH0004"]),
        ("apiVersion: networking.istio.io/v9\nkind: Gateway\nmetadata: {name: g}\nspec: {}\n", [], ["IST0106"]),
        ("apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: g}\nspec: {}\n", ["g"], []),
    ])
    func theGroupOfAnApiVersionDecidesHowADocumentIsRead(yaml: String, names: [String], codes: [String]) {
        let decoded = ResourceDecoder.decode(YAMLParser.parse(yaml, path: "doc.yaml"))
        #expect(decoded.resources.map(\.name) == names)
        #expect(decoded.diagnostics.map(\.code.id) == codes, "\(decoded.diagnostics.map(\.message))")
    }

    /// A document that reports is decoded again with field paths kept (the
    /// first pass keeps none): its diagnostics name the exact field, once
    /// each, and every document's resource is there once, in order.
    @Test func aDocumentThatReportsNamesTheFieldOnce() {
        let service = { (name: String) in "apiVersion: v1\nkind: Service\nmetadata: {name: \(name), namespace: default}\nspec:\n  ports:\n  - port: 80\n" }
        let broken = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: broken, namespace: default}
            spec:
              hosts: [a]
              http:
              - route:
                - destination: {host: a}
              - route:
                - destination: {host: b}
                  weight: heavy
                  bogus: 1

            """
        let text = [service("first"), broken, service("last")].joined(separator: "---\n")
        let decoded = ResourceDecoder.decode(YAMLParser.parse(text, path: "three.yaml"))
        #expect(decoded.resources.map(\.name) == ["first", "broken", "last"])
        #expect(decoded.diagnostics.map(\.message) == [
            "spec.http[1].route[0].weight: expected an integer, found a string",
            "spec.http[1].route[0].bogus: unknown field \"bogus\"",
        ])
        #expect(decoded.diagnostics.map(\.path) == ["spec.http[1].route[0].weight", "spec.http[1].route[0].bogus"])
    }
}
