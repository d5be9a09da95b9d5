import Foundation
import MeshDiagnostics

/// A git repository the tests commit manifests to, through the `git` CLI.
struct TestRepository {
    let path: String

    /// `git init` in `<bed>/<name>`.
    init(bed: TestBed, name: String = "repo") throws {
        path = bed.folder.appendingPathComponent(name).path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try git("init", "-q", "-b", "main")
        try git("config", "user.email", "tests@meshc.invalid")
        try git("config", "user.name", "meshc tests")
    }

    /// Writes `files` (path → text; nil deletes) and commits them all; returns the sha.
    @discardableResult
    func commit(_ message: String, _ files: [String: String?]) throws -> String {
        for (name, text) in files {
            let file = URL(fileURLWithPath: path).appendingPathComponent(name)
            if let text {
                try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: file)
            } else {
                try? FileManager.default.removeItem(at: file)
            }
        }
        try git("add", "-A")
        try git("commit", "-q", "-m", message)
        return try git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @discardableResult
    func git(_ arguments: String...) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", path] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else { throw HarnessError("git \(arguments.joined(separator: " ")): \(text)") }
        return text
    }
}

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
    func reconciler(repo: TestRepository, token: String, interval: String, name: String = "meshc-reconcile") throws -> ReconcilerProcess {
        guard let envoy = Tools.envoy else { throw HarnessError(Tools.envoyMissing.rawValue) }
        let tokenFile = try write("\(name)-token", token + "\n")
        let (child, port) = try spawnListening(name: name, arguments: [
            "reconcile", "--repo", repo.path, "--interval", interval, "--listen", "127.0.0.1:0",
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
