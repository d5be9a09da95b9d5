import Foundation
import MeshIdentity
import MeshSnapshot
import MeshTestSupport
import Testing
@testable import MeshAgent

/// Mesh mutual TLS on real Envoy (issue 10, data plane): a frontend sidecar
/// calls `backend` through the backend's sidecar, each sidecar run by a
/// `meshc agent`. The test plays the mesh CA and the agents' issuance: it
/// makes a CA with `MeshCA`, a key and CSR per proxy, signs them for the
/// proxy's SPIFFE ID and writes the SDS files (`certs/default.json`,
/// `certs/ROOTCA.json`) into each agent's state folder before the bundles
/// are PUT. The backend (`meshc echo --echo-header x-forwarded-client-cert`)
/// answers with the XFCC header its sidecar set.
@Suite(.tags(.e2e), .enabled(if: Tools.envoy != nil, Tools.envoyMissing))
struct MTLSTests {
    static let xfcc = "x-forwarded-client-cert"
    static let frontendID = "spiffe://cluster.local/ns/default/sa/frontend"
    static let backendID = "spiffe://cluster.local/ns/default/sa/backend"

    /// The two sidecars, their agents and the backend.
    struct Mesh {
        let bed: TestBed
        let backend: Int
        let outbound: Int, inbound: Int
        let frontendAgent: AgentProcess, backendAgent: AgentProcess

        /// Starts the backend and both agents, with certificates in place.
        init(_ bed: TestBed) throws {
            self.bed = bed
            backend = try Self.echo(bed)
            let ports = try Ports.free(2)
            (outbound, inbound) = (ports[0], ports[1])
            frontendAgent = try bed.agent(proxy: "frontend-sidecar", state: "frontend/state")
            backendAgent = try bed.agent(proxy: "backend-sidecar", state: "backend/state")
            let ca = try MeshCA.initialize(directory: bed.folder.appendingPathComponent("ca").path)
            try Self.issue(ca, namespace: "default", serviceAccount: "frontend", into: frontendAgent.stateDirectory)
            try Self.issue(ca, namespace: "default", serviceAccount: "backend", into: backendAgent.stateDirectory)
        }

        /// The mesh around the two sidecars, with `policies` (PeerAuthentication, DestinationRule) appended.
        func manifests(_ policies: [String]) -> String {
            ScenarioManifests.join([
                ScenarioManifests.service("backend"),
                ScenarioManifests.workload("backend-v1", app: "backend", port: backend, serviceAccount: "backend"),
                ScenarioManifests.service("frontend"),
                ScenarioManifests.workload("frontend-v1", app: "frontend", port: 9, serviceAccount: "frontend"),
                ScenarioManifests.sidecar("frontend-sidecar", workload: "frontend-v1", outbound: outbound, inbound: nil),
                ScenarioManifests.sidecar("backend-sidecar", workload: "backend-v1", outbound: try! Ports.free(), inbound: (backend, inbound)),
            ] + policies)
        }

        /// Compiles `policies` and PUTs each sidecar's bundle to its agent (backend first).
        func apply(_ policies: [String]) throws {
            let text = manifests(policies)
            for (agent, proxy) in [(backendAgent, "backend-sidecar"), (frontendAgent, "frontend-sidecar")] {
                let bundle = try bed.bundle(text, listenerPort: 80, proxy: proxy)
                let response = try agent.put(bundle, ifMatch: nil)
                guard response.status == 200 else { throw HarnessError("PUT \(proxy): \(response.status) \(response.text)\n\(agent.context)") }
            }
        }

        /// GET / through the frontend's sidecar (the mesh path).
        func viaFrontend() throws -> HTTPResponse {
            try HTTPConnection(port: outbound).request("GET", "/", headers: [("Host", "backend.default.svc.cluster.local")])
        }

        /// GET / in plain text straight to the backend's sidecar (a client without a sidecar); nil when the connection fails.
        func plaintext() -> HTTPResponse? {
            try? HTTPConnection(port: inbound, timeout: 3).request("GET", "/", headers: [("Host", "backend")])
        }

        /// A key, a CSR and a certificate for the identity, written as the agent will: SDS files Envoy's user can read.
        static func issue(_ ca: MeshCA, namespace: String, serviceAccount: String, into state: URL) throws {
            let identity = try SPIFFEID(namespace: namespace, serviceAccount: serviceAccount)
            let key = WorkloadKey.generate()
            let issued = try ca.sign(csrPEM: try makeCSR(key: key, identity: identity), expectedIdentity: identity)
            let certs = state.appendingPathComponent("certs")
            try FileManager.default.createDirectory(at: certs, withIntermediateDirectories: true)
            for (name, text) in [
                (SecretSource.certificate, SecretSource.certificateFile(chainPEM: issued.fullChainPEM, keyPEM: key.pem, version: issued.serial)),
                (SecretSource.root, SecretSource.rootFile(rootPEM: issued.rootPEM, version: issued.serial)),
            ] {
                let path = state.appendingPathComponent(SecretSource.file(name)).path
                try Data(text.utf8).write(to: URL(fileURLWithPath: path))
                try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: path)
            }
        }

