import Foundation
import MeshTestSupport
import Testing

/// SCENARIOS S6 and issue 4's promise: no failed request during change. A
/// load loop runs on the gateway (one keep-alive connection, as a client
/// pool would hold) while 50 commits shift the split's weights and add a
/// route each; every commit is applied by `meshc reconcile` through the
/// agent (webhook) before the next. Every answer must be a 200.
@Suite(.tags(.e2e), .enabled(if: Tools.envoy != nil, Tools.envoyMissing))
struct CanaryUnderLoadTests {
    typealias R = ReconcileManifests
    typealias M = ScenarioManifests

    /// Requests sent and what failed, from the load thread.
    final class Load: @unchecked Sendable {
        let lock = NSLock()
        var sent = 0
        var failures: [String] = []
        var stop = false
    }

    /// The VirtualService of commit `n`: `/r<n>` → bar, the rest split foo `weight`, bar `100 - weight`.
    static func virtualService(_ n: Int, weight: Int) -> String {
        M.virtualService(http: """
              - match:
                - uri:
                    prefix: /r\(n)
                route:
            \(M.destination("http-echo-bar", indent: 4))
              - route:
            \(M.destination("http-echo-foo", weight: weight))
            \(M.destination("http-echo-bar", weight: 100 - weight))
            """) + "\n"
    }

    @Test func fiftyCommitsShiftWeightsAndRoutesWithoutOneFailedRequest() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let token = UUID().uuidString
        let foo = try bed.echo(text: "foo"), bar = try bed.echo(text: "bar")
        var gateway = try ReconcileTests.Gateway("ingressgateway")
        try gateway.start(bed, token: token)
        let repo = try GitFixture(in: bed.folder)
        var files = R.scenario(foo: foo.port, bar: bar.port, pathRouting: true)
        files["mesh/proxies.yaml"] = gateway.manifest
        files["mesh/virtualservice.yaml"] = Self.virtualService(0, weight: 100)
        try repo.commit("weights 100/0", files)
        let reconciler = try bed.reconciler(repo: repo, token: token, interval: "60s")
        guard gateway.serves("/r0", "bar") else {
            Issue.record("the first commit was not served\n\(reconciler.context)")
            return
        }

        let load = Load(), port = gateway.listener
        let loader = Thread {
            var connection = HTTPConnection(port: port)
            while !load.lock.withLock({ load.stop }) {
                do {
                    let response = try connection.request("GET", "/")
                    load.lock.withLock {
                        load.sent += 1
                        if response.status != 200 { load.failures.append("status \(response.status): \(response.text)") }
                    }
                } catch {
                    load.lock.withLock { load.failures.append("\(error)") }
                    connection.close()
                    connection = HTTPConnection(port: port)
                }
            }
            connection.close()
        }
        loader.start()
        var unserved: [Int] = []
        for n in 1...50 {
            let weight = [90, 50, 10, 0, 100][n % 5]
            try repo.commit("commit \(n): foo \(weight), bar \(100 - weight), /r\(n) → bar",
                            ["mesh/virtualservice.yaml": Self.virtualService(n, weight: weight)])
            try reconciler.hook()
            if !gateway.serves("/r\(n)", "bar", within: 10) { unserved.append(n) }
        }
        load.lock.withLock { load.stop = true }
        while loader.isExecuting { usleep(10_000) }
        let (sent, failures) = load.lock.withLock { (load.sent, load.failures) }
        #expect(unserved.isEmpty, "commits never served: \(unserved)\n\(reconciler.context)")
        #expect(sent > 100, "the load loop sent \(sent) requests")
        #expect(failures.isEmpty, "\(failures.count) of \(sent) requests failed: \(failures.prefix(5))\n\(reconciler.context)")
        print("canary under load: \(sent) requests over 50 commits, \(failures.count) failed")
    }
}
