import Foundation
import Logging
import MeshIdentity
import MeshPipeline
import MeshSnapshot
import Synchronization
import Testing
@testable import MeshAgent
@testable import MeshReconcile

/// Issuance without processes: which proxies need a certificate and why
/// (`CertificateRules`, `ReconcileCore`), and `IdentityRound` against agents
/// in memory (real `AgentIdentity` actors writing to temporary folders, a real CA).
struct CertificateRoundTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static let web = "spiffe://cluster.local/ns/default/sa/web"

    static func certificate(identity: String? = web, root: String = "r1", issued: Date = t0, ttl: TimeInterval = 60) -> AgentState.Certificate {
        let iso = ISO8601DateFormatter()
        return AgentState.Certificate(serial: "01", notBefore: iso.string(from: issued.addingTimeInterval(-300)),
                                      expiry: iso.string(from: issued.addingTimeInterval(ttl)), identity: identity, root: root)
    }

    @Test(arguments: [
        (nil, 10.0, CertificateNeed.missing),
        (certificate(identity: "spiffe://cluster.local/ns/default/sa/db"), 10, .otherIdentity("spiffe://cluster.local/ns/default/sa/db")),
        (certificate(root: "r0"), 10, .otherRoot),
        (certificate(), 10, nil),
        (certificate(), 29, nil),
        (certificate(), 31, .halfLife),
        (certificate(), 61, .expired),
    ] as [(AgentState.Certificate?, Double, CertificateNeed?)])
    func whenACertificateIsDue(_ held: AgentState.Certificate?, _ seconds: Double, _ need: CertificateNeed?) {
        #expect(CertificateRules.need(held, identity: Self.web, root: "r1", now: Self.t0.addingTimeInterval(seconds)) == need)
    }

    @Test func aRenewalIsDueAtHalfLifeCountedFromIssuanceNotTheBackdatedStart() {
        #expect(CertificateRules.renewAt(Self.certificate(ttl: 86400)) == Self.t0.addingTimeInterval(43200))
        #expect(CertificateRules.renewAt(Self.certificate(ttl: 60)) == Self.t0.addingTimeInterval(30))
    }

    @Test func theCoreLooksAgainOnRecheckRenewalAndIdentityChangeAndBacksOff() {
        var core = ReconcileCore()
        core.desire([("gw", "127.0.0.1:1", "v1"), ("local", nil, "v1")])
        #expect(core.certificateDue("gw", identity: Self.web, recheck: 30, now: Self.t0))
        #expect(!core.certificateDue("local", identity: Self.web, recheck: 30, now: Self.t0), "no agent, no certificate")
        core.certificateIssued("gw", identity: Self.web, held: Self.certificate(ttl: 600), now: Self.t0)
        #expect(!core.certificateDue("gw", identity: Self.web, recheck: 30, now: Self.t0.addingTimeInterval(10)))
        #expect(core.certificateDue("gw", identity: "spiffe://cluster.local/ns/default/sa/db", recheck: 30, now: Self.t0.addingTimeInterval(10)))
        #expect(core.certificateDue("gw", identity: Self.web, recheck: 30, now: Self.t0.addingTimeInterval(30)))
        #expect(core.nextCertificateCheck(after: Self.t0, recheck: 30) == Self.t0.addingTimeInterval(30))
        #expect(core.nextCertificateCheck(after: Self.t0, recheck: 3600) == Self.t0.addingTimeInterval(300), "half of 600 s")

        core.certificateFailed("gw", reason: "the CA cannot be used", now: Self.t0.addingTimeInterval(300))
        #expect(core.records["gw"]?.certificate.error == "certificate not renewed: the CA cannot be used")
        #expect(core.records["gw"]?.certificate.held != nil, "the agent keeps what it has")
        #expect(!core.certificateDue("gw", identity: Self.web, recheck: 30, now: Self.t0.addingTimeInterval(300.1)), "backing off")
        #expect(core.certificateDue("gw", identity: Self.web, recheck: 30, now: Self.t0.addingTimeInterval(301)))

        core.desire([("gw", "127.0.0.1:2", "v1")])
        #expect(core.records["gw"]?.certificate == CertificateRecord(), "another agent starts afresh")
        core.certificateFailed("gw", reason: "no proof", now: Self.t0)
        #expect(core.records["gw"]?.certificate.error == "certificate not issued: no proof")
    }

    // MARK: IdentityRound against agents in memory

    /// Agents in memory: each an `AgentIdentity` on a temporary folder; an impostor answers for another.
    final class FakeAgents: CertificateFleet {
        let agents: [String: AgentIdentity]
        let calls = Mutex<[String]>([])
        /// Installs that fail before reaching the agent (a lost connection).
        let failInstalls = Mutex(0)

        init(_ agents: [String: AgentIdentity]) { self.agents = agents }

        func agent(_ proxy: DesiredProxy) throws -> AgentIdentity {
            guard let agent = agents[proxy.name] else { throw AgentClient.Failure(status: 0, description: "connection refused") }
            return agent
        }
        func certificate(_ proxy: DesiredProxy) async throws -> (AgentState.Certificate?, AgentRoute) {
            calls.withLock { $0.append("state \(proxy.name)") }
            let agent = try agent(proxy)
            let held = await agent.certificate()
            return (held, held == nil ? .enrolling : .verified)
        }
        func requestCSR(_ proxy: DesiredProxy, identity: SPIFFEID, route: AgentRoute) async throws -> AgentIdentity.CSRAnswer {
            calls.withLock { $0.append("csr \(proxy.name)") }
            return try await agent(proxy).request(identity: identity.uri)
        }
        func install(_ proxy: DesiredProxy, chainPEM: String, rootPEM: String, installMAC: String?, route: AgentRoute) async throws -> AgentState.Certificate {
            calls.withLock { $0.append("install \(proxy.name)") }
            let fail = failInstalls.withLock { count -> Bool in
                guard count > 0 else { return false }
                count -= 1
                return true
            }
            if fail { throw AgentClient.Failure(status: 0, description: "connection reset") }
            return try await agent(proxy).install(chainPEM: chainPEM, rootPEM: rootPEM, enrollmentMAC: installMAC, requireMAC: route == .enrolling)
        }
    }

    struct Bed {
        let folder = NSTemporaryDirectory() + "meshc-issuance-" + UUID().uuidString
        var ca: String { folder + "/ca" }
        func state(_ name: String) -> String { folder + "/" + name }
        func remove() { try? FileManager.default.removeItem(atPath: folder) }

        func agent(_ name: String, token: String?) -> AgentIdentity {
            AgentIdentity(stateDirectory: state(name), group: nil, enrollmentToken: token, logger: Logger(label: "test"))
        }
    }

    static func desired(_ names: [String]) -> DesiredState {
        DesiredState(source: SourceLabel(id: "c1"), proxies: names.map {
            var proxy = DesiredProxy(snapshot: .empty(proxy: $0), agentAddress: "127.0.0.1:1")
            proxy.identity.serviceAccount = "web"
            return proxy
        })
    }

    static func core(_ desired: DesiredState) -> SharedCore {
        let core = SharedCore()
        core.with { $0.desire(desired.proxies.map { ($0.name, $0.agentAddress, $0.snapshotVersion) }) }
        return core
    }

    @Test func enrolledAgentsGetCertificatesOnceAndRenewWithTheirOwn() async throws {
        let bed = Bed()
        defer { bed.remove() }
        _ = try MeshCA.initialize(directory: bed.ca)
        let token = try EnrollmentStore.enroll(directory: bed.ca, proxy: "gw", ttl: .seconds(3600))
        let agent = bed.agent("gw", token: token)
        let round = IdentityRound(fleet: FakeAgents(["gw": agent]),
                                  issuer: CertificateIssuer(caDirectory: bed.ca, trustDomain: .default, ttl: .seconds(600)), recheck: 300)
        let desired = Self.desired(["gw"]), core = Self.core(desired)
        let clock = Mutex(Date())
        let now: @Sendable () -> Date = { clock.withLock { $0 } }

        let first = await round.run(desired, core: core, now: now)
        #expect(first.first?.text.contains("issued (no certificate yet)") == true, "\(first)")
        let held = try #require(core.value.records["gw"]?.certificate.held)
        #expect(held.identity == Self.web)
        #expect(core.value.records["gw"]?.certificate.error == nil)
        for (file, mode) in [("certs/key.pem", 0o600), ("certs/default.json", 0o600), ("certs/ROOTCA.json", 0o644)] {
            let attributes = try FileManager.default.attributesOfItem(atPath: bed.state("gw") + "/" + file)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == mode, "\(file)")
        }
        let secret = try String(contentsOfFile: bed.state("gw") + "/certs/default.json", encoding: .utf8)
        #expect(secret.contains("\"version_info\":\"\(held.serial)\""))
        #expect(await round.run(desired, core: core, now: now).isEmpty, "nothing due")

        // Past half life: renewed, proved by the current certificate (the token is spent).
        // (The agent checks what it installs against the real clock: a 10-minute lifetime leaves a loaded machine room.)
        clock.withLock { $0 = $0.addingTimeInterval(301) }
        let second = await round.run(desired, core: core, now: now)
        #expect(second.first?.text.contains("past half its lifetime") == true, "\(second)")
        let renewed = try #require(core.value.records["gw"]?.certificate.held)
        #expect(renewed.serial != held.serial)
        #expect(try EnrollmentStore.load(bed.ca).entries.allSatisfy { $0.used != nil })

        // A restarted agent reads its folder back.
        #expect(await bed.agent("gw", token: nil).certificate() == renewed)
    }

    @Test func anAgentWithoutProofOrWithASpentTokenGetsNothing() async throws {
        let bed = Bed()
        defer { bed.remove() }
        _ = try MeshCA.initialize(directory: bed.ca)
        let token = try EnrollmentStore.enroll(directory: bed.ca, proxy: "gw", ttl: .seconds(3600))
        // "other" holds gw's token (bound to gw); "bare" holds none.
        let fleet = FakeAgents(["gw": bed.agent("gw", token: token), "other": bed.agent("other", token: token), "bare": bed.agent("bare", token: nil)])
        let round = IdentityRound(fleet: fleet, issuer: CertificateIssuer(caDirectory: bed.ca, trustDomain: .default, ttl: .seconds(3600)))
        let desired = Self.desired(["bare", "gw", "other"]), core = Self.core(desired)
        _ = await round.run(desired, core: core)
        let records = core.value.records
        #expect(records["gw"]?.certificate.held != nil)
        #expect(records["other"]?.certificate.held == nil)
        #expect(records["other"]?.certificate.error?.hasPrefix("certificate not issued: no enrollment token of proxy other") == true, "\(records["other"]?.certificate.error ?? "")")
        #expect(records["bare"]?.certificate.error?.contains("sent no proof") == true)
        #expect(!FileManager.default.fileExists(atPath: bed.state("bare") + "/certs/default.json"))

        // An agent that lost its folder comes back with the spent token: refused, saying so.
        let again = FakeAgents(["gw": bed.agent("gw-new-folder", token: token)])
        let core2 = Self.core(Self.desired(["gw"]))
        _ = await IdentityRound(fleet: again, issuer: round.issuer).run(Self.desired(["gw"]), core: core2)
        #expect(core2.value.records["gw"]?.certificate.error?.contains("was used already") == true)
    }

    @Test func aFailedInstallLeavesTheEnrollmentTokenUsable() async throws {
        let bed = Bed()
        defer { bed.remove() }
        _ = try MeshCA.initialize(directory: bed.ca)
        let token = try EnrollmentStore.enroll(directory: bed.ca, proxy: "gw", ttl: .seconds(3600))
        let fleet = FakeAgents(["gw": bed.agent("gw", token: token)])
        fleet.failInstalls.withLock { $0 = 1 }
        let round = IdentityRound(fleet: fleet, issuer: CertificateIssuer(caDirectory: bed.ca, trustDomain: .default, ttl: .seconds(3600)))
        let desired = Self.desired(["gw"]), core = Self.core(desired)
        _ = await round.run(desired, core: core)
        #expect(core.value.records["gw"]?.certificate.error?.contains("connection reset") == true)
        #expect(try EnrollmentStore.load(bed.ca).entries.allSatisfy { $0.used == nil })
        _ = await round.run(desired, core: core, now: { Date().addingTimeInterval(1) })
        #expect(core.value.records["gw"]?.certificate.held != nil, "\(core.value.records["gw"]?.certificate.error ?? "")")
        #expect(try EnrollmentStore.load(bed.ca).entries.allSatisfy { $0.used != nil })
    }

    @Test func aCAOutageKeepsTheCurrentCertificateAndSaysWhy() async throws {
        let bed = Bed()
        defer { bed.remove() }
        _ = try MeshCA.initialize(directory: bed.ca)
        let token = try EnrollmentStore.enroll(directory: bed.ca, proxy: "gw", ttl: .seconds(3600))
        let agent = bed.agent("gw", token: token)
        let round = IdentityRound(fleet: FakeAgents(["gw": agent]),
                                  issuer: CertificateIssuer(caDirectory: bed.ca, trustDomain: .default, ttl: .seconds(60)))
        let desired = Self.desired(["gw"]), core = Self.core(desired)
        _ = await round.run(desired, core: core)
        let held = try #require(core.value.records["gw"]?.certificate.held)
        // The CA key becomes readable to others: the CA refuses to load it.
        chmod(bed.ca + "/ca-key.pem", 0o644)
        _ = await round.run(desired, core: core, now: { Date().addingTimeInterval(40) })
        let record = try #require(core.value.records["gw"]?.certificate)
        #expect(record.error?.hasPrefix("certificate not renewed: the CA cannot be used") == true, "\(record.error ?? "")")
        #expect(await agent.certificate() == held)
        let status = ReconcileStatus.proxies(core.value.sortedRecords)
        #expect(status.first?.certificate?.serial == held.serial)
        #expect(status.first?.certificateError == record.error)
    }
}
