import MeshDiagnostics
import Testing
@testable import MeshYAML

/// Plain IPv6 addresses libyaml refuses and YAML 1.2 (Kubernetes, Istio) reads (issue 13).
@Suite struct IPv6QuotingTests {
    @Test func addressesStartingOrEndingWithDoubleColonParse() throws {
        let file = YAMLParser.parse("""
        addresses: [::1, 2001:db8::, "fd00::/8", 2001:db8::7]
        endpoints:
        - {address: ::ffff:10.0.0.1, ports: {http: 80}}
        block: ::2
        zone: fe80::1%eth0
        # a comment with [::1] stays
        note: |
          literal [::1] stays
        last: 2001:db8::/32
        """, path: "v6.yaml")
        #expect(file.diagnostics.isEmpty, "\(file.diagnostics)")
        let root = try #require(file.documents.first?.root)
        #expect(root["addresses"]?.items?.compactMap(\.scalar) == ["::1", "2001:db8::", "fd00::/8", "2001:db8::7"])
        #expect(root["endpoints"]?.items?.first?["address"]?.scalar == "::ffff:10.0.0.1")
        #expect(root["endpoints"]?.items?.first?["ports"]?["http"]?.scalar == "80")
        #expect(root["block"]?.scalar == "::2")
        #expect(root["zone"]?.scalar == "fe80::1%eth0")
        #expect(root["note"]?.scalar == "literal [::1] stays\n")
        #expect(root["last"]?.scalar == "2001:db8::/32")
        // Lines keep their numbers.
        #expect(root["last"]?.mark.line == 9)
        #expect(root["block"]?.mark.line == 4)
    }

    @Test func otherSyntaxErrorsStayErrors() {
        let file = YAMLParser.parse("a: [::1\nb: c\n", path: "bad.yaml")
        #expect(file.diagnostics.map(\.code.id) == [Codes.yamlSyntaxError.id])
    }
}
