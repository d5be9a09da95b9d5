import Foundation
import MeshIdentity
import MeshSnapshot
import MeshTestSupport
import Testing
@testable import MeshAgent

/// AuthorizationPolicy on real Envoy with mesh mTLS identities (issue 11):
/// two callers, `frontend` (namespace default) and `intruder` (namespace
/// other), each through its own sidecar, call `backend` through the
/// backend's sidecar, which enforces the policies. Every sidecar runs under
/// a `meshc agent`; certificates come from a test CA as in `MTLSTests`.
@Suite(.tags(.e2e), .enabled(if: Tools.envoy != nil, Tools.envoyMissing))
struct AuthorizationTests {
    static let denied = "RBAC: access denied"

    struct Mesh {
        let bed: TestBed
        let backend: Int
        let frontendOutbound: Int, intruderOutbound: Int, inbound: Int
        let agents: [(proxy: String, agent: AgentProcess)]

        init(_ bed: TestBed) throws {
            self.bed = bed
            backend = try MTLSTests.Mesh.echo(bed)
            let ports = try Ports.free(3)
            (frontendOutbound, intruderOutbound, inbound) = (ports[0], ports[1], ports[2])
            let ca = try MeshCA.initialize(directory: bed.folder.appendingPathComponent("ca").path)
            var agents: [(String, AgentProcess)] = []
            for (proxy, namespace, account) in [("backend-sidecar", "default", "backend"), ("frontend-sidecar", "default", "frontend"),
                                                ("intruder-sidecar", "other", "intruder")] {
                let agent = try bed.agent(proxy: proxy, state: "\(account)/state")
                try MTLSTests.Mesh.issue(ca, namespace: namespace, serviceAccount: account, into: agent.stateDirectory)
                agents.append((proxy, agent))
            }
            self.agents = agents
        }

        func manifests(_ policies: [String]) -> String {
            ScenarioManifests.join([
                MTLSTests.peerAuthentication("STRICT"),
                ScenarioManifests.service("backend"),
                ScenarioManifests.workload("backend-v1", app: "backend", port: backend, serviceAccount: "backend"),
                ScenarioManifests.workload("frontend-v1", app: "frontend", port: 9, serviceAccount: "frontend"),
                ScenarioManifests.workload("intruder-v1", app: "intruder", port: 9, serviceAccount: "intruder", namespace: "other"),
                ScenarioManifests.sidecar("backend-sidecar", workload: "backend-v1", outbound: try! Ports.free(), inbound: (backend, inbound)),
                ScenarioManifests.sidecar("frontend-sidecar", workload: "frontend-v1", outbound: frontendOutbound, inbound: nil),
                ScenarioManifests.sidecar("intruder-sidecar", workload: "intruder-v1", outbound: intruderOutbound, inbound: nil,
                                          namespace: "other"),
            ] + policies)
        }

        /// The snapshot version each agent last applied (the precondition of the next PUT).
        var applied: [String: String] = [:]

        mutating func apply(_ policies: [String]) throws {
            let text = manifests(policies)
            for (proxy, agent) in agents {
                let bundle = try bed.bundle(text, listenerPort: 80, proxy: proxy)
                let response = try agent.put(bundle, ifMatch: applied[proxy])
                guard response.status == 200 else { throw HarnessError("PUT \(proxy): \(response.status) \(response.text)\n\(agent.context)") }
                applied[proxy] = bundle["version"]?.text
            }
        }

        /// `method path` to the backend through the frontend's (or the intruder's) sidecar.
        func call(from caller: String, _ method: String = "GET", _ path: String = "/", headers: [(String, String)] = []) throws -> HTTPResponse {
            let port = caller == "frontend" ? frontendOutbound : intruderOutbound
            return try HTTPConnection(port: port).request(method, path, headers: [("Host", "backend.default.svc.cluster.local")] + headers)
        }

        var context: String { agents.map { "--- \($0.proxy) ---\n\($0.agent.context)" }.joined(separator: "\n") }
    }

    static func policy(_ name: String, action: String, rules: String) -> String {
        """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata:
          name: \(name)
          namespace: default
        spec:
          selector:
            matchLabels: {app: backend}
          action: \(action)
          rules:
        \(rules)
        """
    }

