import Foundation
import MeshTestSupport

/// Manifest text for the SCENARIOS end-to-end tests: the seed's Gateway,
/// Services and workloads, with workload ports filled in from the running
/// `meshc echo` backends.
enum ScenarioManifests {
    /// Gateway `http-gateway`: selector `istio: ingressgateway`, port 80, HTTP, any host.
    static let gateway = """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata:
          name: http-gateway
          namespace: default
        spec:
          selector:
            istio: ingressgateway
          servers:
          - port:
              number: 80
              name: http
              protocol: HTTP
            hosts:
            - "*"
        """

    /// Service `name`: port 80 named `http`, selector `app: <name>`.
    static func service(_ name: String) -> String {
        """
        apiVersion: v1
        kind: Service
        metadata:
          name: \(name)
          namespace: default
          labels:
            app: \(name)
        spec:
          selector:
            app: \(name)
          ports:
          - name: http
            port: 80
            protocol: TCP
        """
    }

    /// WorkloadEntry `name` on 127.0.0.1 with labels `app`/`version`, port `http` → `port`,
    /// and `serviceAccount` when given (its sidecar's identity).
    static func workload(_ name: String, app: String, version: String = "v1", port: Int, serviceAccount: String? = nil,
                         namespace: String = "default") -> String {
        """
        apiVersion: networking.istio.io/v1
        kind: WorkloadEntry
        metadata:
          name: \(name)
          namespace: \(namespace)
        spec:
          address: 127.0.0.1\(serviceAccount.map { "\n  serviceAccount: \($0)" } ?? "")
          labels:
            app: \(app)
            version: \(version)
          ports:
            http: \(port)
        """
    }

    /// A sidecar `kind: Proxy` in front of WorkloadEntry `workload`: outbound
    /// listener on `outbound`, the workload's `inbound.port` taken on
    /// `inbound.listen`, Envoy's admin on `admin` and its agent at
    /// 127.0.0.1:`agent` when given.
    static func sidecar(_ name: String, workload: String, outbound: Int, admin: Int? = nil, agent: Int? = nil,
                        inbound: (port: Int, listen: Int)?, namespace: String = "default") -> String {
        var text = """
            apiVersion: meshc.dev/v1alpha1
            kind: Proxy
            metadata:
              name: \(name)
              namespace: \(namespace)
            spec:
              role: sidecar
              workload: \(workload)
              address: 127.0.0.1
              outboundPort: \(outbound)
            """
        if let admin { text += "\n  admin:\n    port: \(admin)" }
        if let agent { text += "\n  agent:\n    address: 127.0.0.1:\(agent)" }
        if let inbound { text += "\n  ports:\n  - port: \(inbound.port)\n    listenPort: \(inbound.listen)" }
        return text
    }

    /// Service `name` plus one workload `<name>-v1` on `port`.
    static func serviceWithWorkload(_ name: String, port: Int) -> String {
        service(name) + "\n---\n" + workload("\(name)-v1", app: name, port: port)
    }

    /// VirtualService `http-echo` bound to `http-gateway`, hosts `"*"`, with
    /// `http` as the YAML of its `http:` list (indented by two spaces, items at column 2).
    static func virtualService(http: String) -> String {
        """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: http-echo
          namespace: default
        spec:
          hosts:
          - "*"
          gateways:
          - http-gateway
          http:
        \(http)
        """
    }

    /// A `destination:` entry for `<service>.default.svc.cluster.local` port 80,
    /// as a route list item at `indent` spaces, with an optional weight.
    static func destination(_ service: String, weight: Int? = nil, indent: Int = 4) -> String {
        let pad = String(repeating: " ", count: indent)
        var text = """
            \(pad)- destination:
            \(pad)    host: \(service).default.svc.cluster.local
            \(pad)    port:
            \(pad)      number: 80
            """
        if let weight { text += "\n\(pad)  weight: \(weight)" }
        return text
    }

    /// Gateway proxy `ingressgateway` (istio-system, labels `istio: ingressgateway`) serving port 80 on
    /// 127.0.0.1:`listenPort`, its admin on `admin`, and the Gateway `edge` on it: `hosts` over HTTP.
    static func edgeGateway(listenPort: Int, admin: Int, hosts: String) -> String {
        """
        apiVersion: meshc.dev/v1alpha1
        kind: Proxy
        metadata: {name: ingressgateway, namespace: istio-system}
        spec:
          role: gateway
          labels: {istio: ingressgateway}
          address: 127.0.0.1
          ports:
          - {port: 80, listenPort: \(listenPort)}
          admin: {port: \(admin)}
        ---
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: edge, namespace: istio-system}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 80, name: http, protocol: HTTP}
            hosts: \(hosts)
        """
    }

    /// Documents joined into one multi-document YAML file.
    static func join(_ documents: [String]) -> String {
        documents.joined(separator: "\n---\n") + "\n"
    }
}

/// A gateway Envoy running a bootstrap that `meshc build` compiled.
struct CompiledGateway {
    let envoy: EnvoyProxy
    /// The gateway's port-80 listener, moved by `--port-offset`.
    let port: Int
    /// The manifests compiled, for failure messages.
    let manifests: String
    /// `meshc build`'s output folder.
    let out: URL

    /// Envoy's log tail and the manifests, for failure messages.
    var context: String { "\(envoy.logTail())\n--- manifests ---\n\(manifests)" }
}

/// Why a compiled scenario could not be served: `meshc build` failed, or Envoy
/// rejected what it wrote. Carries the manifest and the tool's own message.
struct CompiledScenarioError: Error, CustomStringConvertible {
    var stage: String
    var message: String
    var manifests: String
    var description: String {
        "\(stage)\n\(message)\n--- manifests ---\n\(manifests)"
    }
}

