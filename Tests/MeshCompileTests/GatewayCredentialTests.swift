import MeshCompile
import MeshIR
import Testing

/// Gateway `credentialName` → the certificate files a `kubernetes.io/tls`
/// Secret names (`meshc.dev/certificate-files`), in the Gateway's namespace;
/// MUTUAL takes the client CA from the Secret, its `<name>-cacert`, or `caCertificates`.
@Suite struct GatewayCredentialTests {
    static func gateway(mode: String = "SIMPLE", namespace: String = "default", extra: String = "") -> String {
        """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: edge, namespace: \(namespace)}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 443, name: https, protocol: HTTPS}
            hosts: ["*"]
            tls:
              mode: \(mode)
              credentialName: web-cred
        \(extra)
        """
    }

    static func secret(_ name: String, namespace: String = "default", annotations: String) -> String {
        """
        apiVersion: v1
        kind: Secret
        type: kubernetes.io/tls
        metadata:
          name: \(name)
          namespace: \(namespace)
          annotations:
        \(annotations)
        """
    }

    static let files = "    meshc.dev/certificate-files: /certs/web.crt,/certs/web.key"

    static func tls(_ files: [(String, String)]) -> (ServerTLS?, [String]) {
        let result = Compiler.compile(CompilerTests.resources(files + [("s.yaml", CompilerTests.service)]))
        let chains = result.proxies.flatMap(\.listeners).flatMap(\.chains)
        return (chains.compactMap(\.tls).first, result.notes.map(\.message))
    }

    @Test func simpleServesTheSecretsFiles() {
        let (tls, notes) = Self.tls([("g.yaml", Self.gateway()), ("c.yaml", Self.secret("web-cred", annotations: Self.files))])
        #expect(tls?.certificateChain == "/certs/web.crt")
        #expect(tls?.privateKey == "/certs/web.key")
        #expect(tls?.requireClientCertificate == false)
        #expect(tls?.secret == "default/web-cred")
        #expect(tls?.caSecret == nil)
        #expect(!notes.contains { $0.contains("credentialName") }, "\(notes)")
    }

    @Test func mutualTakesTheCAFromTheCacertSecretOrTheCredential() {
        let cacert = """
            apiVersion: v1
            kind: Secret
            metadata:
              name: web-cred-cacert
              namespace: default
              annotations: {meshc.dev/ca-certificate-file: /certs/clients.pem}
            """
        let (fromCacert, _) = Self.tls([("g.yaml", Self.gateway(mode: "MUTUAL")), ("c.yaml", Self.secret("web-cred", annotations: Self.files)),
                                        ("ca.yaml", cacert)])
        #expect(fromCacert?.caCertificates == "/certs/clients.pem")
        #expect(fromCacert?.requireClientCertificate == true)
        let own = Self.files + "\n    meshc.dev/ca-certificate-file: /certs/own-ca.pem"
        let (fromOwn, _) = Self.tls([("g.yaml", Self.gateway(mode: "MUTUAL")), ("c.yaml", Self.secret("web-cred", annotations: own))])
        #expect(fromOwn?.caCertificates == "/certs/own-ca.pem")
    }

    @Test func mutualWithoutAClientCAIsLeftOutWithANote() {
        let (tls, notes) = Self.tls([("g.yaml", Self.gateway(mode: "MUTUAL")), ("c.yaml", Self.secret("web-cred", annotations: Self.files))])
        #expect(tls == nil)
        #expect(notes.contains { $0.contains("MUTUAL") && $0.contains("-cacert") }, "\(notes)")
    }

    @Test func aSecretInAnotherNamespaceOrMissingIsNotUsed() {
        let (elsewhere, notes) = Self.tls([("g.yaml", Self.gateway()),
                                           ("c.yaml", Self.secret("web-cred", namespace: "istio-system", annotations: Self.files))])
        #expect(elsewhere == nil)
        #expect(notes.contains { $0.contains("credentialName web-cred names no kubernetes.io/tls Secret") }, "\(notes)")
        let (missing, _) = Self.tls([("g.yaml", Self.gateway())])
        #expect(missing == nil)
    }
}
