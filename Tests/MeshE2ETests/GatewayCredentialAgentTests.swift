import Crypto
import Foundation
import MeshDiagnostics
import MeshTestSupport
import Testing
import X509
@testable import MeshAgent

/// IST0161 at apply time: the real `meshc agent` serves a gateway credential
/// whose files are good (an openssl certificate and key, as an operator's
/// would be) and refuses a push naming an expired certificate, with the
/// reason, leaving the running config as it was.
@Suite(.tags(.e2e), .enabled(if: Tools.envoy != nil, Tools.envoyMissing))
struct GatewayCredentialAgentTests {
    typealias M = ScenarioManifests

    /// Gateway `http-gateway` (SIMPLE on 443, `credentialName: web-cred`), its Secret naming `chain` and `key`, and a route to `backend`.
    static func manifests(chain: String, key: String, backend: Int) -> String {
        M.join([
            """
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: http-gateway, namespace: default}
            spec:
              selector: {istio: ingressgateway}
              servers:
              - port: {number: 443, name: https, protocol: HTTPS}
                hosts: ["*"]
                tls: {mode: SIMPLE, credentialName: web-cred}
            """,
            """
            apiVersion: v1
            kind: Secret
            type: kubernetes.io/tls
            metadata:
              name: web-cred
              namespace: default
              annotations: {meshc.dev/certificate-files: "\(chain),\(key)"}
            """,
            M.serviceWithWorkload("http-echo-foo", port: backend),
            M.virtualService(http: "  - route:\n\(M.destination("http-echo-foo"))"),
        ])
    }

    /// A self-signed P-256 certificate that ended a day ago, and its key, as PEM.
    static func expired() throws -> (certificate: String, key: String, end: Date) {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName { CommonName("edge.example.com") }
        let end = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 / 60).rounded(.down) * 60 - 24 * 3600)
        let certificate = try Certificate(version: .v3, serialNumber: Certificate.SerialNumber(),
                                          publicKey: Certificate.PrivateKey(key).publicKey,
                                          notValidBefore: end - 30 * 24 * 3600, notValidAfter: end, issuer: name, subject: name,
                                          signatureAlgorithm: .ecdsaWithSHA256, extensions: Certificate.Extensions(),
                                          issuerPrivateKey: Certificate.PrivateKey(key))
        return (try certificate.serializeAsPEM().pemString + "\n", key.pemRepresentation + "\n", end)
    }

    /// The body `curl -sk https://127.0.0.1:<port>/` gets, or nil.
    static func https(_ port: Int) -> String? {
        guard let run = try? Subprocess.run("curl", ["-sk", "--max-time", "2", "https://127.0.0.1:\(port)/"]), run.status == 0 else { return nil }
        return run.stdout
    }

    @Test func anExpiredCertificateIsRefusedAndTheRunningConfigStays() throws {
        let certs = try #require(TestCertificates.selfSigned(commonName: "edge.example.com"), "openssl could not make a certificate")
        defer { try? FileManager.default.removeItem(atPath: certs) }
        let bed = try TestBed()
        defer { bed.shutdown() }
        let foo = try bed.echo(text: "foo")
        let port = try Ports.free()
        // The compiler offsets every gateway port alike: 443 lands on `port`.
        func bundle(chain: String, key: String) throws -> JSON {
            try bed.bundle(Self.manifests(chain: chain, key: key, backend: foo.port), listenerPort: port - (443 - 80))
        }
        // Envoy as root: openssl writes the key 0600, and this test is not about file modes.
        let agent = try bed.agent(arguments: ["--allow-file-root", certs, "--envoy-user", "root"])

        let good = try bundle(chain: certs + "/cert.pem", key: certs + "/key.pem")
        let applied = try agent.put(good, ifMatch: nil)
        try #require(applied.status == 200, "\(applied.text)\n\(agent.context)")
        let v1 = try #require(good["version"]?.text)
        #expect(poll(seconds: 5) { Self.https(port) == "foo\n" }, "\(agent.context)")
        // openssl's certificate is valid for two days: applied, with a warning in the agent's log.
        #expect(agent.process.outputContains("certificate \(certs)/cert.pem expires on"), "\(agent.context)")

        let expired = try Self.expired()
        try Data(expired.certificate.utf8).write(to: URL(fileURLWithPath: certs + "/expired.crt"))
        try Data(expired.key.utf8).write(to: URL(fileURLWithPath: certs + "/expired.key"))
        let files = try AgentPolicyTests.deliveryFiles(agent.stateDirectory)
        let refused = try agent.put(try bundle(chain: certs + "/expired.crt", key: certs + "/expired.key"), ifMatch: v1)
        #expect(refused.status == 422, "\(refused.text)\n\(agent.context)")
        let body = try JSON.parse(refused.body)
        let reason = "gateway credential default/web-cred: certificate \(certs)/expired.crt expired on "
            + "\(ISO8601DateFormatter().string(from: expired.end)); renew it on this host, then push again"
        #expect(body["error"]?.text == "invalid")
        #expect(body["reason"]?.text == reason)

        #expect(try AgentPolicyTests.deliveryFiles(agent.stateDirectory) == files, "the state folder changed")
        let state = try agent.state()
        #expect(state.snapshotVersion == v1)
        #expect(state.lastRejection?.reason == reason)
        #expect(Self.https(port) == "foo\n", "the good config still serves\n\(agent.context)")
        let metrics = try agent.request("GET", "/metrics").text
        #expect(metrics.contains("meshc_agent_refusals_total{reason=\"credential\"} 1"), "\(metrics)")
    }
}
