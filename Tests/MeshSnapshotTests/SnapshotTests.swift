import Foundation
import MeshDiagnostics
import MeshEmit
import MeshIR
import MeshSnapshot
import Testing

/// The snapshot model: the compiler's snapshot, its wire bundle and a
/// parsed bundle agree byte for byte; bad bundles are refused with the reason.
@Suite struct SnapshotTests {
    static let proxy = TestGateway.proxy([
        TestGateway.host("a.example.com:80", domains: ["a.example.com"], cluster: "outbound|80||foo.default.svc.cluster.local"),
        VirtualHost(name: "b.example.com:80", domains: ["b.example.com"], routes: []),
    ])

    @Test func theBundleParsesBackToTheSameSnapshot() throws {
        let snapshot = Emitter.emit(Self.proxy).snapshot
        #expect(snapshot.consistencyErrors().isEmpty)
        let parsed = try ProxySnapshot(bundle: Array(snapshot.bundle().utf8))
        #expect(parsed == snapshot)
        #expect(parsed.bundle() == snapshot.bundle())
        // The spliced bundle is canonical JSON.
        #expect(try JSON.parse(snapshot.bundle()).rendered() == snapshot.bundle())
    }

    @Test func eachVirtualHostHasItsOwnDigestAndPlace() throws {
        let route = Emitter.emit(Self.proxy).snapshot[.route][0]
        #expect(route.virtualHosts.map(\.name) == ["a.example.com:80", "b.example.com:80"])
        let bytes = Array(route.bytes.utf8)
        for host in route.virtualHosts {
            let text = String(decoding: bytes[host.range], as: UTF8.self)
            #expect(try JSON.parse(text)["name"]?.text == host.name)
            #expect(host.version == ContentVersion.hex(text))
        }
    }

    /// A spliced route configuration (joined when read) and the same bytes
    /// held whole (the plan cache's) are equal and trim to the same hosts.
    @Test func aSplicedConfigurationReadsAsItsWholeBytes() throws {
        let spliced = Emitter.emit(Self.proxy).snapshot[.route][0]
        // Written piece by piece (a build's files) and counted without joining, as the joined whole.
        var written = ""
        spliced.write(to: &written)
        #expect(spliced.byteCount == written.utf8.count)
        #expect(DiscoveryResponse.text(.route, [spliced]).contains(written))
        let whole = EnvoyResource(kind: .route, name: spliced.name, bytes: spliced.bytes, version: spliced.version, virtualHosts: spliced.virtualHosts)
        #expect(whole == spliced)
        #expect(written == whole.bytes && whole.byteCount == spliced.byteCount)
        for keep in [{ (_: VirtualHostDigest) in true }, { $0.name.hasPrefix("b.") }, { _ in false }] {
            let trimmed = try #require(spliced.keepingHosts(keep))
            #expect(trimmed == whole.keepingHosts(keep))
            let hosts = try JSON.parse(trimmed)["virtual_hosts"]?.items.compactMap { $0["name"]?.text }
            #expect(hosts == spliced.virtualHosts.filter(keep).map(\.name))
        }
    }

    @Test func listenersCarryNoDeliveryFolderUntilBound() throws {
        let listener = Emitter.emit(Self.proxy).snapshot[.listener][0]
        #expect(listener.bytes.contains("\"path\":\"meshc:routes/http.80.json\""))
        let bound = RouteSource.bind(listener.bytes, folder: "/var/lib/meshc/gw")
        #expect(bound.contains("\"path\":\"/var/lib/meshc/gw/routes/http.80.json\""))
        // Reading a bound listener back unbinds it: the same resource, the same version.
        let unbound = try EnvoyResource(kind: .listener, json: RouteSource.unbind(JSON.parse(bound)))
        #expect(unbound == listener)
    }

    @Test(arguments: [
        ("", ""),
        ("no hit", "no hit"),
        ("ab", "XYZ"),
        ("abab", "XYZXYZ"),
        ("-ab-ab-a", "-XYZ-XYZ-a"),
        ("é ab ü", "é XYZ ü"),
    ])
    func bindingReplacesEveryOccurrenceBytewise(text: String, expected: String) {
        #expect(RouteSource.replacing(Array("ab".utf8), with: Array("XYZ".utf8), in: text) == expected)
    }

    @Test(arguments: [
        ("http.80", "routes/http.80.json"),
        ("a/b c", "routes/a%2Fb%20c.json"),
        ("..", "routes/%2E..json"),
    ])
    func routeFilesStayInsideTheirFolder(name: String, file: String) {
        #expect(RouteSource.file(name) == file)
    }

