import MeshIdentity
import Testing

/// SPIFFE IDs and trust domains as the SPIFFE spec (SPIFFE-ID.md) defines them.
@Suite struct SPIFFEIDTests {
    @Test(arguments: [
        "spiffe://cluster.local/ns/default/sa/web",
        "spiffe://example.org/ns/prod-1/sa/front_end.v2",
        "spiffe://td/Upper/Case.Path",
        "spiffe://a-b_c.d/x",
    ])
    func validIDsRoundTrip(_ text: String) throws {
        let id = try SPIFFEID(parsing: text)
        #expect(id.uri == text)
        #expect(try SPIFFEID(trustDomain: id.trustDomain, segments: id.segments) == id)
    }

    /// Each case: the text and a phrase its error must contain.
    @Test(arguments: [
        ("", "does not start with `spiffe://`"),
        ("http://cluster.local/ns/a/sa/b", "does not start with `spiffe://`"),
        ("SPIFFE://cluster.local/ns/a/sa/b", "scheme must be lowercase"),
        ("spiffe://Cluster.local/ns/a/sa/b", "uppercase letter"),
        ("spiffe:///ns/a/sa/b", "is empty"),
        ("spiffe://cluster.local", "needs a path"),
        ("spiffe://cluster.local/", "ends with `/`"),
        ("spiffe://cluster.local/ns/a/sa/b/", "empty segment"),
        ("spiffe://cluster.local/ns//sa/b", "empty segment"),
        ("spiffe://cluster.local/ns/./sa", "`.` segment"),
        ("spiffe://cluster.local/ns/../sa", "`..` segment"),
        ("spiffe://cluster.local:8080/ns/a", "no scheme or port"),
        ("spiffe://user@cluster.local/ns/a", "user info"),
        ("spiffe://cluster.local/ns/a?x=1", "query"),
        ("spiffe://cluster.local/ns/a#frag", "fragment"),
        ("spiffe://cluster.local/ns/a%20b", "character `%`"),
        ("spiffe://cluster.local/ns/ä", "non-ASCII"),
        ("spiffe://cluster.local/ns/a b", "character ` `"),
    ])
    func invalidIDsAreRefusedWithTheReason(_ text: String, _ reason: String) {
        do {
            _ = try SPIFFEID(parsing: text)
            Issue.record("\(text) parsed")
        } catch {
            #expect("\(error)".contains(reason), "\(error)")
            #expect("\(error)".contains("spiffe://<trust-domain>/ns/<namespace>/sa/<service-account>"))
        }
    }

    @Test func tooLongIDsAreRefused() {
        let long = "spiffe://cluster.local/" + String(repeating: "a", count: 2100)
        #expect(throws: IdentityError.self) { try SPIFFEID(parsing: long) }
    }

    @Test func istioWorkloadIdentity() throws {
        let id = try SPIFFEID(namespace: "shop", serviceAccount: "cart")
        #expect(id.uri == "spiffe://cluster.local/ns/shop/sa/cart")
        #expect(id.namespace == "shop")
        #expect(id.serviceAccount == "cart")
        #expect(try SPIFFEID(parsing: "spiffe://cluster.local/other/path").namespace == nil)
        #expect(throws: IdentityError.self) { try SPIFFEID(namespace: "a/b", serviceAccount: "c") }
        #expect(throws: IdentityError.self) { try SPIFFEID(namespace: "..", serviceAccount: "c") }
    }

    @Test func reconcilerIdentity() throws {
        #expect(SPIFFEID.reconciler().uri == "spiffe://cluster.local/meshc/reconciler")
        #expect(SPIFFEID.reconciler(try TrustDomain("corp.example")).uri == "spiffe://corp.example/meshc/reconciler")
    }

    @Test(arguments: ["cluster.local", "example.org", "a", "td_1-x.y"])
    func validTrustDomains(_ name: String) throws {
        #expect(try TrustDomain(name).name == name)
    }

    @Test(arguments: ["", "Cluster.local", "cluster.local:443", "a/b", "spiffe://x", String(repeating: "a", count: 256)])
    func invalidTrustDomains(_ name: String) {
        #expect(throws: IdentityError.self) { try TrustDomain(name) }
    }

    @Test func defaultTrustDomain() {
        #expect(TrustDomain.default.name == "cluster.local")
    }

    /// Each case: the text and the duration in seconds (nil: refused).
    @Test(arguments: [("90s", 90), ("1m", 60), ("24h", 86400), ("7d", 604800), ("24", nil), ("h", nil), ("-1h", nil), ("1.5h", nil)] as [(String, Int64?)])
    func ttlNotation(_ text: String, _ seconds: Int64?) {
        #expect(CertificateTTL.parse(text) == seconds.map { .seconds($0) })
    }

    @Test func ttlFormatting() {
        #expect(CertificateTTL.format(.seconds(86400)) == "1d")
        #expect(CertificateTTL.format(.seconds(7200)) == "2h")
        #expect(CertificateTTL.format(.seconds(90)) == "90s")
    }
}
