import Foundation
import MeshDiagnostics
import MeshEmit
import MeshIR
import MeshSnapshot
import Testing
@testable import MeshAgent

/// What AuthorizationPolicy and RequestAuthentication let a commit put in a snapshot (issue 11),
/// judged by the agent's policy: the clusters a JWKS fetch or an ext_authz check goes through
/// are clusters like any other, so pointing them at Envoy's admin is refused, and the one file
/// outside the agent's roots a snapshot may name is the system trust store.
@Suite struct SnapshotPolicyAuthorizationTests {
    static let policy = SnapshotPolicyTests.policy

    /// A gateway whose HTTP chain trusts a remote JWKS at `jwks` and asks an ext_authz service at `authz` (host, port).
    static func proxy(jwks: (String, Int), authz: (String, Int), trustStore: String = "/etc/ssl/certs/ca-certificates.crt") -> ProxySnapshot {
        let jwksCluster = Cluster(name: "jwks|\(jwks.0)|\(jwks.1)", endpoints: [Endpoint(address: jwks.0, port: jwks.1)], discovery: .static)
        var tlsCluster = Cluster(name: "jwks|issuer.example.com|443", endpoints: [Endpoint(address: "issuer.example.com", port: 443)],
                                 discovery: .logicalDNS)
        tlsCluster.tls = UpstreamTLS(sni: "issuer.example.com", caCertificates: trustStore, subjectAltNames: ["issuer.example.com"])
        let authzCluster = Cluster(name: "outbound|\(authz.1)||ext-authz", endpoints: [Endpoint(address: authz.0, port: authz.1)], discovery: .static)
        let service = ExtAuthzService(name: "checker", cluster: authzCluster.name, uri: "http://ext-authz:\(authz.1)")
        var authorization = Authorization(jwtProviders: [
            JWTProvider(name: "origins-0", issuer: "a", keys: .remote(uri: "http://\(jwks.0):\(jwks.1)/keys", cluster: jwksCluster.name, timeoutMs: 1000)),
            JWTProvider(name: "origins-1", issuer: "b", keys: .remote(uri: "https://issuer.example.com/keys", cluster: tlsCluster.name, timeoutMs: 1000)),
        ])
        authorization.custom = CustomAuthorization(service: service, rules: [AuthorizationRuleIR(name: "r", permission: .any, principal: .any)])
        let config = ProxyConfig(
            name: "gw", role: .gateway, adminPort: 15000,
            listeners: [Listener(name: "0.0.0.0_80", address: "0.0.0.0", port: 80,
                                 chains: [FilterChain(action: .http(routeConfig: "http.80"), authorization: authorization)])],
            routeConfigs: [RouteConfig(name: "http.80", virtualHosts: [], authorization: authorization)],
            clusters: [authzCluster, jwksCluster, tlsCluster].sorted { $0.name < $1.name })
        return Emitter.emit(config).snapshot
    }

    @Test func jwksAndExtAuthzClustersElsewhereAreAccepted() {
        #expect(Self.policy.violations(in: Self.proxy(jwks: ("10.0.0.5", 8080), authz: ("10.0.0.6", 9000))).isEmpty)
    }

    @Test func aJWKSFetchOrAnAuthorizationCheckAtTheAdminIsRefused() {
        let jwks = Self.policy.violations(in: Self.proxy(jwks: ("127.0.0.1", 15000), authz: ("10.0.0.6", 9000)))
        // Refused where the address stands: the cluster and its endpoints resource.
        #expect(!jwks.isEmpty && jwks.allSatisfy { $0.kind == .address && $0.reason.contains("admin") }, "\(jwks)")
        let authz = Self.policy.violations(in: Self.proxy(jwks: ("10.0.0.5", 8080), authz: ("127.0.0.1", 15100)))
        #expect(!authz.isEmpty && authz.allSatisfy { $0.kind == .address && $0.reason.contains("agent") }, "\(authz)")
    }

    @Test func onlyTheSystemTrustStoreMayBeNamedOutsideTheRoots() {
        let other = Self.policy.violations(in: Self.proxy(jwks: ("10.0.0.5", 8080), authz: ("10.0.0.6", 9000), trustStore: "/etc/shadow"))
        #expect(other.map(\.kind) == [.file], "\(other)")
    }
}
