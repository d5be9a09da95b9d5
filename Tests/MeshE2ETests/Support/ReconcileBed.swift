import Foundation
import MeshDiagnostics
import MeshTestSupport

/// A running `meshc reconcile`.
struct ReconcilerProcess {
    let process: Spawned
    /// Its HTTP port on 127.0.0.1.
    let port: Int
    let token: String

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

    /// `POST /hooks/git` with the token (or `token`).
    @discardableResult
    func hook(token: String? = nil) throws -> HTTPResponse {
        try HTTPConnection(port: port).request("POST", "/hooks/git", headers: [("authorization", "Bearer \(token ?? self.token)")])
    }

    /// `/status` as text, for failure messages.
    var statusText: String { (try? status().rendered()) ?? "(no /status)" }

    var context: String { process.outputTail(lines: 40) }
}

extension TestBed {
    /// Starts `meshc reconcile --repo <repo> --listen 127.0.0.1:0 …` and waits for its "listening on" line.
    func reconciler(repo: GitFixture, token: String, interval: String, name: String = "meshc-reconcile") throws -> ReconcilerProcess {
        guard let envoy = Tools.envoy else { throw HarnessError(Tools.envoyMissing.rawValue) }
        let tokenFile = try write("\(name)-token", token + "\n")
        let (child, port) = try spawnListening(name: name, arguments: [
            "reconcile", "--repo", repo.root, "--interval", interval, "--listen", "127.0.0.1:0",
            "--token-file", tokenFile, "--envoy", envoy, "--parallel", "4",
        ])
        return ReconcilerProcess(process: child, port: port, token: token)
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
