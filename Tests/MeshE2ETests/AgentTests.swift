import Foundation
import MeshDiagnostics
import MeshSnapshot
import MeshTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import MeshAgent

/// `meshc agent` end to end: the real `meshc agent` process supervising real
/// Envoy, bundles compiled by `meshc build`, `meshc echo` backends behind.
@Suite(.tags(.e2e), .enabled(if: Tools.envoy != nil, Tools.envoyMissing))
struct AgentTests {
    typealias M = ScenarioManifests

    /// S1 with two services; the VirtualService sends everything to `target`.
    private func manifests(foo: Int, bar: Int, target: String) -> String {
        M.join([
            M.gateway,
            M.serviceWithWorkload("http-echo-foo", port: foo),
            M.serviceWithWorkload("http-echo-bar", port: bar),
            M.virtualService(http: """
                  - route:
                \(M.destination(target))
                """),
        ])
    }

    /// Waits until the listener answers (Envoy binds it right after LDS).
    private func get(_ port: Int, _ connection: HTTPConnection? = nil) throws -> HTTPResponse {
        _ = poll(seconds: 5) { Loopback.accepts(port: port) }
        return try (connection ?? HTTPConnection(port: port)).request("GET", "/")
    }

    /// Echo backends `foo` and `bar`, a free listener port, and the bundles routing it to each.
    private func fooAndBar(_ bed: TestBed) throws -> (listener: Int, toFoo: JSON, toBar: JSON) {
        let foo = try bed.echo(text: "foo"), bar = try bed.echo(text: "bar")
        let listener = try Ports.free()
        return (listener, try bed.bundle(manifests(foo: foo.port, bar: bar.port, target: "http-echo-foo"), listenerPort: listener),
                try bed.bundle(manifests(foo: foo.port, bar: bar.port, target: "http-echo-bar"), listenerPort: listener))
    }

    @Test func appliesSnapshotsAndChangesRoutesWithoutRestartingEnvoy() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let (listener, toFoo, toBar) = try fooAndBar(bed)
        let agent = try bed.agent()

        #expect(try agent.request("GET", "/healthz", token: .some(nil)).status == 200)
        #expect(try agent.request("GET", "/v1/state", token: .some(nil)).status == 401)
        #expect(try agent.request("GET", "/v1/state", token: "wrong").status == 401)
        #expect(try agent.request("PUT", "/v1/snapshot", body: toFoo.rendered(), token: .some(nil)).status == 401)
        #expect(try agent.state().snapshotVersion == nil)
        #expect(try agent.request("PUT", "/v1/snapshot", body: toFoo.rendered()).status == 428, "a PUT needs a precondition")
        #expect(try agent.request("PUT", "/v1/snapshot", headers: [("if-match", "*")], body: "{\"proxy\": 1}").status == 400)

        let first = try agent.put(toFoo, ifMatch: nil)
        try #require(first.status == 200, "\(first.text)\n\(agent.context)")
        let applied = try JSONDecoder().decode(AgentState.self, from: first.body)
        let v1 = try #require(toFoo["version"]?.text)
        #expect(applied.snapshotVersion == v1)
        #expect(applied.resources.contains { $0.type == "routes" && $0.name == "http.80" })
        #expect(applied.envoy.ready && applied.envoy.restarts == 0)
        let connection = HTTPConnection(port: listener)
        #expect(try get(listener, connection).text == "foo\n", "\(agent.context)")

        let second = try agent.put(toBar, ifMatch: v1)
        try #require(second.status == 200, "\(second.text)\n\(agent.context)")
        // RDS: the open keep-alive connection sees the new route at once.
        #expect(try connection.request("GET", "/").text == "bar\n", "\(agent.context)")
        let state = try agent.state()
        #expect(state.snapshotVersion == toBar["version"]?.text)
        #expect(state.envoy.pid == applied.envoy.pid && state.envoy.restarts == 0, "a route change must not restart Envoy")