        /// `meshc echo --echo-header x-forwarded-client-cert` on a free port; its port.
        static func echo(_ bed: TestBed) throws -> Int {
            let child = try bed.spawn(name: "echo-backend", executable: Tools.meshc,
                                      arguments: ["echo", "--text", "backend", "--listen", "127.0.0.1:0", "--echo-header", MTLSTests.xfcc])
            var bound: Int?
            let ready = poll(seconds: 10) {
                bound = TestBed.announced("meshc echo: listening on ", stderr: child.stderrPath)
                return !child.isRunning || bound.map(Loopback.accepts(port:)) == true
            }
            guard ready, child.isRunning, let bound else { throw HarnessError("meshc echo did not start\n\(child.outputTail())") }
            return bound
        }
    }

    static func peerAuthentication(_ mode: String) -> String {
        """
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata:
          name: default
          namespace: istio-system
        spec:
          mtls:
            mode: \(mode)
        """
    }

    static func destinationRule(subjectAltName: String) -> String {
        """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata:
          name: backend
          namespace: default
        spec:
          host: backend.default.svc.cluster.local
          trafficPolicy:
            tls:
              mode: ISTIO_MUTUAL
              subjectAltNames:
              - \(subjectAltName)
        """
    }

    /// The XFCC line the backend echoed, if any.
    static func xfccLine(_ response: HTTPResponse) -> String? {
        response.text.split(separator: "\n").first { $0.hasPrefix(xfcc + ": ") }.map(String.init)
    }

    @Test func strictRefusesPlaintextAndServesTheFrontendsSidecar() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let mesh = try Mesh(bed)
        try mesh.apply([Self.peerAuthentication("STRICT")])
        let response = try mesh.viaFrontend()
        #expect(response.status == 200, "\(response.status) \(response.text)\n\(mesh.frontendAgent.context)\n\(mesh.backendAgent.context)")
        // The backend sees who called: the frontend's SPIFFE ID as URI, its own sidecar's as By.
        let line = Self.xfccLine(response) ?? ""
        #expect(line.contains("URI=\(Self.frontendID)"), "XFCC: \(line)")
        #expect(line.contains("By=\(Self.backendID)"), "XFCC: \(line)")
        let plain = mesh.plaintext()
        #expect(plain == nil || plain?.status != 200, "a plaintext client was served under STRICT: \(plain?.text ?? "")")
    }

    @Test func permissiveServesBoth() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let mesh = try Mesh(bed)
        try mesh.apply([Self.peerAuthentication("PERMISSIVE")])
        let mtls = try mesh.viaFrontend()
        #expect(mtls.status == 200, "\(mtls.text)\n\(mesh.frontendAgent.context)")
        #expect(Self.xfccLine(mtls)?.contains("URI=\(Self.frontendID)") == true, "auto-mTLS: \(mtls.text)")
        let plain = mesh.plaintext()
        #expect(plain?.status == 200, "plain text under PERMISSIVE: \(plain.map { "\($0.status) \($0.text)" } ?? "connection failed")")
        // A plaintext caller gets no identity, and cannot forge one (the plain chain sanitizes XFCC).
        #expect(plain.flatMap(Self.xfccLine) == nil)
        let forged = try? HTTPConnection(port: mesh.inbound).request("GET", "/", headers: [("Host", "backend"), (Self.xfcc, "URI=spiffe://cluster.local/ns/default/sa/admin")])
        #expect(forged.flatMap(Self.xfccLine) == nil, "forged XFCC passed: \(forged?.text ?? "")")
    }

    @Test func disableServesPlaintext() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let mesh = try Mesh(bed)
        try mesh.apply([Self.peerAuthentication("DISABLE")])
        #expect(mesh.plaintext()?.status == 200)
        // Auto-mTLS sees DISABLE at the destination and sends plain text: no identity reaches the backend.
        let response = try mesh.viaFrontend()
        #expect(response.status == 200, "\(response.text)")
        #expect(Self.xfccLine(response) == nil)
    }

    @Test func istioMutualWithAWrongSANFailsClosed() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let mesh = try Mesh(bed)
        try mesh.apply([Self.peerAuthentication("STRICT"), Self.destinationRule(subjectAltName: "spiffe://cluster.local/ns/default/sa/impostor")])
        let wrong = try mesh.viaFrontend()
        #expect(wrong.status == 503, "the frontend's sidecar accepted a server without the expected SAN: \(wrong.status) \(wrong.text)")
        #expect(!wrong.text.hasPrefix("backend"))
    }

    @Test func istioMutualWithTheRightSANServes() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let mesh = try Mesh(bed)
        try mesh.apply([Self.peerAuthentication("STRICT"), Self.destinationRule(subjectAltName: Self.backendID)])
        let right = try mesh.viaFrontend()
        #expect(right.status == 200, "\(right.text)\n\(mesh.frontendAgent.context)")
    }
}
