import Foundation
@testable import MeshAgent
import MeshDiagnostics
import MeshEmit
import MeshIR
import MeshPipeline
import MeshSnapshot
import MeshSource
import MeshTestSupport
import Testing

/// `envoy --mode validate` on what a change brings, on real Envoy (`.venv/bin/envoy`).
@Suite(.tags(.e2e), .enabled(if: Tools.envoy != nil, Tools.envoyMissing))
struct EnvoyValidatorTests {
    static var envoy: String { Tools.envoy ?? "envoy" }

    static func gateway() throws -> ProxySnapshot {
        let state = try Pipeline().desired(SourceSnapshot.directory(PipelineTests.samples, under: "s2-path-routing")).get()
        return try #require(state.proxies.first { $0.name == "ingressgateway" }).snapshot
    }

    @Test func theCompiledGatewayPassesAndABrokenBootstrapIsRefusedWithEnvoysReason() async throws {
        let bootstrap = try #require(ValidationBootstrap.text(from: nil, to: Self.gateway()))
        let validator = EnvoyValidator(envoy: Self.envoy)
        #expect(await validator.validate(bootstrap) == nil)
        let broken = bootstrap.replacingOccurrences(of: "\"connect_timeout\"", with: "\"no_such_field\":1,\"connect_timeout\"")
        let reason = await validator.validate(broken)
        #expect(reason?.contains("no_such_field") == true, "\(reason ?? "accepted")")
    }

