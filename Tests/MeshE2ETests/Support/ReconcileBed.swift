import Foundation
import MeshDiagnostics
import MeshTestSupport

/// A running `meshc reconcile`.
struct ReconcilerProcess {
    let process: Spawned
    /// Its HTTP port on 127.0.0.1.
    let port: Int
    /// The agents' token.
    let token: String
    /// The content of its `--webhook-secret-file` (nil: started without one, the webhook is off).
    let webhookSecret: String?

    /// `GET /status`, parsed.
    func status() throws -> JSON {
        let response = try HTTPConnection.get(port: port, "/status")
        guard response.status == 200 else { throw HarnessError("GET /status: \(response.status) \(response.text)") }
        return try JSON.parse(response.body)
    }

    /// The `state` of proxy `name` in `/status`.
    func state(_ name: String) throws -> String? {
        try status()["proxies"]?.items.first { $0["name"]?.text == name }?["state"]?.text
    }

    /// `POST /hooks/git` with `Authorization: Bearer <the webhook secret>` (or `token`).
    @discardableResult
    func hook(token: String? = nil) throws -> HTTPResponse {
        try hook(headers: [("authorization", "Bearer \(token ?? webhookSecret ?? "")")])
    }

    /// `POST /hooks/git` with exactly these `headers` and `body`.
    @discardableResult
    func hook(headers: [(String, String)], body: Data = Data()) throws -> HTTPResponse {
        try HTTPConnection(port: port).request("POST", "/hooks/git", headers: headers, body: body)
    }

    /// `/status` as text, for failure messages.
    var statusText: String { (try? status().rendered()) ?? "(no /status)" }

    var context: String { process.outputTail(lines: 40) }
}

extension TestBed {
    /// Starts `meshc reconcile --repo <repo> --listen 127.0.0.1:0 …` and waits for its "listening on" line;
    /// with a `webhookSecret` (a fresh one unless told) it gets `--webhook-secret-file`; `arguments` are added.
    func reconciler(repo: GitFixture, token: String, interval: String, name: String = "meshc-reconcile",
                    webhookSecret: String? = "webhook-\(UUID().uuidString)-\(UUID().uuidString)",
                    arguments extra: [String] = []) throws -> ReconcilerProcess {
        guard let envoy = Tools.envoy else { throw HarnessError(Tools.envoyMissing.rawValue) }
        let tokenFile = try writeOwnerOnly("\(name)-token", token + "\n")
        var arguments = [
            "reconcile", "--repo", repo.root, "--interval", interval, "--listen", "127.0.0.1:0",
            "--token-file", tokenFile, "--envoy", envoy, "--parallel", "4",
        ]
        if let webhookSecret { arguments += ["--webhook-secret-file", try writeOwnerOnly("\(name)-webhook-secret", webhookSecret + "\n")] }
        let (child, port) = try spawnListening(name: name, arguments: arguments + extra)
        return ReconcilerProcess(process: child, port: port, token: token, webhookSecret: webhookSecret)
    }

    /// `write`, then mode 600: secret files must be their owner's alone.
    func writeOwnerOnly(_ name: String, _ text: String) throws -> String {
        let path = try write(name, text)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        return path
    }
}

/// Manifests for the reconcile tests: the seed's S1/S2 plus declared gateway proxies on free ports.
enum ReconcileManifests {
    typealias M = ScenarioManifests

    /// A gateway `kind: Proxy` serving `istio: ingressgateway` on `listener`, its agent on `agent`.
    static func gatewayProxy(_ name: String, listener: Int, admin: Int, agent: Int) -> String {
        """
        apiVersion: meshc.dev/v1alpha1
        kind: Proxy
        metadata:
          name: \(name)
          namespace: istio-system
        spec:
          role: gateway
          labels:
            istio: ingressgateway
          address: 127.0.0.1
          ports:
          - port: 80
            listenPort: \(listener)
          admin:
            port: \(admin)
          agent:
            address: 127.0.0.1:\(agent)
        """
    }

    /// S1: everything to foo. S2 adds bar: `/bar` → bar, the rest → foo.
    static func scenario(foo: Int, bar: Int, pathRouting: Bool) -> [String: String?] {
        let routes = pathRouting
            ? "  - match:\n    - uri:\n        prefix: /bar\n    route:\n\(M.destination("http-echo-bar", indent: 4))\n  - route:\n\(M.destination("http-echo-foo"))"
            : "  - route:\n\(M.destination("http-echo-foo"))"
        return [
            "mesh/gateway.yaml": M.gateway + "\n",
            "mesh/foo.yaml": M.serviceWithWorkload("http-echo-foo", port: foo) + "\n",
            "mesh/bar.yaml": pathRouting ? M.serviceWithWorkload("http-echo-bar", port: bar) + "\n" : nil,
            "mesh/virtualservice.yaml": M.virtualService(http: routes) + "\n",
        ]
    }
}
