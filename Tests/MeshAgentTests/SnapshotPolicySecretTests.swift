import Foundation
import MeshDiagnostics
import MeshEmit
import MeshIR
import MeshSnapshot
import Testing
@testable import MeshAgent

/// Mesh mTLS puts SDS config sources in listeners and clusters: the policy
/// accepts exactly the two unbound placeholders the compiler emits
/// (`meshc:certs/default.json` for secret `default`, `meshc:certs/ROOTCA.json`
/// for `ROOTCA`), and nothing else new.
@Suite struct SnapshotPolicySecretTests {
    static let policy = SnapshotPolicy(fileRoots: SnapshotPolicy.stateRoots("/var/lib/meshc/sc"), adminPort: 15000)

    /// A sidecar with a STRICT inbound port and an ISTIO_MUTUAL cluster, as the compiler emits it.
    static func bundle() -> String {
        var cluster = Cluster(name: "outbound|80||b.default.svc.cluster.local", endpoints: [Endpoint(address: "127.0.0.1", port: 9000)],
                              discovery: .static)
        cluster.tls = UpstreamTLS(sni: "outbound_.80_._.b.default.svc.cluster.local", subjectAltNames: ["spiffe://cluster.local/ns/default/sa/b"],
                                  meshIdentity: true)
        let inbound = Listener(name: "127.0.0.1_15006", address: "127.0.0.1", port: 15006,
                               chains: [FilterChain(meshTLS: true, action: .http(routeConfig: "inbound|9000||"))])
        let proxy = ProxyConfig(name: "sc", role: .sidecar, adminPort: 15000, listeners: [inbound],
                                routeConfigs: [RouteConfig(name: "inbound|9000||", virtualHosts: [])], clusters: [cluster])
        return Emitter.emit(proxy).snapshot.bundle()
    }

    static func violations(_ bundle: String) throws -> [SnapshotPolicy.Violation] {
        policy.violations(in: try ProxySnapshot(bundle: Array(bundle.utf8)))
    }

    @Test func theCompilersPlaceholdersAreAccepted() throws {
        let bundle = Self.bundle()
        #expect(bundle.contains(#""path":"meshc:certs/default.json""#) && bundle.contains(#""path":"meshc:certs/ROOTCA.json""#))
        #expect(try Self.violations(bundle).isEmpty)
    }

    @Test(arguments: [
        // Another file in the placeholder folder, a file anywhere, a placeholder under the other secret's name.
        (#""path":"meshc:certs/default.json""#, #""path":"meshc:certs/other.json""#),
        (#""path":"meshc:certs/ROOTCA.json""#, #""path":"/etc/shadow""#),
        (#"{"name":"ROOTCA","sds_config""#, #"{"name":"default","sds_config""#),
    ])
    func anythingElseIsRefused(_ replacing: String, _ with: String) throws {
        var bundle = Self.bundle().replacingOccurrences(of: replacing, with: with)
        #expect(bundle != Self.bundle())
        // A changed bundle hashes to another version: send it without one, as a hand-made bundle may.
        if case .object(var members) = try JSON.parse(bundle) {
            members["version"] = nil
            bundle = JSON.object(members).rendered()
        }
        let violations = try Self.violations(bundle)
        #expect(!violations.isEmpty, "accepted: \(with)")
        #expect(violations.allSatisfy { $0.kind == .file }, "\(violations)")
    }
}