        // A writer that read v1 has lost the race: 409, nothing changes.
        let stale = try agent.put(toFoo, ifMatch: v1)
        #expect(stale.status == 409)
        #expect(try JSON.parse(stale.body)["snapshotVersion"]?.text == toBar["version"]?.text)
        #expect(try agent.put(toFoo, ifMatch: nil).status == 409, "If-None-Match: * only before the first snapshot")
        #expect(try connection.request("GET", "/").text == "bar\n")

        let snapshot = try agent.request("GET", "/v1/snapshot")
        #expect(snapshot.status == 200)
        #expect(try ProxySnapshot(bundle: snapshot.body) == ProxySnapshot(bundle: Array(toBar.rendered().utf8)))
    }

    /// The readout that confirmed an apply is the next one's baseline (no `/stats` walk before
    /// writing) while Envoy has not restarted; after a restart the baseline is read again, and
    /// either way the change is judged and served.
    @Test func anApplyTakesTheLastConfirmationAsItsBaselineUntilEnvoyRestarts() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let (listener, toFoo, toBar) = try fooAndBar(bed)
        let agent = try bed.agent(arguments: ["--verbose"])
        let log = { (try? String(contentsOfFile: agent.process.stderrPath, encoding: .utf8)) ?? "" }
        let baselines = { log().components(separatedBy: "\n").filter { $0.contains("ports checked and baseline") } }

        try #require(try agent.put(toFoo, ifMatch: nil).status == 200, "\(agent.context)")
        try #require(try agent.put(toBar, ifMatch: toFoo["version"]?.text).status == 200, "\(agent.context)")
        #expect(try get(listener).text == "bar\n", "\(agent.context)")
        #expect(baselines().count == 2 && baselines()[0].contains("baseline read"), "the first apply reads one: \(baselines())")
        #expect(baselines().last?.contains("baseline kept from the last apply") == true, "\(baselines())")

        // Envoy dies and the supervisor starts another: its counters start over, so the baseline is read.
        let pid = pid_t(try #require(try agent.state().envoy.pid))
        kill(pid, SIGKILL)
        try #require(poll(seconds: 15) { (try? agent.state()).map { $0.envoy.ready && $0.envoy.restarts == 1 } == true }, "\(agent.context)")
        try #require(poll(seconds: 10) { (try? get(listener).text) == "bar\n" }, "\(agent.context)")
        try #require(try agent.put(toFoo, ifMatch: toBar["version"]?.text).status == 200, "\(agent.context)")
        #expect(try get(listener).text == "foo\n", "\(agent.context)")
        #expect(baselines().count == 3 && baselines().last?.contains("baseline read") == true, "\(baselines())")
    }

    /// An agent killed with SIGKILL leaves its Envoy running; the next agent on
    /// the same state folder ends that orphan (its pid file) and serves the last good config.
    @Test func anAgentKilledWithoutItsEnvoyIsReplacedCleanly() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let foo = try bed.echo(text: "foo"), bar = try bed.echo(text: "bar")
        let listener = try Ports.free(), admin = try Ports.free(), token = UUID().uuidString
        let toFoo = try bed.bundle(manifests(foo: foo.port, bar: bar.port, target: "http-echo-foo"), listenerPort: listener)
        let first = try bed.agent(adminPort: admin, token: token, state: "agent/kept")
        try #require(try first.put(toFoo, ifMatch: nil).status == 200, "\(first.context)")
        let orphan = pid_t(try #require(try first.state().envoy.pid))
        kill(first.process.pid, SIGKILL)
        _ = first.process.wait(seconds: 5)
        #expect(kill(orphan, 0) == 0, "SIGKILL of the agent leaves its Envoy running")

        // Restarted with other flags (Envoy's command line differs): the orphan is still ours by its state folder.
        let second = try bed.agent(adminPort: admin, token: token, state: "agent/kept", arguments: ["--concurrency", "2"])
        #expect(poll(seconds: 10) { kill(orphan, 0) != 0 }, "the new agent ends the orphan Envoy\n\(second.context)")
        #expect(poll(seconds: 10) { (try? second.state().envoy.ready) == true }, "\(second.context)")
        #expect(poll(seconds: 10) { (try? HTTPConnection.get(port: listener, "/").text) == "foo\n" }, "the last good config serves\n\(second.context)")
        #expect(try second.state().snapshotVersion == toFoo["version"]?.text)
    }

    @Test func aConfigEnvoyRejectsIsRolledBackAndReported() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let foo = try bed.echo(text: "foo"), bar = try bed.echo(text: "bar")
        let listener = try Ports.free()
        let good = try bed.bundle(manifests(foo: foo.port, bar: bar.port, target: "http-echo-foo"), listenerPort: listener)
        let agent = try bed.agent()
        try #require(try agent.put(good, ifMatch: nil).status == 200, "\(agent.context)")
        let v1 = try #require(good["version"]?.text)

        // A second listener on a port the foo backend holds: Envoy cannot bind it,
        // and the route change that comes with it must not stay either.
        let toBar = try bed.bundle(manifests(foo: foo.port, bar: bar.port, target: "http-echo-bar"), listenerPort: listener)
        let blocked = try #require(Self.withListener(toBar, copying: listener, to: foo.port, name: "blocked"))
        // A load loop while it is refused: not one request may meet the rejected routes.
        let load = LoadLoop(port: listener)
        let refused = try agent.put(blocked, ifMatch: v1)
        let answers = load.stop()
        #expect(refused.status == 422, "\(refused.text)\n\(agent.context)")
        #expect(answers["foo\n", default: 0] > 0 && answers.keys.allSatisfy { $0 == "foo\n" },
                "every request during the refused push is served by the applied routes: \(answers)")
        let reason = try JSON.parse(refused.body)["reason"]?.text ?? ""
        #expect(reason.contains("Address already in use"), "\(reason)")
        var state = try agent.state()
        #expect(state.snapshotVersion == v1)
        #expect(state.lastRejection?.version == (try ProxySnapshot(bundle: Array(blocked.rendered().utf8))).version)
        #expect(state.lastRejection?.reason == reason)
        #expect(try get(listener).text == "foo\n", "the old routes serve again\n\(agent.context)")

        // An unknown field: the agent's envoy --mode validate refuses it before anything is written.
        let unknown = try #require(Self.withClusterField(good, "no_such_field"))
        let second = try agent.put(unknown, ifMatch: v1)
        #expect(second.status == 422)
        #expect(try JSON.parse(second.body)["reason"]?.text?.contains("no_such_field") == true, "\(second.text)")
        #expect(try get(listener).text == "foo\n")

        // Envoy dies: the agent starts it again on the last good files.
        state = try agent.state()
        let pid = try #require(state.envoy.pid)
        kill(pid_t(pid), SIGKILL)
        var back: AgentState?
        let restarted = try poll(seconds: 15, every: 0.02) {
            back = try agent.state()
            return back?.envoy.pid != nil && back?.envoy.pid != pid && back?.envoy.ready == true
        }
        #expect(restarted, "\(agent.context)")
        #expect(back?.envoy.restarts == 1)
        #expect(try get(listener).text == "foo\n", "\(agent.context)")

        // SIGTERM: the agent stops its Envoy and exits 0.
        let envoyPid = try #require(back?.envoy.pid)
        #expect(agent.process.stop() == 0)
        #expect(kill(pid_t(envoyPid), 0) != 0, "Envoy must be gone with its agent")
    }

    /// Envoy not serving what the agent applied is drift in `/v1/state`: a
    /// hand-edited delivery file, a listener that could not bind its port when
    /// Envoy restarted. A push of the same version repairs both.
    @Test func aHandEditedFileAndAListenerThatLostItsPortAreDriftAndRepaired() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let foo = try bed.echo(text: "foo"), bar = try bed.echo(text: "bar")
        let listener = try Ports.free()
        let toFoo = try bed.bundle(manifests(foo: foo.port, bar: bar.port, target: "http-echo-foo"), listenerPort: listener)
        let agent = try bed.agent()
        try #require(try agent.put(toFoo, ifMatch: nil).status == 200, "\(agent.context)")
        let version = try #require(toFoo["version"]?.text)
        #expect(try agent.state().drift.isEmpty)

        // A hand edit of a delivery file (here one Envoy takes without a change in behaviour).
        let routeFile = agent.stateDirectory.appendingPathComponent("routes/http.80.pb")
        let original = try Data(contentsOf: routeFile)
        // The response's type_url (field 4) once more: a protobuf parser keeps the last, the same.
        let typeURL = Array("type.googleapis.com/envoy.config.route.v3.RouteConfiguration".utf8)
        try (original + Data([0x22, UInt8(typeURL.count)] + typeURL)).write(to: routeFile, options: .atomic)
        let edited = try agent.state()
        #expect(edited.snapshotVersion == version)
        #expect(edited.drift == ["routes/http.80.pb differs from what the agent wrote"], "\(edited.drift)")
        var repair = try agent.put(toFoo, ifMatch: version)
        #expect(repair.status == 200, "\(repair.text)")
        #expect(try agent.state().drift.isEmpty)
        #expect(try Data(contentsOf: routeFile) == original, "the agent's own file is back")
        #expect(try get(listener).text == "foo\n")

        // Envoy dies and, while it restarts, another process takes the listener's port.
        let pid = try #require(try agent.state().envoy.pid)
        kill(pid_t(pid), SIGKILL)
        let squatter = try Loopback.hold(port: listener)
        #expect(poll(seconds: 15) { (try? agent.state()).map { $0.envoy.ready && $0.envoy.pid != pid } == true }, "\(agent.context)")
        var lost: [String] = []
        #expect(poll(seconds: 5) { lost = (try? agent.state().drift) ?? []; return !lost.isEmpty }, "\(agent.context)")
        #expect(lost.first?.hasPrefix("listener ") == true && lost.first?.contains("not active in Envoy") == true, "\(lost)")
        repair = try agent.put(toFoo, ifMatch: version)
        #expect(repair.status == 422, "the port is still taken: \(repair.text)")
        close(squatter)
        // The kernel may take a moment to let the port go: a repair is tried again until it holds.
        #expect(try poll(seconds: 15, every: 0.2) {
            repair = try agent.put(toFoo, ifMatch: version)
            return repair.status == 200
        }, "\(repair.text)\n\(agent.context)")
        #expect(try agent.state().drift.isEmpty)
        #expect(try get(listener).text == "foo\n")
    }

    @Test func replacingAClusterDropsNoRequestInFlight() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let foo = try bed.echo(text: "foo"), bar = try bed.echo(text: "bar")
        let listener = try Ports.free()
        func only(_ service: String, port: Int) -> String {
            M.join([M.gateway, M.serviceWithWorkload(service, port: port), M.virtualService(http: "  - route:\n\(M.destination(service))")])
        }
        let toFoo = try bed.bundle(only("http-echo-foo", port: foo.port), listenerPort: listener)
        let toBar = try bed.bundle(only("http-echo-bar", port: bar.port), listenerPort: listener)
        let agent = try bed.agent()
        try #require(try agent.put(toFoo, ifMatch: nil).status == 200, "\(agent.context)")
        #expect(try get(listener).text == "foo\n")

        // Requests on one keep-alive connection while the cluster is swapped:
        // the old cluster may only go once no route names it.
        let tally = LockedTally()
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            defer { done.signal() }
            let connection = HTTPConnection(port: listener)
            let deadline = Date().addingTimeInterval(10)
            for _ in 0..<20_000 where !tally.stopped && Date() < deadline {
                guard let response = try? connection.request("GET", "/") else { tally.add("no answer"); continue }
                tally.add(response.status == 200 ? response.text : "status \(response.status)")
            }
        }
        _ = poll(seconds: 5) { tally.counts["foo\n", default: 0] > 20 }
        let put = try agent.put(toBar, ifMatch: toFoo["version"]?.text)
        _ = poll(seconds: 5) { tally.counts["bar\n", default: 0] > 20 }
        tally.stop()
        done.wait()
        #expect(put.status == 200, "\(put.text)\n\(agent.context)")
        #expect(Set(tally.counts.keys) == ["foo\n", "bar\n"], "every request answered by foo or bar: \(tally.counts)")
        let state = try agent.state()
        #expect(!state.resources.contains { $0.name.contains("http-echo-foo") }, "the foo cluster is gone afterwards")
    }

    @Test func theReconcilersClientSpeaksTheAPI() async throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let foo = try bed.echo(text: "foo"), bar = try bed.echo(text: "bar")
        let listener = try Ports.free()
        let good = try ProxySnapshot(bundle: Array(bed.bundle(manifests(foo: foo.port, bar: bar.port, target: "http-echo-foo"), listenerPort: listener).rendered().utf8))
        let agent = try bed.agent()
        let client = AgentClient(base: "http://127.0.0.1:\(agent.port)", token: agent.token + "\n")

        #expect(try await client.state().snapshotVersion == nil)
        #expect(try await client.snapshot() == nil)
        guard case .applied(let state) = try await client.put(good, ifMatch: nil) else {
            Issue.record("the first snapshot was not applied\n\(agent.context)")
            return
        }
        #expect(state.snapshotVersion == good.version)
        #expect(try await client.snapshot() == good)
        #expect(try await client.put(good, ifMatch: "older") == .stale(current: good.version))
        #expect(try await client.put(#"{"proxy": "gateway-istio-ingressgateway"}"#, ifMatch: "*")
            == .malformed("\"clusters\" is missing (a DiscoveryResponse, as in meshc build's clusters.json)"))
        // The agent validates what a push brings before it writes anything: an unknown field never reaches Envoy.
        let unknown = try #require(Self.withClusterField(try JSON.parse(good.bundle()), "no_such_field"))
        guard case .invalid(let reason) = try await client.put(unknown.rendered(), ifMatch: good.version) else {
            Issue.record("the unknown field was not refused by envoy --mode validate")
            return
        }
        #expect(reason.contains("no_such_field"))
        let after = try await client.state()
        #expect(after.snapshotVersion == good.version && after.lastRejection?.reason.contains("no_such_field") == true)
        await #expect(throws: AgentClient.Failure.self) {
            try await AgentClient(base: client.base, token: "wrong").state()
        }
    }

    /// `PATCH /v1/snapshot`: a delta over the applied snapshot changes the
    /// route like a whole bundle would; a delta over another version is
    /// stale, one naming what the agent does not hold is malformed, and a
    /// carried resource still meets the policy and `envoy --mode validate`.
    @Test func aDeltaOverTheAppliedSnapshotAppliesLikeTheWholeBundle() async throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let foo = try bed.echo(text: "foo"), bar = try bed.echo(text: "bar")
        let listener = try Ports.free()
        let toFoo = try ProxySnapshot(bundle: Array(bed.bundle(manifests(foo: foo.port, bar: bar.port, target: "http-echo-foo"), listenerPort: listener).rendered().utf8))
        let toBar = try ProxySnapshot(bundle: Array(bed.bundle(manifests(foo: foo.port, bar: bar.port, target: "http-echo-bar"), listenerPort: listener).rendered().utf8))
        let agent = try bed.agent()
        let client = AgentClient(base: "http://127.0.0.1:\(agent.port)", token: agent.token)
        #expect(try await client.patch(SnapshotDelta.text(from: toFoo, to: toBar), ifMatch: toFoo.version) == .stale(current: nil))
        guard case .applied = try await client.put(toFoo, ifMatch: nil) else {
            Issue.record("the first snapshot was not applied\n\(agent.context)")
            return
        }
        let connection = HTTPConnection(port: listener)
        #expect(try get(listener, connection).text == "foo\n", "\(agent.context)")
        let delta = SnapshotDelta.text(from: toFoo, to: toBar)
        #expect(delta.utf8.count < toBar.bundle().utf8.count / 2, "the kept clusters and listener go as runs of positions")
        #expect(try agent.request("PATCH", "/v1/snapshot", body: delta).status == 428, "a delta needs If-Match")
        #expect(try await client.patch(delta, ifMatch: "older") == .stale(current: toFoo.version))
        let missing = delta.replacingOccurrences(of: "\"listeners\":[", with: "\"listeners\":[\"nope\",")
        guard case .malformed(let reason) = try await client.patch(missing, ifMatch: toFoo.version) else {
            Issue.record("a delta keeping a listener the agent does not hold was not refused")
            return
        }
        #expect(reason.contains("nope"))
        guard case .applied(let state) = try await client.patch(delta, ifMatch: toFoo.version) else {
            Issue.record("the delta was not applied\n\(agent.context)")
            return
        }
        #expect(state.snapshotVersion == toBar.version)
        #expect(try connection.request("GET", "/").text == "bar\n", "\(agent.context)")
        #expect(try await client.snapshot() == toBar)
        // A carried cluster with an unknown field: validated like a bundle's, nothing written.
        let bundle = try #require(Self.withClusterField(try JSON.parse(toFoo.bundle()), "no_such_field"))
        let unknown = try ProxySnapshot(bundle: Array(bundle.rendered().utf8))
        guard case .invalid(let why) = try await client.patch(SnapshotDelta.text(from: toBar, to: unknown), ifMatch: toBar.version) else {
            Issue.record("the unknown field in a delta was not refused")
            return
        }
        #expect(why.contains("no_such_field"))
        #expect(try await client.state().snapshotVersion == toBar.version)
        // Kept names, as reconcilers before runs write them (and write to agents that refuse runs).
        guard case .applied = try await client.patch(SnapshotDelta.text(from: toBar, to: toFoo, keeping: .names), ifMatch: toBar.version) else {
            Issue.record("the delta keeping names was not applied\n\(agent.context)")
            return
        }
        #expect(try connection.request("GET", "/").text == "foo\n", "\(agent.context)")
    }

    /// An agent's policy passes what it applies: a delta's kept resources are
    /// the applied ones and are not walked again. The applied snapshot read
    /// back at start has not passed the policy of this run: the first delta
    /// over it is checked whole. Here the first run allowed an extension (a
    /// typed metadata value on the cluster) and the second does not: the
    /// delta that keeps that cluster and changes a route is refused.
    @Test func aDeltaAfterARestartChecksWhatItKeepsUnderThePolicyOfThisRun() async throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let foo = try bed.echo(text: "foo"), bar = try bed.echo(text: "bar")
        let listener = try Ports.free(), admin = try Ports.free(), token = UUID().uuidString
        let stringValue = "type.googleapis.com/google.protobuf.StringValue"
        let plain = try bed.bundle(manifests(foo: foo.port, bar: bar.port, target: "http-echo-foo"), listenerPort: listener)
        let metadata: JSON = .object(["typed_filter_metadata": .object(["test": .object(["@type": .string(stringValue), "value": .string("x")])])])
        let extended = try #require(Self.withClusterField(plain, "metadata", metadata)).rendered()
        let first = try ProxySnapshot(bundle: Array(extended.utf8))
        let moved = extended.replacingOccurrences(of: #""prefix":"/""#, with: #""prefix":"/moved""#)
        #expect(moved != extended, "the route's prefix is in the bundle")
        let second = try ProxySnapshot(bundle: Array(moved.utf8))

        let allowing = try bed.agent(adminPort: admin, token: token, state: "agent/policy", arguments: ["--allow-extension", stringValue])
        let client = AgentClient(base: "http://127.0.0.1:\(allowing.port)", token: token)
        guard case .applied = try await client.put(first, ifMatch: nil) else {
            Issue.record("the snapshot with the allowed extension was not applied\n\(allowing.context)")
            return
        }
        allowing.process.stop()

        let strict = try bed.agent(adminPort: admin, token: token, state: "agent/policy")
        let again = AgentClient(base: "http://127.0.0.1:\(strict.port)", token: token)
        #expect(poll(seconds: 10) { (try? strict.state().snapshotVersion) == first.version }, "\(strict.context)")
        let delta = SnapshotDelta.text(from: first, to: second)
        #expect(delta.contains("[0,"), "the cluster is kept as a run: \(delta.prefix(300))")
        guard case .invalid(let reason) = try await again.patch(delta, ifMatch: first.version) else {
            Issue.record("a delta keeping a resource this run's policy refuses was applied\n\(strict.context)")
            return
        }
        #expect(reason.contains(stringValue), "\(reason)")
        #expect(try await again.state().snapshotVersion == first.version)
    }

    /// `bundle` plus a copy of its listener on `port` named `name`.
    static func withListener(_ bundle: JSON, copying listenerPort: Int, to port: Int, name: String) -> JSON? {
        guard case .object(var members) = bundle, case .object(var listeners)? = members["listeners"],
              case .array(var items)? = listeners["resources"], let first = items.first else { return nil }
        let text = first.rendered().replacingOccurrences(of: "\"port_value\":\(listenerPort)", with: "\"port_value\":\(port)")
        guard var copy = (try? JSON.parse(Data(text.utf8)))?.members else { return nil }
        copy["name"] = .string(name)
        items.append(.object(copy))
        listeners["resources"] = .array(items)
        listeners["version_info"] = nil
        members["listeners"] = .object(listeners)
        members["version"] = nil // a bundle's version is its content's hash: the agent computes it
        return .object(members)
    }

    /// `bundle` with field `field` (`value`) added to its first cluster.
    static func withClusterField(_ bundle: JSON, _ field: String, _ value: JSON = .int(1)) -> JSON? {
        guard case .object(var members) = bundle, case .object(var clusters)? = members["clusters"],
              case .array(var items)? = clusters["resources"], case .object(var cluster)? = items.first else { return nil }
        cluster[field] = value
        items[0] = .object(cluster)
        clusters["resources"] = .array(items)
        clusters["version_info"] = nil
        members["clusters"] = .object(clusters)
        members["version"] = nil // a bundle's version is its content's hash: the agent computes it
        return .object(members)
    }
}

