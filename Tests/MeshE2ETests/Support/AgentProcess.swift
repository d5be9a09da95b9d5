import Foundation
import MeshCompile
import MeshDiagnostics
import MeshPipeline
import MeshTestSupport
@testable import MeshAgent

/// A running `meshc agent` started by `TestBed.agent(proxy:)`, with its own Envoy.
struct AgentProcess {
    let process: Spawned
    /// The agent API's port on 127.0.0.1.
    let port: Int
    let token: String
    /// Envoy's admin port (the agent writes it into Envoy's bootstrap).
    let adminPort: Int
    let stateDirectory: URL

    /// One request to the agent API; `token: nil` sends none.
    func request(_ method: String, _ path: String, headers: [(String, String)] = [], body: String = "", token: String?? = .none) throws -> HTTPResponse {
        var fields = headers
        if let token = token ?? self.token { fields.append(("authorization", "Bearer \(token)")) }
        return try HTTPConnection(port: port, timeout: 30).request(method, path, headers: fields, body: Data(body.utf8))
    }

    /// `PUT /v1/snapshot` with `If-Match: ifMatch` (`If-None-Match: *` when nil).
    func put(_ bundle: JSON, ifMatch: String?) throws -> HTTPResponse {
        let precondition = ifMatch.map { ("if-match", $0 == "*" ? "*" : "\"\($0)\"") } ?? ("if-none-match", "*")
        return try request("PUT", "/v1/snapshot", headers: [("content-type", "application/json"), precondition], body: bundle.rendered())
    }

    /// `GET /v1/state`, decoded.
    func state() throws -> AgentState {
        let response = try request("GET", "/v1/state")
        guard response.status == 200 else { throw HarnessError("GET /v1/state: \(response.status) \(response.text)") }
        return try JSONDecoder().decode(AgentState.self, from: response.body)
    }

    /// The agent's log and its Envoy's, for failure messages.
    var context: String {
        let envoyLog = (try? String(contentsOf: stateDirectory.appendingPathComponent("envoy.log"), encoding: .utf8)) ?? ""
        return process.outputTail(lines: 30) + "\n--- envoy.log (tail) ---\n" + envoyLog.split(separator: "\n").suffix(20).joined(separator: "\n")
    }
}

extension TestBed {
    /// Starts `meshc agent --proxy <proxy>` (API on `port`, 0 picks one; Envoy
    /// admin on `adminPort` or a free port; state in `<bed>/<state>`; `token`
    /// or a fresh one; `arguments` added to the command line) and waits until its API answers.
    func agent(proxy: String = "gateway-istio-ingressgateway", port requested: Int = 0, adminPort: Int? = nil,
               token: String? = nil, state stateName: String = "agent/state", arguments extra: [String] = []) throws -> AgentProcess {
        guard let envoy = Tools.envoy else { throw HarnessError(Tools.envoyMissing.rawValue) }
        let token = token ?? UUID().uuidString
        let tokenFile = try write("\(stateName)-token", token + "\n")
        let state = folder.appendingPathComponent(stateName)
        let admin = try adminPort ?? Ports.free()
        let (child, port) = try spawnListening(name: "meshc-agent-\(proxy)", arguments: [
            "agent", "--proxy", proxy, "--state-dir", state.path, "--admin-port", String(admin),
            "--listen", "127.0.0.1:\(requested)", "--token-file", tokenFile, "--envoy", envoy, "--concurrency", "1",
            "--validation-cache", folder.appendingPathComponent("verdicts").path,
        ] + extra)
        return AgentProcess(process: child, port: port, token: token, adminPort: admin, stateDirectory: state)
    }

    /// The snapshot bundle of `manifests` (gateway listener on `listenerPort`),
    /// compiled through the pipeline as `meshc build` does: the body `PUT /v1/snapshot` takes.
    func bundle(_ manifests: String, listenerPort: Int, proxy: String = "gateway-istio-ingressgateway") throws -> JSON {
        var options = CompileOptions()
        options.portOffset = listenerPort - 80
        options.listenAddress = "127.0.0.1"
        options.proxies = [proxy]
        let pipeline = Pipeline(options: options)
        let built = pipeline.build(try pipeline.lint(sources: [.bytes(Array(manifests.utf8), name: "mesh.yaml")]))
        guard case .success(let build) = built, let emitted = build.proxies.first else {
            throw HarnessError("the manifests do not build \(proxy): \(built)\n--- manifests ---\n\(manifests)")
        }
        return try JSON.parse(emitted.snapshot.bundle())
    }
}
