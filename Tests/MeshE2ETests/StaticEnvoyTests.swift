import Foundation
import MeshTestSupport
import Testing

/// The harness against real Envoy with hand-written static bootstraps:
/// SCENARIOS S1 (one route, Envoy's headers) and S3 (a 10/90 split).
/// Compiled bootstraps from `meshc build` go through the same
/// `TestBed.envoy(bootstrap:)` path.
@Suite(.tags(.e2e), .enabled(if: Tools.envoy != nil, Tools.envoyMissing))
struct StaticEnvoyTests {
    @Test func s1RouteAnswersFooWithEnvoyHeaders() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let foo = try bed.echo(text: "foo")
        let listener = try Ports.free()
        let bootstrap = try bed.write("bootstrap.json", StaticBootstrap.single(
            listenerPort: listener, cluster: .init(name: "http-echo-foo", port: foo.port)))
        let envoy = try bed.envoy(bootstrap: bootstrap)
        #expect(try envoy.listenerPort(named: "ingress") == listener)

        let response = try HTTPConnection.get(port: listener, "/")
        #expect(response.status == 200, "\(envoy.logTail())")
        #expect(response.text == "foo\n")
        #expect(response.header("server") == "envoy")
        #expect(response.header("x-envoy-upstream-service-time").flatMap(Int.init) != nil)
        #expect(try envoy.stat("cluster.http-echo-foo.upstream_rq_200") == 1)
    }

    @Test func s3WeightedSplitHoldsOver2000Requests() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let foo = try bed.echo(text: "foo"), bar = try bed.echo(text: "bar")
        let listener = try Ports.free()
        let bootstrap = try bed.write("bootstrap.json", StaticBootstrap.weighted(listenerPort: listener, [
            (.init(name: "http-echo-foo", port: foo.port), 10),
            (.init(name: "http-echo-bar", port: bar.port), 90),
        ]))
        let envoy = try bed.envoy(bootstrap: bootstrap)

        let total = 2000
        var counts: [String: Int] = [:]
        let connection = HTTPConnection(port: listener)
        let deadline = Date().addingTimeInterval(20)
        for _ in 0..<total where Date() < deadline {
            let response = try connection.request("GET", "/")
            counts[response.status == 200 ? response.text : "status \(response.status)", default: 0] += 1
        }
        let answered = counts.values.reduce(0, +)
        #expect(answered == total, "only \(answered) of \(total) requests within 20 s")
        #expect(Set(counts.keys) == ["foo\n", "bar\n"], "\(counts)\n\(envoy.logTail())")
        let share = Double(counts["foo\n", default: 0]) / Double(max(answered, 1))
        #expect(abs(share - 0.10) <= 0.03, "foo's share is \(share) (\(counts))")
    }

    @Test func validateModeIsTheOracle() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let good = try bed.write("good.json", StaticBootstrap.single(listenerPort: 1, cluster: .init(name: "foo", port: 2)))
        let accepted = try Envoy.validate(bootstrap: good)
        #expect(accepted.status == 0, "\(accepted.output)")

        let missing = StaticBootstrap.bootstrap(listenerPort: 1, clusters: [.init(name: "foo", port: 2)],
                                                route: #"{ "cluster": "nowhere" }"#)
        let rejected = try Envoy.validate(bootstrap: try bed.write("bad.json", missing))
        #expect(rejected.status != 0)
        #expect(rejected.output.contains("nowhere"), "\(rejected.output)")
    }

    @Test func aBadBootstrapFailsWithEnvoysReason() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let bootstrap = try bed.write("bad.json", #"{ "admin": { "address": { "socket_address": { "address": "127.0.0.1", "port_value": 0 } } }, "static_resources": { "clusters": [{ "name": "x", "type": "NOT_A_TYPE" }] } }"#)
        #expect {
            _ = try bed.envoy(bootstrap: bootstrap)
        } throws: { error in
            let text = String(describing: error)
            return text.contains("exited with status") && text.contains("NOT_A_TYPE")
        }
    }
}