    /// One policy set, every check through real sidecars: an ALLOW policy
    /// with a principal rule, a namespace rule (on a path), a header
    /// condition and two ipBlocks rules; a DENY policy on method and path.
    @Test func allowAndDenyByIdentityNamespaceHeaderAndAddress() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        var mesh = try Mesh(bed)
        try mesh.apply([
            Self.policy("callers", action: "ALLOW", rules: """
              - from:
                - source:
                    principals: [cluster.local/ns/default/sa/frontend]
              - from:
                - source:
                    namespaces: [other]
                to:
                - operation:
                    paths: [/from-other/*]
              - from:
                - source:
                    principals: [cluster.local/ns/other/sa/intruder]
                when:
                - key: request.headers[x-pass]
                  values: ["yes"]
              - from:
                - source:
                    ipBlocks: [127.0.0.0/8]
                to:
                - operation:
                    paths: [/loopback]
              - from:
                - source:
                    ipBlocks: [192.0.2.0/24]
                to:
                - operation:
                    paths: [/documentation-net]
            """),
            Self.policy("no-admin-deletes", action: "DENY", rules: """
              - to:
                - operation:
                    methods: [DELETE]
                    paths: [/admin/*]
            """),
        ])
        func expect(_ response: HTTPResponse, _ status: Int, _ what: String) {
            #expect(response.status == status, "\(what): \(response.status) \(response.text)\n\(mesh.context)")
            if status == 403 { #expect(response.text.contains(Self.denied), "\(what): \(response.text)") }
            if status == 200 { #expect(response.text.hasPrefix("backend"), "\(what): \(response.text)") }
        }
        expect(try mesh.call(from: "frontend"), 200, "the allowed principal")
        expect(try mesh.call(from: "intruder"), 403, "another sidecar's principal")
        expect(try mesh.call(from: "intruder", "GET", "/from-other/x"), 200, "the namespace rule")
        expect(try mesh.call(from: "intruder", headers: [("x-pass", "yes")]), 200, "the header condition")
        expect(try mesh.call(from: "intruder", headers: [("x-pass", "no")]), 403, "the header condition, wrong value")
        expect(try mesh.call(from: "intruder", "GET", "/loopback"), 200, "ipBlocks holding the caller's sidecar address")
        expect(try mesh.call(from: "intruder", "GET", "/documentation-net"), 403, "ipBlocks not holding it")
        expect(try mesh.call(from: "frontend", "GET", "/admin/users"), 200, "GET on the DENY path")
        expect(try mesh.call(from: "frontend", "DELETE", "/admin/users"), 403, "DELETE on the DENY path")
        expect(try mesh.call(from: "frontend", "DELETE", "/users"), 200, "DELETE elsewhere")
    }

    /// An ALLOW policy without rules allows nothing, not even the frontend.
    @Test func anEmptyAllowPolicyAllowsNothing() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        var mesh = try Mesh(bed)
        try mesh.apply([
            """
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata:
              name: allow-nothing
              namespace: default
            spec:
              selector:
                matchLabels: {app: backend}
            """,
        ])
        let response = try mesh.call(from: "frontend")
        #expect(response.status == 403, "\(response.status) \(response.text)\n\(mesh.context)")
    }

    /// Policies travel with the routes (RDS): a DENY policy added while
    /// connections are open applies to their next request, with no listener
    /// drain (the frontend's sidecar reuses its upstream connections).
    @Test func aNewPolicyAppliesToOpenConnections() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        var mesh = try Mesh(bed)
        try mesh.apply([])
        let connection = HTTPConnection(port: mesh.frontendOutbound)
        let before = try connection.request("GET", "/", headers: [("Host", "backend.default.svc.cluster.local")])
        #expect(before.status == 200, "\(before.status) \(before.text)\n\(mesh.context)")
        let backendAdmin = mesh.agents[0].agent.adminPort
        let modified = { try HTTPConnection(port: backendAdmin).request("GET", "/stats?filter=listener_manager.listener_modified").text }
        let listenersBefore = try modified()
        try mesh.apply([Self.policy("deny-all", action: "DENY", rules: "  - {}")])
        let after = try connection.request("GET", "/", headers: [("Host", "backend.default.svc.cluster.local")])
        #expect(after.status == 403 && after.text.contains(Self.denied), "\(after.status) \(after.text)\n\(mesh.context)")
        #expect(try modified() == listenersBefore, "the policy changed a listener of the backend's sidecar")
    }
}
