import Foundation
import MeshTestSupport
import Testing

/// RequestAuthentication and AuthorizationPolicy on a gateway Envoy that
/// `meshc build` compiled (issue 11): JWTs signed in the test and verified
/// against an inline JWKS, request principals and claims in policies, and
/// policies on TCP ports.
@Suite(.tags(.e2e), .enabled(if: Tools.envoy != nil, Tools.envoyMissing))
struct GatewayAuthorizationTests {
    static let issuer = "https://issuer.test/realm"

    /// The gateway: HTTP on mesh port 80, TCP on 5432 and 5433 (all three to
    /// the echo backend), under `policies`.
    struct Gateway {
        let envoy: EnvoyProxy
        let http: Int, tcpDenied: Int, tcpAllowed: Int

        init(_ bed: TestBed, policies: [String]) throws {
            let backend = try bed.echo(text: "backend")
            let ports = try Ports.free(4)
            (http, tcpDenied, tcpAllowed) = (ports[0], ports[1], ports[2])
            let manifests = ScenarioManifests.join([
                ScenarioManifests.serviceWithWorkload("backend", port: backend.port),
                """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata:
                  name: edge
                  namespace: istio-system
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                  - port: {number: 80, name: http, protocol: HTTP}
                    hosts: ["*"]
                  - port: {number: 5432, name: tcp-a, protocol: TCP}
                    hosts: ["*"]
                  - port: {number: 5433, name: tcp-b, protocol: TCP}
                    hosts: ["*"]
                """,
                """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata:
                  name: edge
                  namespace: istio-system
                spec:
                  hosts: ["*"]
                  gateways: [edge]
                  http:
                  - route:
                    - destination: {host: backend.default.svc.cluster.local, port: {number: 80}}
                  tcp:
                  - route:
                    - destination: {host: backend.default.svc.cluster.local, port: {number: 80}}
                """,
                """
                apiVersion: meshc.dev/v1alpha1
                kind: Proxy
                metadata:
                  name: ingressgateway
                  namespace: istio-system
                spec:
                  role: gateway
                  labels: {istio: ingressgateway}
                  address: 127.0.0.1
                  ports:
                  - {port: 80, listenPort: \(http)}
                  - {port: 5432, listenPort: \(tcpDenied)}
                  - {port: 5433, listenPort: \(tcpAllowed)}
                  admin: {port: \(ports[3])}
                """,
            ] + policies)
            let out = try bed.build(manifests)
            envoy = try bed.envoy(bootstrap: try bed.builtBootstrap(out, proxy: "ingressgateway", manifests: manifests))
            guard poll(seconds: 5, { [http] in Loopback.accepts(port: http) }) else { throw HarnessError("the gateway did not listen\n\(envoy.logTail())") }
        }

        func get(_ path: String, token: String? = nil) throws -> HTTPResponse {
            try HTTPConnection(port: http).request("GET", path, headers: token.map { [("Authorization", "Bearer \($0)")] } ?? [])
        }
    }

    static func policies(jwks: String) -> [String] {
        [
            """
            apiVersion: security.istio.io/v1
            kind: RequestAuthentication
            metadata:
              name: tokens
              namespace: istio-system
            spec:
              selector:
                matchLabels: {istio: ingressgateway}
              jwtRules:
              - issuer: \(issuer)
                jwks: '\(jwks)'
            """,
            """
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata:
              name: edge
              namespace: istio-system
            spec:
              selector:
                matchLabels: {istio: ingressgateway}
              rules:
              - from:
                - source:
                    requestPrincipals: ["\(issuer)/*"]
                to:
                - operation:
                    paths: [/api/*]
              - to:
                - operation:
                    paths: [/admin/*]
                when:
                - key: request.auth.claims[groups]
                  values: [admins]
              - to:
                - operation:
                    paths: [/public]
              - from:
                - source:
                    ipBlocks: [127.0.0.1/32]
                to:
                - operation:
                    ports: ["5433"]
            """,
        ]
    }