    @Test(arguments: [
        ("[1]", "must be a JSON object"),
        ("{", "not JSON"),
        (#"{"version": "v"}"#, "\"proxy\""),
        (#"{"proxy": "gw", "version": "v"}"#, "\"clusters\" is missing"),
    ])
    func malformedBundlesAreRefusedWithTheReason(body: String, reason: String) {
        #expect {
            try ProxySnapshot(bundle: Array(body.utf8))
        } throws: { error in
            String(describing: error).contains(reason)
        }
    }

    @Test func membersAreChecked() throws {
        guard case .object(let good) = try JSON.parse(Emitter.emit(Self.proxy).snapshot.bundle()) else { return }
        func refused(_ change: (inout JSONObject) -> Void) -> String {
            var members = good
            change(&members)
            do {
                _ = try ProxySnapshot(bundle: Array(JSON.object(members).rendered().utf8))
                return "accepted"
            } catch { return String(describing: error) }
        }
        let cluster = good["clusters"]!["resources"]!.items[0]
        #expect(refused { _ in } == "accepted")
        #expect(refused { $0["clusters"] = .object(["type_url": .string(EnvoyKind.route.typeURL), "resources": .array([])]) }
            .contains("clusters.type_url"))
        #expect(refused { $0["clusters"] = .object(["resources": .array([cluster, cluster])]) }.contains("two resources named"))
        #expect(refused { $0["routes"] = .object(["resources": .array([])]) }
            .contains("names route configuration http.80, which is not in the snapshot"))
        #expect(refused { $0["clusters"] = .object(["resources": .array([])]) }.contains("which is not in the snapshot"))
        #expect(refused { $0["version"] = .string("0123456789abcdef") }.contains("hash to"))
    }

    @Test func consistencyIsCheckedBothWays() {
        let snapshot = Emitter.emit(Self.proxy).snapshot
        var resources = snapshot.resources
        resources[.route]!.append(EnvoyResource(kind: .route, name: "orphan", bytes: "{}"))
        resources[.cluster]!.append(EnvoyResource(kind: .cluster, name: "unused", bytes: "{}"))
        let extra = ProxySnapshot(proxy: "gw", resources: resources, references: snapshot.references)
        #expect(extra.forwardErrors().isEmpty)
        #expect(extra.consistencyErrors() == ["gw: route configuration orphan is named by no listener"])
    }

    @Test func validationBootstrapsHoldOnlyTheChangeAndNothingProxySpecific() throws {
        let before = Emitter.emit(Self.proxy).snapshot
        #expect(ValidationBootstrap.text(from: before, to: before) == nil)
        var other = Self.proxy
        other.name = "gw-2"
        other.listeners[0].port = 9090
        other.listeners[0].name = "127.0.0.1_9090"
        other.routeConfigs[0].virtualHosts[1].domains = ["c.example.com"]
        var changed = Self.proxy
        changed.routeConfigs[0].virtualHosts[1].domains = ["c.example.com"]
        let mine = try #require(ValidationBootstrap.text(from: before, to: Emitter.emit(changed).snapshot))
        let theirs = try #require(ValidationBootstrap.text(from: Emitter.emit({ var p = Self.proxy; p.name = "gw-2"; p.listeners = other.listeners; return p }()).snapshot,
                                                            to: Emitter.emit(other).snapshot))
        // Only the route changed: both proxies validate the same bytes, once per host with a shared cache.
        #expect(mine == theirs)
        let json = try JSON.parse(mine)
        #expect(json["static_resources"]?["listeners"]?.items.count == 1)
        // Host a is unchanged: a stub, so no cluster of its is needed (RouteReductionTests).
        #expect(json["static_resources"]?["clusters"]?.items.count == 0)
        #expect(!mine.contains("meshc:routes"))
    }
}

/// The emitter updates a route configuration's named clusters from the
/// hosts a build changed and looks up only the names new to them; a name
/// the proxy lacks must still reach `consistencyErrors`.
@Suite struct RouteClusterCheckTests {
    static let clusters = ["outbound|80||one.default.svc.cluster.local", "outbound|80||two.default.svc.cluster.local"]

    static func proxy(bRoutesTo cluster: String) -> ProxyConfig {
        TestGateway.proxy([
            TestGateway.host("a.example.com:80", domains: ["a.example.com"], cluster: clusters[0]),
            TestGateway.host("b.example.com:80", domains: ["b.example.com"], cluster: cluster),
        ], clusters: clusters)
    }

    @Test func aClusterNewToAnIncrementalBuildIsStillLookedUp() throws {
        let cache = EmitCache()
        let missing = "outbound|80||three.default.svc.cluster.local"
        // Good, then one host names a cluster the proxy lacks (same cluster list: the tables are reused), then good again.
        for (step, cluster) in [Self.clusters[1], missing, Self.clusters[1], Self.clusters[0]].enumerated() {
            cache.rotate()
            let proxy = Self.proxy(bRoutesTo: cluster)
            let warm = Emitter.emit(proxy, cache: cache)
            let fresh = Emitter.emit(proxy)
            #expect(warm.snapshot == fresh.snapshot, "step \(step)")
            #expect(warm.snapshot.references.routeClusters["http.80"] == Set([Self.clusters[0], cluster]), "step \(step)")
            #expect(warm.consistencyErrors() == fresh.consistencyErrors(), "step \(step)")
            if cluster == missing {
                #expect(warm.checkedRoutes.isEmpty)
                #expect(warm.consistencyErrors() == ["gw: http.80 names cluster \(missing), which is not in the snapshot"])
            } else {
                #expect(warm.checkedRoutes == ["http.80"], "step \(step)")
                #expect(warm.consistencyErrors().isEmpty, "step \(step)")
            }
        }
    }
}

/// `Emitter.emitAll`: proxies that split across cores are emitted alone, the small ones side by side; the order is kept.
@Suite struct EmitAllTests {
    static func gateway(_ name: String, hosts count: Int) -> ProxyConfig {
        var proxy = TestGateway.proxy((0..<count).map { i in
            TestGateway.host("h\(i).example.com:80", domains: ["h\(i).example.com"], cluster: "outbound|80||s\(i).default.svc.cluster.local")
        })
        proxy.name = name
        return proxy
    }

    @Test func largeAndSmallProxiesComeBackInOrderAsEmittedOneByOne() {
        let large = Emitter.parallelChunk + 1
        let proxies = [Self.gateway("a", hosts: 2), Self.gateway("b", hosts: large), Self.gateway("c", hosts: 3), Self.gateway("d", hosts: large)]
        let all = Emitter.emitAll(proxies)
        #expect(all.map(\.proxy) == ["a", "b", "c", "d"])
        for (emitted, proxy) in zip(all, proxies) {
            #expect(emitted.snapshot == Emitter.emit(proxy).snapshot, "\(proxy.name)")
        }
        #expect(all[1].snapshot[.cluster].count == large)
    }
}
