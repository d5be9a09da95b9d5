import MeshDiagnostics
import MeshEmit
import MeshPlan
import MeshSnapshot
import Testing

/// The lines under a changed resource, from meshes compiled in-process (the S1 → S2 → S3 steps of the seed article).
@Suite struct ChangeDetailsTests {
    /// The detail lines of resource `name` of `type` when going from `running` to `desired` (YAML).
    static func details(_ type: EnvoyKind, _ name: String, from running: String?, to desired: String?) -> [String] {
        let plan = Planner.plan(desired: desired.map { Mesh.proxies($0) } ?? [], running: running.map { Mesh.proxies($0) } ?? [])
        let changes = plan.proxies.flatMap(\.changes).filter { $0.type == type && $0.name == name }
        return changes.first?.details ?? ["(no \(type.label) \(name) in the plan)"]
    }

    static let foo = "outbound|80||foo.default.svc.cluster.local", bar = "outbound|80||bar.default.svc.cluster.local"

    @Test func pathRoutingAddsARouteAndTheBarBackend() {
        let s1 = Mesh.echo(http: Mesh.allToFoo), s2 = Mesh.echo(http: Mesh.pathRouting)
        #expect(Self.details(.route, "http.80", from: s1, to: s2) == ["+ * /bar* on *:80 → bar.default:80"])
        #expect(Self.details(.endpoint, Self.bar, from: s1, to: s2) == ["endpoints of bar.default:80: 127.0.0.1:18082"])
        let plan = Planner.plan(desired: Mesh.proxies(s2), running: Mesh.proxies(s1))
        #expect(plan.summaryLine == "Plan: 2 to create, 1 to update, 0 to delete (1 proxy changed).")
    }

    @Test func weightedRoutingReplacesTheTargetAndDropsTheBarRoute() {
        let s2 = Mesh.echo(http: Mesh.pathRouting), s3 = Mesh.echo(http: Mesh.weighted)
        #expect(Self.details(.route, "http.80", from: s2, to: s3) == [
            "* /* on *:80: foo.default:80 → foo.default:80 90%, bar.default:80 10%",
            "- * /bar* on *:80",
        ])
    }

    @Test func aMethodMatchNamesTheMethod() {
        func rules(_ host: String) -> String {
            """
              - match: [{uri: {exact: /bar}, method: {exact: GET}}]
                route: [{destination: {host: \(host), port: {number: 80}}}]
              - route: [{destination: {host: foo, port: {number: 80}}}]
            """
        }
        #expect(Self.details(.route, "http.80", from: Mesh.echo(http: rules("bar")), to: Mesh.echo(http: rules("foo")))
            == ["GET /bar on *:80: bar.default:80 → foo.default:80"])
    }

    @Test func routeSettingsChangesNameTheField() {
        let slow = Mesh.echo(http: """
              - route: [{destination: {host: foo, port: {number: 80}}}]
                timeout: 5s
            """)
        #expect(Self.details(.route, "http.80", from: Mesh.echo(http: Mesh.allToFoo), to: slow) == [#"* /* on *:80: route.timeout: "0s" → "5s""#])
    }

    @Test func aNewEndpointShowsTheAddressListsOnEndpointsAndCluster() {
        let one = Mesh.echo(http: Mesh.allToFoo), two = Mesh.echo(http: Mesh.allToFoo, fooAddresses: ["127.0.0.1", "127.0.0.2"])
        let line = "endpoints of foo.default:80: 127.0.0.1:18081 → 127.0.0.1:18081, 127.0.0.2:18081"
        #expect(Self.details(.endpoint, Self.foo, from: one, to: two) == [line])
        #expect(Self.details(.cluster, Self.foo, from: one, to: two) == [line])
    }

    @Test func aRemovedProxyListsItsRoutesAsRemoved() {
        let s2 = Mesh.echo(http: Mesh.pathRouting)
        #expect(Self.details(.route, "http.80", from: s2, to: nil) == ["- * /bar* on *:80", "- * /* on *:80"])
        #expect(Self.details(.cluster, Self.foo, from: s2, to: nil) == [])
    }

    /// Where route files are delivered is bound by whoever writes them: two
    /// build folders with different `--out` read back as the same listeners.
    @Test func whereRouteFilesGoChangesNoListener() throws {
        let proxy = try #require(Mesh.proxies(Mesh.echo(http: Mesh.allToFoo)).first)
        let listener = proxy[.listener][0]
        func readBack(_ folder: String) throws -> EnvoyResource {
            try EnvoyResource(kind: .listener, json: RouteSource.unbind(JSON.parse(RouteSource.bind(listener.bytes, folder: folder))))
        }
        #expect(try readBack("/a/gw") == listener)
        #expect(try readBack("/b/gw") == listener)
    }

    /// A route's manifest position is not in Envoy's configuration: moving the
    /// rule changes no route; renaming its VirtualService changes route names only.
    @Test func movedRulesChangeNoRouteAndRenamedOnesSaySo() {
        let echo = Mesh.echo(http: Mesh.allToFoo)
        #expect(Self.details(.route, "http.80", from: echo, to: "\n\n" + echo) == ["(no route http.80 in the plan)"])
        let renamed = echo.replacingOccurrences(of: "name: echo, namespace", with: "name: echo2, namespace")
        #expect(Self.details(.route, "http.80", from: echo, to: renamed) == ["only route names or metadata changed"])
    }

    /// Field changes that leave the addresses alone are named by field.
    @Test func clusterAndEndpointSettingsNameTheFields() throws {
        func assignment(weight: Int) -> String {
            #"{"cluster_name": "c", "endpoints": [{"lb_endpoints": [{"endpoint": {"address": {"socket_address": "#
                + #"{"address": "10.0.0.1", "port_value": 80}}}, "load_balancing_weight": \#(weight)}]}]}"#
        }
        func cluster(timeout: String, weight: Int) throws -> EnvoyResource {
            Mesh.resource(.cluster, try JSON.parse(#"{"name": "c", "connect_timeout": "\#(timeout)", "load_assignment": \#(assignment(weight: weight))}"#))
        }
        func endpoints(weight: Int) throws -> EnvoyResource {
            Mesh.resource(.endpoint, try JSON.parse(assignment(weight: weight)))
        }
        let plan = Planner.plan(
            desired: [ProxySnapshot(proxy: "p", clusters: [try cluster(timeout: "5s", weight: 2)], endpoints: [try endpoints(weight: 2)])],
            running: [ProxySnapshot(proxy: "p", clusters: [try cluster(timeout: "10s", weight: 1)], endpoints: [try endpoints(weight: 1)])])
        #expect(plan.proxies[0].changes.map(\.details) == [
            [#"connect_timeout: "10s" → "5s""#, "load_assignment.endpoints[0].lb_endpoints[0].load_balancing_weight: 1 → 2"],
            ["endpoints[0].lb_endpoints[0].load_balancing_weight: 1 → 2"],
        ])
    }
}