    @Test func jwtsAreVerifiedAndPrincipalsAndClaimsAuthorize() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let jwt = TestJWT()
        let gateway = try Gateway(bed, policies: Self.policies(jwks: jwt.jwks))
        let context = { gateway.envoy.logTail() }
        let valid = try jwt.token(["iss": Self.issuer, "sub": "alice"])
        let admin = try jwt.token(["iss": Self.issuer, "sub": "root", "groups": ["ops", "admins"]])
        let expired = try jwt.token(["iss": Self.issuer, "sub": "alice", "exp": Int(Date().timeIntervalSince1970) - 600])
        let stranger = try jwt.token(["iss": "https://elsewhere.test", "sub": "alice"])
        let forged = try TestJWT().token(["iss": Self.issuer, "sub": "alice"])

        let checks: [(String, String?, Int)] = [
            ("/api/orders", valid, 200),
            ("/api/orders", nil, 403),  // no token: no request principal, so the rule needing one does not match
            ("/api/orders", expired, 401),
            ("/api/orders", stranger, 401),
            ("/api/orders", forged, 401),  // signed by another key
            ("/admin/users", valid, 403),  // no groups claim
            ("/admin/users", admin, 200),  // groups contains admins
            ("/public", nil, 200),
            ("/elsewhere", valid, 403),
        ]
        for (path, token, status) in checks {
            let response = try gateway.get(path, token: token)
            let label = token == nil ? "no token" : token == valid ? "valid" : token == admin ? "admin" : token == expired ? "expired"
                : token == stranger ? "wrong issuer" : "forged"
            #expect(response.status == status, "\(path) with \(label): \(response.status) \(response.text)\n\(context())")
        }
    }

    /// Network RBAC: on TCP ports the HTTP-only rules (paths,
    /// requestPrincipals) never match an ALLOW, so 5432 (no rule names it)
    /// is closed; 5433 is allowed from 127.0.0.1 by ipBlocks and ports.
    @Test func tcpPortsFollowTheirRules() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let gateway = try Gateway(bed, policies: Self.policies(jwks: TestJWT().jwks))
        let allowed = try HTTPConnection(port: gateway.tcpAllowed).request("GET", "/", headers: [("Host", "backend")])
        #expect(allowed.status == 200 && allowed.text.hasPrefix("backend"), "TCP 5433: \(allowed.status) \(allowed.text)")
        let refused = try? HTTPConnection(port: gateway.tcpDenied, timeout: 3).request("GET", "/", headers: [("Host", "backend")])
        #expect(refused == nil, "TCP 5432 carried a request no rule allows: \(refused.map { "\($0.status) \($0.text)" } ?? "")")
        let stats = try gateway.envoy.admin("/stats?filter=rbac").text
        #expect(stats.contains("denied"), "no RBAC denial counted:\n\(stats)")
    }

    /// CUSTOM: requests the policy's rules match (paths /private/*) go to the
    /// mesh config's ext_authz service (a `meshc echo` answering 403), which
    /// denies them with its own answer; other requests are not sent to it.
    @Test func customPoliciesAskTheExternalService() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let authz = try bed.echo(text: "denied by ext-authz", status: 403)
        let gateway = try Gateway(bed, policies: [
            ScenarioManifests.serviceWithWorkload("ext-authz", port: authz.port),
            """
            apiVersion: meshc.dev/v1alpha1
            kind: MeshConfig
            metadata:
              name: mesh
              namespace: istio-system
            spec:
              extensionProviders:
              - name: checker
                envoyExtAuthzHttp:
                  service: ext-authz.default.svc.cluster.local
                  port: 80
                  timeout: 2s
            """,
            """
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata:
              name: external
              namespace: istio-system
            spec:
              selector:
                matchLabels: {istio: ingressgateway}
              action: CUSTOM
              provider: {name: checker}
              rules:
              - to:
                - operation:
                    paths: [/private/*]
            """,
        ])
        let open = try gateway.get("/public")
        #expect(open.status == 200 && open.text.hasPrefix("backend"), "/public: \(open.status) \(open.text)\n\(gateway.envoy.logTail())")
        let checked = try gateway.get("/private/report")
        #expect(checked.status == 403 && checked.text.contains("denied by ext-authz"),
                "/private/report: \(checked.status) \(checked.text)\n\(gateway.envoy.logTail())")
    }
}
