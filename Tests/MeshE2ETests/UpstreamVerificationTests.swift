import Foundation
import MeshTestSupport
import Testing

/// Istio's TLS origination defaults on real Envoy (VERIFY_CERTIFICATE_AT_CLIENT
/// and ENABLE_AUTO_SNI, on since Istio 1.20): a DestinationRule `SIMPLE`
/// without `caCertificates` verifies the server against the system's public
/// CAs (a throwaway certificate no public CA signed is refused; with
/// `insecureSkipVerify` it is not); without `sni` the request's host is sent
/// as SNI, and the server's certificate must name it; a ServiceEntry's
/// `subjectAltNames` stand in for the rule's.
@Suite(.tags(.e2e), .enabled(if: Tools.envoy != nil, Tools.envoyMissing))
struct UpstreamVerificationTests {
    static let host = "api.partner.example"
    static let alias = "alias.partner.example"

    /// A gateway answering both names on `port`, routing them to `host`'s port 80, which the DestinationRule's
    /// `tls` (YAML flow mapping) turns into TLS to the server at 127.0.0.1:`server`.
    static func manifests(port: Int, admin: Int, server: Int, tls: String, entryNames: [String]) -> String {
        ScenarioManifests.edgeGateway(listenPort: port, admin: admin, hosts: #"["*"]"#) + "\n---\n" + """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: partner, namespace: istio-system}
        spec:
          hosts: [\(host), \(alias)]
          gateways: [edge]
          http:
          - route:
            - destination: {host: \(host), port: {number: 80}}
        ---
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: partner, namespace: istio-system}
        spec:
          hosts: [\(host)]
          location: MESH_EXTERNAL
          ports: [{number: 80, name: http, protocol: HTTP, targetPort: \(server)}]
          resolution: STATIC
          endpoints: [{address: 127.0.0.1}]
          subjectAltNames: [\(entryNames.joined(separator: ", "))]
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: partner, namespace: istio-system}
        spec:
          host: \(host)
          trafficPolicy:
            tls: \(tls)
        """
    }

    /// Builds the gateway for `tls`, starts it, and answers what a GET with each Host header got.
    static func statuses(_ bed: TestBed, server: Int, tls: String, entryNames: [String] = [], hosts: [String]) throws -> [String: Int] {
        let ports = try Ports.free(2)
        let manifests = Self.manifests(port: ports[0], admin: ports[1], server: server, tls: tls, entryNames: entryNames)
        let out = try bed.build(manifests)
        let gateway = try bed.envoy(bootstrap: try bed.builtBootstrap(out, proxy: "ingressgateway", manifests: manifests))
        defer { gateway.process.stop() }
        guard poll(seconds: 5, { Loopback.accepts(port: ports[0]) }) else { throw HarnessError("the gateway did not listen\n\(gateway.logTail())") }
        var result: [String: Int] = [:]
        for host in hosts {
            result[host] = try HTTPConnection(port: ports[0]).request("GET", "/", headers: [("Host", host)]).status
        }
        return result
    }

    /// The partner: a TLS server with a throwaway certificate for `host` (no public CA signed it) in front of an
    /// echo backend, answering only handshakes for `serverNames` when given. Its port, its Envoy, the certificates' folder.
    static func partner(_ bed: TestBed, serverNames: [String] = []) throws -> (port: Int, envoy: EnvoyProxy, certs: String) {
        let certs = try #require(TestCertificates.selfSigned(commonName: host, subjectAltName: host), "openssl could not make a certificate")
        let backend = try bed.echo(text: "partner")
        let ports = try Ports.free(2)
        let envoy = try EgressGatewayTests.tlsServer(bed, port: ports[0], admin: ports[1], certs: certs, backend: backend.port,
                                                     serverNames: serverNames)
        return (ports[0], envoy, certs)
    }

    @Test func withoutCaCertificatesTheServerIsVerifiedAgainstTheSystemsCAs() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let server = try Self.partner(bed)
        // No public CA signed the throwaway certificate: refused (503), where meshc used to send the request unverified.
        let verified = try Self.statuses(bed, server: server.port, tls: "{mode: SIMPLE}", hosts: [Self.host])
        #expect(verified[Self.host] == 503, "\(verified)\n\(server.envoy.logTail())")
        // Only insecureSkipVerify skips the check.
        let skipped = try Self.statuses(bed, server: server.port, tls: "{mode: SIMPLE, insecureSkipVerify: true}", hosts: [Self.host])
        #expect(skipped[Self.host] == 200, "\(skipped)\n\(server.envoy.logTail())")
    }

    @Test func withoutSniTheRequestsHostIsSentAndMustBeTheCertificatesName() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        // The server answers a handshake only for the SNI of either name: no SNI, no answer.
        let server = try Self.partner(bed, serverNames: [Self.host, Self.alias])
        let ca = "caCertificates: \(server.certs)/ca.pem"
        let statuses = try Self.statuses(bed, server: server.port, tls: "{mode: SIMPLE, \(ca)}", hosts: [Self.host, Self.alias])
        // The host's request: its name was the SNI and is the certificate's. The alias's: sent as SNI (the server
        // answers it) but not a name of the certificate, so refused.
        #expect(statuses[Self.host] == 200, "\(statuses)\n\(server.envoy.logTail())")
        #expect(statuses[Self.alias] == 503, "\(statuses)\n\(server.envoy.logTail())")
        // With `sni` written, that name is sent whatever the host, and no name is checked beyond the CA...
        let pinned = "{mode: SIMPLE, \(ca), sni: \(Self.host)}"
        let anyName = try Self.statuses(bed, server: server.port, tls: pinned, hosts: [Self.alias])
        #expect(anyName[Self.alias] == 200, "\(anyName)\n\(server.envoy.logTail())")
        // ...unless the ServiceEntry names the server's names: a certificate without one of them is refused.
        let entryNamed = try Self.statuses(bed, server: server.port, tls: pinned, entryNames: ["other.partner.example"], hosts: [Self.host])
        #expect(entryNamed[Self.host] == 503, "\(entryNamed)\n\(server.envoy.logTail())")
    }
}