extension TestBed {
    /// Writes `manifests` to `<folder>/manifests/mesh.yaml`, runs the built
    /// `meshc build --out <folder>/build --port-offset … --admin-port … <folder>/manifests`
    /// as a subprocess, then starts Envoy on the gateway's compiled bootstrap.
    ///
    /// The listener and admin ports are free loopback ports picked here.
    /// Throws `CompiledScenarioError` with meshc's or Envoy's message when
    /// the build fails or Envoy rejects its output.
    /// `staticBootstrap`: the self-contained bootstrap (Envoy refuses a bad
    /// resource at start, which the scenarios report as a compiler bug);
    /// false runs the default one, which reads the folder's xDS files.
    func compiledGateway(_ manifests: String, proxy: String = "gateway-istio-ingressgateway",
                         staticBootstrap: Bool = true) throws -> CompiledGateway {
        let listener = try Ports.free(), admin = try Ports.free()
        let out = try build(manifests, arguments: [
            "--port-offset", String(listener - 80), "--admin-port", String(admin), "--listen-address", "127.0.0.1",
        ] + (staticBootstrap ? ["--static-bootstrap"] : []))
        let bootstrap = try builtBootstrap(out, proxy: proxy, manifests: manifests)
        let envoy: EnvoyProxy
        do {
            envoy = try self.envoy(bootstrap: bootstrap)
        } catch {
            throw CompiledScenarioError(stage: "COMPILER BUG? Envoy rejected the compiled bootstrap \(proxy)/bootstrap.json",
                                        message: String(describing: error), manifests: manifests)
        }
        // The listener must be up before the first request: /ready is LIVE
        // only after listeners are bound, but check it with a connect anyway.
        guard poll(seconds: 5, { Loopback.accepts(port: listener) }) else {
            let listeners = (try? envoy.admin("/listeners").text) ?? "?"
            throw CompiledScenarioError(stage: "COMPILER BUG? the compiled gateway does not accept connections on 127.0.0.1:\(listener) (port 80 + offset \(listener - 80))",
                                        message: "Envoy listeners: \(listeners)\n\(envoy.logTail())", manifests: manifests)
        }
        return CompiledGateway(envoy: envoy, port: listener, manifests: manifests, out: out)
    }

    /// Writes `manifests` to `<folder>/manifests/mesh.yaml` and runs the built
    /// `meshc build --out <folder>/build <arguments> <folder>/manifests`;
    /// returns the output folder. Throws `CompiledScenarioError` with meshc's message on failure.
    func build(_ manifests: String, arguments: [String] = []) throws -> URL {
        try write("manifests/mesh.yaml", manifests)
        let out = folder.appendingPathComponent("build")
        try? FileManager.default.removeItem(at: out)
        let build = try Tools.meshc(["build", "--out", out.path] + arguments + [folder.appendingPathComponent("manifests").path],
                                    timeout: 30)
        guard build.status == 0 else {
            throw CompiledScenarioError(stage: "meshc build exited with status \(build.status)", message: build.stdout + build.stderr, manifests: manifests)
        }
        return out
    }

    /// The path of `proxy`'s bootstrap in a build output folder; throws when meshc wrote none.
    func builtBootstrap(_ out: URL, proxy: String, manifests: String) throws -> String {
        let bootstrap = out.appendingPathComponent(proxy).appendingPathComponent("bootstrap.json").path
        guard FileManager.default.fileExists(atPath: bootstrap) else {
            throw CompiledScenarioError(stage: "COMPILER BUG? meshc build wrote no \(bootstrap)", message: "", manifests: manifests)
        }
        return bootstrap
    }
}

/// Tallies of response texts (or `status N` for non-200s) over a bounded loop.
struct Tally: CustomStringConvertible {
    var counts: [String: Int] = [:]
    var total: Int { counts.values.reduce(0, +) }
    subscript(_ key: String) -> Int { counts[key, default: 0] }
    func share(_ key: String) -> Double { Double(self[key]) / Double(max(total, 1)) }
    var description: String { counts.sorted { $0.key < $1.key }.map { "\($0.key.debugDescription): \($0.value)" }.joined(separator: ", ") }

    /// Sends up to `count` GETs for `path` on one keep-alive connection,
    /// stopping at `seconds`; 200s count by body text, others as `status N`.
    static func requests(_ count: Int, port: Int, path: String = "/", seconds: Double = 10) throws -> Tally {
        var tally = Tally()
        let connection = HTTPConnection(port: port)
        let deadline = Date().addingTimeInterval(seconds)
        for _ in 0..<count where Date() < deadline {
            let response = try connection.request("GET", path)
            tally.counts[response.status == 200 ? response.text : "status \(response.status)", default: 0] += 1
        }
        return tally
    }
}

/// What `meshc route --format json` said about one request.
struct RouteAnswer {
    let text: String
    let json: [String: Any]

    /// The endpoint ports of every target, in order.
    var endpointPorts: [Int] {
        let targets = json["targets"] as? [[String: Any]] ?? []
        return targets.flatMap { ($0["endpoints"] as? [[String: Any]] ?? []).compactMap { $0["port"] as? Int } }
    }
}

extension TestBed {
    /// Runs `meshc route --format json --proxy <proxy> METHOD URL` on the manifests `build` wrote.
    func route(proxy: String, _ method: String, _ url: String, arguments: [String] = []) throws -> RouteAnswer {
        let run = try Tools.meshc(["route", "--format", "json", "--proxy", proxy] + arguments
                                  + [method, url, folder.appendingPathComponent("manifests").path], timeout: 30)
        let json = (try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8))) as? [String: Any] ?? [:]
        return RouteAnswer(text: run.stdout + run.stderr, json: json)
    }
}