    /// A changed route configuration is validated by its changed hosts and
    /// stubs of the rest (`RouteReduction`): a changed host that takes an
    /// unchanged host's domain is still refused, and a good change passes.
    @Test func aReducedRouteStillCatchesADomainTakenFromAnUnchangedHost() async throws {
        func proxy(_ domains: [[String]]) -> ProxyConfig {
            ProxyConfig(
                name: "gw", role: .gateway, adminPort: 15000,
                listeners: [Listener(name: "127.0.0.1_8080", address: "127.0.0.1", port: 8080, routeConfigName: "http.80")],
                routeConfigs: [RouteConfig(name: "http.80", virtualHosts: domains.enumerated().map { index, domains in
                    VirtualHost(name: "host-\(index)", domains: domains, routes: [
                        Route(name: "r", match: RouteMatch(path: .prefix("/")), action: .cluster("outbound|80||svc-\(index)"),
                              source: Route.Source(file: "vs.yaml", line: 1, virtualService: "vs.default")),
                    ])
                })],
                clusters: domains.indices.map { Cluster(name: "outbound|80||svc-\($0)", endpoints: [Endpoint(address: "127.0.0.1", port: 9000)], discovery: .static) })
        }
        let running = Emitter.emit(proxy([["a.example.com"], ["b.example.com"], ["c.example.com"]])).snapshot
        let good = Emitter.emit(proxy([["a.example.com"], ["b.example.com", "b2.example.com"], ["c.example.com"]])).snapshot
        let taken = Emitter.emit(proxy([["a.example.com"], ["b.example.com", "c.example.com"], ["c.example.com"]])).snapshot
        let validator = EnvoyValidator(envoy: Self.envoy)
        let goodBootstrap = try #require(ValidationBootstrap.text(from: running, to: good))
        #expect(!goodBootstrap.contains("svc-0") && !goodBootstrap.contains("svc-2"))
        #expect(await validator.validate(goodBootstrap) == nil)
        let reason = await validator.validate(try #require(ValidationBootstrap.text(from: running, to: taken)))
        #expect(reason?.contains("c.example.com") == true, "\(reason ?? "accepted")")
    }

    /// Agents on one host share verdicts: the second validator never runs
    /// Envoy (its binary does not even exist) and gets the first one's answers.
    @Test func aSharedFolderValidatesEachBootstrapOncePerHost() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("meshc-verdicts-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let good = try #require(ValidationBootstrap.text(from: nil, to: Self.gateway()))
        let bad = good.replacingOccurrences(of: "\"connect_timeout\"", with: "\"no_such_field\":1,\"connect_timeout\"")
        let first = EnvoyValidator(envoy: Self.envoy, sharedFolder: folder)
        async let a = first.validate(good)
        async let b = first.validate(bad)
        let (okay, refused) = await (a, b)
        #expect(okay == nil)
        let second = EnvoyValidator(envoy: "/nonexistent/envoy", sharedFolder: folder)
        #expect(await second.validate(good) == nil)
        #expect(await second.validate(bad) == refused)
        #expect(refused?.contains("no_such_field") == true)
        let mode = try FileManager.default.attributesOfItem(atPath: folder)[.posixPermissions] as? Int
        #expect(mode == 0o700)
    }

    /// A verdict folder others can write is not trusted: a planted "valid" verdict changes nothing.
    @Test func aVerdictFolderOthersCanWriteIsIgnored() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("meshc-verdicts-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: folder)
        let good = try #require(ValidationBootstrap.text(from: nil, to: Self.gateway()))
        let bad = good.replacingOccurrences(of: "\"connect_timeout\"", with: "\"no_such_field\":1,\"connect_timeout\"")
        try Data().write(to: URL(fileURLWithPath: "\(folder)/\(ContentVersion.hex(bad)).ok"))
        let verdict = await EnvoyValidator(envoy: Self.envoy, sharedFolder: folder).validate(bad)
        #expect(verdict?.contains("no_such_field") == true, "\(verdict ?? "accepted")")
    }

    /// A pre-started Envoy waits on a named pipe: validations back to back
    /// (the next Envoy barely started) get the same verdicts as cold runs.
    @Test func aPrewarmedValidatorGivesTheSameVerdictsBackToBack() async throws {
        let good = try #require(ValidationBootstrap.text(from: nil, to: Self.gateway()))
        let bad = good.replacingOccurrences(of: "\"connect_timeout\"", with: "\"no_such_field\":1,\"connect_timeout\"")
        let validator = EnvoyValidator(envoy: Self.envoy, prewarm: true)
        validator.warmUp()
        for round in 0..<3 {
            #expect(await validator.validate(good + String(repeating: " ", count: round)) == nil, "round \(round)")
            validator.warmUp() // as the agent does once a change is live
            #expect(await validator.validate(bad + String(repeating: " ", count: round))?.contains("no_such_field") == true, "round \(round)")
        }
        validator.shutdown()
    }

    @Test func envoyThatHangsIsKilledAtTheTimeout() async throws {
        let started = Date()
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("meshc-hang-\(UUID().uuidString).sh")
        // `exec`: Envoy does not fork, and a grandchild holding the output pipe open would outlive the kill.
        let pidFile = script.path + ".pid"
        defer { try? FileManager.default.removeItem(atPath: pidFile) }
        try "#!/bin/sh\necho $$ > \(pidFile)\nexec sleep 600\n".write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        defer { try? FileManager.default.removeItem(at: script) }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("meshc-verdicts-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let hanging = EnvoyValidator(envoy: script.path, sharedFolder: folder, timeout: 0.3)
        let verdict = await hanging.validate("{}")
        #expect(verdict?.contains("did not finish within") == true, "\(verdict ?? "accepted")")
        // The script sleeps 600 s: well under that proves the kill. (Wall time, not 0.3 s: in the full parallel suite the
        // blocking end-to-end tests hold the 2 cooperative threads, and resuming this async test has waited over two minutes.)
        #expect(Date().timeIntervalSince(started) < 500, "killed long before the script would end")
        // And the process itself is gone (it would sleep on for minutes had it not been killed). On a loaded machine
        // the kill can come before the script wrote its pid: then nothing ran to outlive it. Reaping may lag the
        // verdict (it waits a bounded time), so the check allows a few seconds.
        if let pid = (try? String(contentsOfFile: pidFile, encoding: .utf8)).flatMap({ Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }) {
            #expect(await Subprocess.isGone(pid, by: .now + .seconds(5)), "the hanging Envoy (pid \(pid)) is still there")
        }
        let kept = try FileManager.default.contentsOfDirectory(atPath: folder).filter { !$0.hasSuffix(".lock") }
        #expect(kept.isEmpty, "a timeout says nothing about the config: no verdict is kept (\(kept))")
    }

    /// The shared folder stays bounded: past the limit, the older half goes.
    @Test func theSharedVerdictFolderIsPrunedOldestFirst() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("meshc-verdicts-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for index in 0..<10 {
            let path = "\(folder)/\(index).ok"
            try Data().write(to: URL(fileURLWithPath: path))
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: Double(1_000_000 + index))], ofItemAtPath: path)
        }
        EnvoyValidator.prune(folder, keeping: 20)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).count == 10, "under the limit nothing goes")
        EnvoyValidator.prune(folder, keeping: 6)
        #expect(try Set(FileManager.default.contentsOfDirectory(atPath: folder)) == Set((5..<10).map { "\($0).ok" }))
    }
}
