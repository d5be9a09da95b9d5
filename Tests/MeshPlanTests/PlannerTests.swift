import MeshDiagnostics
import MeshEmit
import MeshPlan
import MeshSnapshot
import Testing

/// `Planner.plan`: pairing and diffing as pure functions over hand-made resources.
@Suite struct PlannerTests {
    typealias R = Mesh

    /// `proxy/type/name action` for every changed resource, in plan order (unchanged ones are counted).
    static func rows(_ plan: Plan) -> [String] {
        plan.proxies.flatMap { proxy in proxy.changes.map { "\(proxy.proxy)/\($0.type.label)/\($0.name) \($0.action.rawValue)" } }
    }

    @Test func pairsResourcesByTypeAndNameAndComparesVersions() {
        let running = ProxySnapshot(proxy: "gw", clusters: [R.resource(.cluster, "a"), R.resource(.cluster, "gone")],
                                     routes: [R.resource(.route, "r", 1)])
        let desired = ProxySnapshot(proxy: "gw", clusters: [R.resource(.cluster, "new"), R.resource(.cluster, "a")],
                                     routes: [R.resource(.route, "r", 2)])
        let plan = Planner.plan(desired: [desired], running: [running])
        #expect(Self.rows(plan) == ["gw/cluster/gone delete", "gw/cluster/new create", "gw/route/r update"])
        #expect(plan.proxies.map(\.action) == [.update])
        #expect([plan.count(.create), plan.count(.update), plan.count(.delete), plan.count(.unchanged)] == [1, 1, 1, 1])
        #expect(plan.hasChanges && plan.changedProxies == 1)
        let update = plan.proxies[0].changes[2]
        #expect(update.running?.version == running[.route][0].version && update.desired?.version == desired[.route][0].version)
        #expect(update.running?.version != update.desired?.version)
    }

    /// The merge of two sides in name order equals pairing by name, whatever order the sides come in;
    /// a name given twice on one side counts once, the last one winning.
    @Test func pairingIsByNameWhateverTheOrderAndTheLastOfANameWins() {
        let running = ProxySnapshot(proxy: "gw", clusters: [R.resource(.cluster, "d"), R.resource(.cluster, "b", 1), R.resource(.cluster, "a")])
        let desired = ProxySnapshot(proxy: "gw", clusters: [R.resource(.cluster, "b", 2), R.resource(.cluster, "c"), R.resource(.cluster, "b", 1),
                                                             R.resource(.cluster, "a"), R.resource(.cluster, "e")])
        let plan = Planner.plan(desired: [desired], running: [running])
        #expect(Self.rows(plan) == ["gw/cluster/c create", "gw/cluster/d delete", "gw/cluster/e create"])
        #expect(plan.count(.unchanged) == 2) // a, and b as given last
        // The same desired side, sorted and without the duplicate (b as given last).
        let sorted = ProxySnapshot(proxy: "gw", clusters: [R.resource(.cluster, "a"), R.resource(.cluster, "b", 1), R.resource(.cluster, "c"),
                                                            R.resource(.cluster, "e")])
        #expect(Self.rows(Planner.plan(desired: [sorted], running: [running])) == Self.rows(plan))
    }

    @Test func aProxyOnOneSideIsAllCreatesOrAllDeletes() {
        let new = ProxySnapshot(proxy: "b-new", clusters: [R.resource(.cluster, "c")], listeners: [R.resource(.listener, "l")])
        let old = ProxySnapshot(proxy: "a-old", endpoints: [R.resource(.endpoint, "c")], routes: [R.resource(.route, "r")])
        let plan = Planner.plan(desired: [new], running: [old])
        #expect(plan.proxies.map(\.proxy) == ["a-old", "b-new"])
        #expect(plan.proxies.map(\.action) == [.delete, .create])
        #expect(Self.rows(plan) == ["a-old/endpoints/c delete", "a-old/route/r delete", "b-new/cluster/c create", "b-new/listener/l create"])
        #expect(plan.changedProxies == 2)
    }

    @Test func equalSidesHaveNoChanges() {
        let proxy = ProxySnapshot(proxy: "gw", clusters: [R.resource(.cluster, "a")], listeners: [R.resource(.listener, "l")])
        let plan = Planner.plan(desired: [proxy], running: [proxy])
        #expect(!plan.hasChanges && plan.changedProxies == 0)
        #expect(plan.proxies.map(\.action) == [.unchanged])
        #expect(Planner.plan(desired: [ProxySnapshot(proxy: "empty")], running: []).proxies.map(\.action) == [.unchanged])
        #expect(Self.rows(plan).isEmpty && plan.count(.unchanged) == 2)
        #expect(!Planner.plan(desired: [], running: []).hasChanges)
    }

    /// Order follows proxy name, then clusters, endpoints, listeners, routes, then resource name,
    /// whatever order the inputs come in.
    @Test func orderIsDeterministicWhateverTheInputOrder() {
        let types: [EnvoyKind] = [.route, .listener, .endpoint, .cluster]
        let proxies = ["z", "m", "a"].map { name in
            var resources: [EnvoyKind: [EnvoyResource]] = [:]
            for type in types { resources[type] = ["y", "b"].map { R.resource(type, $0) } }
            return ProxySnapshot(proxy: name, resources: resources, references: References())
        }
        let forward = Planner.plan(desired: proxies, running: [])
        let backward = Planner.plan(desired: proxies.reversed().map { proxy in
            ProxySnapshot(proxy: proxy.proxy, resources: proxy.resources.mapValues { $0.reversed() }, references: References())
        }, running: [])
        #expect(forward == backward)
        #expect(Self.rows(forward).prefix(9) == [
            "a/cluster/b create", "a/cluster/y create", "a/endpoints/b create", "a/endpoints/y create",
            "a/listener/b create", "a/listener/y create", "a/route/b create", "a/route/y create", "m/cluster/b create",
        ])
    }

    @Test func snapshotsOfTheSameManifestsPlanNoChanges() {
        let a = Mesh.proxies(Mesh.echo(http: Mesh.pathRouting)), b = Mesh.proxies(Mesh.echo(http: Mesh.pathRouting))
        #expect(a.map(\.proxy) == ["gateway-istio-ingressgateway"])
        let plan = Planner.plan(desired: a, running: b)
        #expect(!plan.hasChanges)
        #expect(plan.count(.unchanged) == 6) // two clusters, two endpoints, one listener, one route configuration
    }
}
