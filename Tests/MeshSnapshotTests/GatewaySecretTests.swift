import Foundation
import MeshDiagnostics
import MeshEmit
import MeshIR
import MeshSnapshot
import Testing

/// Gateway certificates as SDS secrets in the snapshot: the listener names
/// `secrets/<name>.json`, the secret holds only file references, bundles
/// and versions without secrets are what they were.
@Suite struct GatewaySecretTests {
    static let tls = ServerTLS(certificateChain: "/certs/web/tls.crt", privateKey: "/certs/web/tls.key", caCertificates: "/certs/ca/ca.pem",
                               requireClientCertificate: true, subjectAltNames: ["client.example.com"], secret: "default/web-cred")
    static let proxy: ProxyConfig = {
        var proxy = SnapshotTests.proxy
        proxy.listeners = [Listener(name: "127.0.0.1_8443", address: "127.0.0.1", port: 8443,
                                    chains: [FilterChain(serverNames: ["a.example.com"], tls: tls, action: .http(routeConfig: "http.80"))])]
        return proxy
    }()

    @Test func theListenerNamesTheSecretsFilesAndTheSnapshotHoldsThem() throws {
        let snapshot = Emitter.emit(Self.proxy).snapshot
        #expect(snapshot[.secret].map(\.name) == ["default/web-cred", "default/web-cred-cacert"])
        #expect(snapshot.references.listenerSecrets["127.0.0.1_8443"] == ["default/web-cred", "default/web-cred-cacert"])
        #expect(snapshot.consistencyErrors().isEmpty, "\(snapshot.consistencyErrors())")
        let listener = snapshot[.listener][0].bytes
        #expect(listener.contains("\"path\":\"meshc:secrets/default%2Fweb-cred.json\""))
        #expect(listener.contains("\"path\":\"meshc:secrets/default%2Fweb-cred-cacert.json\""))
        #expect(!listener.contains("/certs/web/tls.crt"), "the listener names no certificate file")
        let secret = try snapshot[.secret][0].json()
        #expect(secret["tls_certificate"]?["watched_directory"]?["path"]?.text == "/certs/web")
        #expect(secret["tls_certificate"]?["private_key"]?["filename"]?.text == "/certs/web/tls.key")
        #expect(try snapshot[.secret][1].json()["validation_context"]?["trusted_ca"]?["filename"]?.text == "/certs/ca/ca.pem")
        #expect(GatewaySecret.file("default/web-cred") == "secrets/default%2Fweb-cred.json")
    }

    @Test func theBundleCarriesSecretsOnlyWhenThereAreSome() throws {
        let snapshot = Emitter.emit(Self.proxy).snapshot
        let parsed = try ProxySnapshot(bundle: Array(snapshot.bundle().utf8))
        #expect(parsed == snapshot)
        #expect(try JSON.parse(snapshot.bundle())["secrets"] != nil)
        let plain = Emitter.emit(SnapshotTests.proxy).snapshot
        #expect(try JSON.parse(plain.bundle())["secrets"] == nil)
        #expect(try ProxySnapshot(bundle: Array(plain.bundle().utf8)) == plain)
    }

    @Test func aListenerNamingAMissingSecretIsInconsistent() throws {
        let snapshot = Emitter.emit(Self.proxy).snapshot
        let without = ProxySnapshot(proxy: snapshot.proxy, resources: snapshot.resources.merging([.secret: []]) { _, new in new },
                                    references: snapshot.references)
        #expect(without.forwardErrors().contains { $0.contains("names secret default/web-cred,") })
        var bundle = try JSON.parse(snapshot.bundle())
        bundle = bundle.replacing("secrets", with: nil)
        bundle = bundle.replacing("version", with: nil)
        #expect(throws: SnapshotError.self) { try ProxySnapshot(bundle: Array(bundle.rendered().utf8)) }
    }

    @Test func boundSDSPathsAreUnboundWhenParsed() throws {
        let snapshot = Emitter.emit(Self.proxy).snapshot
        let bound = RouteSource.bind(snapshot[.listener][0].bytes, folder: "/elsewhere")
        #expect(bound.contains("/elsewhere/secrets/default%2Fweb-cred.json"))
        #expect(RouteSource.unbind(try JSON.parse(bound)) == (try snapshot[.listener][0].json()))
    }

    @Test func theValidationBootstrapServesTheSecretsStatically() throws {
        let snapshot = Emitter.emit(Self.proxy).snapshot
        let text = try #require(ValidationBootstrap.text(from: nil, to: snapshot))
        #expect(!text.contains("meshc:secrets/"))
        let secrets = try JSON.parse(text)["static_resources"]?["secrets"]?.items.map { $0["name"]?.text }
        #expect(secrets == ["default/web-cred", "default/web-cred-cacert"])
        // A secret change alone is validated.
        var changed = Self.proxy
        changed.listeners[0].chains[0].tls?.certificateChain = "/certs/web/new.crt"
        let next = Emitter.emit(changed).snapshot
        let alone = try #require(ValidationBootstrap.text(from: snapshot, to: next))
        #expect(alone.contains("/certs/web/new.crt"))
    }
}
