import Foundation
import MeshTestSupport
import Testing

/// SCENARIOS S4 end to end: the frontend reaches `http-echo` through its own
/// sidecar Envoy, as the seed's nginx `proxy_pass` to
/// `http://http-echo.default.svc.cluster.local/` does. The test plays the
/// frontend: it sends to the sidecar's outbound listener with that authority.
/// `http-echo-v1` has a sidecar too, so its requests cross two Envoys (the
/// frontend's outbound, then v1's inbound) as in the seed's injected mesh.
///
/// Every proxy, port and workload is declared in the manifests (`kind: Proxy`);
/// `meshc build` needs no flags.
@Suite(.tags(.e2e), .enabled(if: Tools.envoy != nil, Tools.envoyMissing))
struct SidecarScenarioTests {
    typealias M = ScenarioManifests

    /// The S4 mesh around two echo backends: Service http-echo over
    /// workloads v1 (`foo`) and v2 (`bar`), the frontend's workload, and
    /// sidecars for the frontend and for v1. `rules` are appended as they are.
    struct Mesh {
        let foo: TestBed.Backend, bar: TestBed.Backend
        let outbound: Int, v1Inbound: Int, frontendAdmin: Int, v1Admin: Int

        init(_ bed: TestBed) throws {
            foo = try bed.echo(text: "foo")
            bar = try bed.echo(text: "bar")
            (outbound, v1Inbound, frontendAdmin, v1Admin) = try { let p = try Ports.free(4); return (p[0], p[1], p[2], p[3]) }()
        }

        func manifests(_ rules: [String] = []) -> String {
            M.join([
                M.service("http-echo"),
                M.workload("http-echo-v1", app: "http-echo", version: "v1", port: foo.port),
                M.workload("http-echo-v2", app: "http-echo", version: "v2", port: bar.port),
                M.service("frontend"),
                M.workload("frontend-v1", app: "frontend", port: 9),
                M.sidecar("frontend-sidecar", workload: "frontend-v1", outbound: outbound, admin: frontendAdmin, inbound: nil),
                M.sidecar("http-echo-v1-sidecar", workload: "http-echo-v1", outbound: try! Ports.free(), admin: v1Admin,
                        inbound: (foo.port, v1Inbound)),
            ] + rules)
        }
    }

    static let subsets = """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata:
          name: http-echo-version
          namespace: default
        spec:
          host: http-echo.default.svc.cluster.local
          subsets:
          - name: v1
            labels:
              version: v1
          - name: v2
            labels:
              version: v2
        """

    /// VirtualService http-echo-route for mesh traffic with `http` as its rule list.
    static func route(_ http: String) -> String {
        """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: http-echo-route
          namespace: default
        spec:
          hosts:
          - http-echo.default.svc.cluster.local
          http:
        \(http)
        """
    }

    /// Builds the manifests and starts both sidecars; nil (with one recorded issue) when the build or Envoy fails.
    private func start(_ bed: TestBed, _ manifests: String) throws -> (frontend: EnvoyProxy, v1: EnvoyProxy)? {
        do {
            let out = try bed.build(manifests)
            let frontend = try bed.envoy(bootstrap: try bed.builtBootstrap(out, proxy: "frontend-sidecar", manifests: manifests))
            let v1 = try bed.envoy(bootstrap: try bed.builtBootstrap(out, proxy: "http-echo-v1-sidecar", manifests: manifests))
            return (frontend, v1)
        } catch {
            Issue.record("\(error)")
            return nil
        }
    }

    /// `count` requests for `path` on the sidecar's outbound port with `authority`, tallied by body.
    private func tally(_ count: Int, port: Int, path: String = "/", authority: String = "http-echo.default.svc.cluster.local") throws -> Tally {
        var tally = Tally()
        let connection = HTTPConnection(port: port)
        defer { connection.close() }
        for _ in 0..<count {
            let response = try connection.request("GET", path, headers: [("Host", authority)])
            tally.counts[response.status == 200 ? response.text.trimmingCharacters(in: .whitespacesAndNewlines) : "status \(response.status)", default: 0] += 1
        }
        return tally
    }

    @Test func s4Step1NoRulesSpreadsOverBothVersions() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let mesh = try Mesh(bed)
        guard let proxies = try start(bed, mesh.manifests()) else { return }
        let tally = try tally(400, port: mesh.outbound)
        #expect(tally.total == 400, "\(tally)")
        #expect(tally.share("foo") > 0.35 && tally.share("bar") > 0.35, "about half each: \(tally)\n\(proxies.frontend.logTail())")
        // foo's answers crossed v1's sidecar: its inbound listener served them.
        let served = try proxies.v1.stat("listener.127.0.0.1_\(mesh.v1Inbound).http.127.0.0.1_\(mesh.v1Inbound).downstream_rq_2xx") ?? 0
        #expect(served == tally["foo"], "v1's sidecar served \(served) requests, foo answered \(tally["foo"])")
    }

    @Test func s4Step2SubsetV1OnlyFoo() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let mesh = try Mesh(bed)
        let manifests = mesh.manifests([Self.subsets, Self.route("""
              - match:
                - uri:
                    prefix: /
                route:
                - destination:
                    host: http-echo.default.svc.cluster.local
                    subset: v1
            """)])
        guard try start(bed, manifests) != nil else { return }
        let all = try tally(100, port: mesh.outbound)
        #expect(all.counts == ["foo": 100], "\(all)")
        // Istio's outbound names for the same service route the same way.
        for authority in ["http-echo", "http-echo.default", "http-echo.default.svc:80", "http-echo.default.svc.cluster.local:80"] {
            #expect(try tally(5, port: mesh.outbound, authority: authority).counts == ["foo": 5], "authority \(authority)")
        }
        #expect(try tally(1, port: mesh.outbound, authority: "unknown.example.com").counts == ["status 404": 1])
    }

    @Test func s4Step3FooToV1EverythingElseToV2() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let mesh = try Mesh(bed)
        let manifests = mesh.manifests([Self.subsets, Self.route("""
              - match:
                - uri:
                    prefix: /foo
                route:
                - destination:
                    host: http-echo.default.svc.cluster.local
                    subset: v1
              - route:
                - destination:
                    host: http-echo.default.svc.cluster.local
                    subset: v2
            """)])
        guard try start(bed, manifests) != nil else { return }
        // Who answers on each endpoint: v1 is reached through its sidecar's inbound port.
        let answers = [mesh.v1Inbound: "foo", mesh.bar.port: "bar"]
        for (path, expected) in [("/", "bar"), ("/foo", "foo"), ("/hoge", "bar")] {
            #expect(try tally(10, port: mesh.outbound, path: path).counts == [expected: 10], "GET \(path)")
            // `meshc route` reads the compiled IR and must agree with what Envoy did.
            let explained = try bed.route(proxy: "frontend-sidecar", "GET", "http://http-echo.default.svc.cluster.local\(path)")
            #expect(explained.endpointPorts.map { answers[$0] } == [expected], "meshc route for \(path): \(explained.text)")
        }
    }
}