/// Response texts counted from another thread.
final class LockedTally: @unchecked Sendable {
    private let lock = NSLock()
    private var texts: [String: Int] = [:]
    private var halted = false

    var counts: [String: Int] { lock.withLock { texts } }
    var stopped: Bool { lock.withLock { halted } }
    func add(_ text: String) { lock.withLock { texts[text, default: 0] += 1 } }
    func stop() { lock.withLock { halted = true } }
}

/// GET / on a port in a loop on its own thread until `stop()`, counting answers by body.
final class LoadLoop: @unchecked Sendable {
    private let lock = NSLock()
    private var answers: [String: Int] = [:]
    private var running = true
    private let done = DispatchSemaphore(value: 0)

    init(port: Int) {
        Thread.detachNewThread { [self] in
            while lock.withLock({ running }) {
                let text = (try? HTTPConnection.get(port: port, "/", timeout: 2).text) ?? "(no answer)"
                lock.withLock { answers[text, default: 0] += 1 }
            }
            done.signal()
        }
        // At least one answer before the caller goes on.
        while lock.withLock({ answers.isEmpty }) { usleep(1_000) }
    }

    /// Stops the loop; the answers by body.
    func stop() -> [String: Int] {
        lock.withLock { running = false }
        done.wait()
        return lock.withLock { answers }
    }
}
