import MeshDiagnostics
import MeshModel
import MeshValidate

/// Resolves every destination a merged rule names, and every mirror, to a
/// cluster key (FQDN host, service port, subset). A destination without a
/// port takes the service's only port, as Istio does.
enum ResolveDestinationsPass {
    /// The rules of the gateways' virtual hosts, then of each sidecar's
    /// outbound hosts, each once. A rule the last compile resolved is taken
    /// over; new ones resolve on every core (a rule reads the index and the
    /// service tables only) and are recorded in order.
    static func run(_ state: inout CompileState) {
        let kept = state.reusable?.rules ?? [:]
        // Sized for the last compile's rules and clusters up front: growing rehashes every key inserted so far.
        state.resolvedRules.reserveCapacity(kept.count)
        state.clusterKeys.reserveCapacity(max(state.reusable?.clusters.count ?? 0, state.clusterKeys.count) + 64)
        var fresh: [RuleRef] = []
        var seen = Set<ObjectIdentifier>()
        // Read in place (a rule reference copied is two retains).
        let proxies = state.proxies, sidecars = state.sidecars
        for proxy in proxies {
            for (_, routes) in proxy.routeTables {
                for (_, rules) in routes.virtualHosts { for i in rules.indices { gather(rules[i], kept, &fresh, &seen, &state) } }
            }
        }
        for sidecar in sidecars {
            let hosts = sidecar.outbound
            for h in hosts.indices {
                let rules = hosts[h].rules
                for i in rules.indices { gather(rules[i], kept, &fresh, &seen, &state) }
            }
        }
        let resolved = state.parallelMap(fresh, chunk: 256, clearing: { $0.resolvedRules = [:] }) { ref, local in
            resolve(ref, &local)
        }
        // The cluster keys hashed beside the rules (40,000 and 30,000 for a 10k mesh), each table
        // written by one side only, each sized once (growing rehashes every key inserted so far).
        var keys = state.clusterKeys, rules = state.resolvedRules, notes = state.notes
        state.clusterKeys = []
        state.resolvedRules = [:]
        state.notes = []
        Parallel.both({
            keys.reserveCapacity(keys.count + resolved.reduce(0) { $0 + $1.result.shares.count + $1.result.mirrors.count })
            for i in resolved.indices { insertKeys(of: resolved[i].result, into: &keys) }
        }, {
            rules.reserveCapacity(rules.count + fresh.count)
            for (ref, (targets, ruleNotes)) in zip(fresh, resolved) {
                notes += ruleNotes
                rules[ObjectIdentifier(ref.rule)] = CompileMemo.ResolvedRule(rule: ref.rule, targets: targets, notes: ruleNotes)
            }
        })
        state.clusterKeys = keys
        state.resolvedRules = rules
        state.notes = notes
    }

    /// Takes over rule `ref`'s resolution from the last compile (`kept`),
    /// or adds it to `fresh` once; nothing when an earlier reference did.
    private static func gather(_ ref: RuleRef, _ kept: [ObjectIdentifier: CompileMemo.ResolvedRule], _ fresh: inout [RuleRef],
                               _ seen: inout Set<ObjectIdentifier>, _ state: inout CompileState) {
        let id = ObjectIdentifier(ref.rule)
        guard state.resolvedRules.index(forKey: id) == nil else { return }
        // A rule's targets are a function of the rule and of what stood with the clusters (`CompileMemo`).
        if let memo = kept[id], memo.rule === ref.rule {
            state.notes += memo.notes
            insertKeys(of: memo.targets, into: &state.clusterKeys)
            state.resolvedRules[id] = memo
        } else if seen.insert(id).inserted {
            fresh.append(ref)
        }
    }

    /// Records the clusters `targets` use in `clusterKeys` (the clusters
    /// traffic-policy builds). By index: only the keys are copied, not the
    /// shares' header changes.
    private static func insertKeys(of targets: RuleTargets, into keys: inout Set<ClusterKey>) {
        let shares = targets.shares, mirrors = targets.mirrors
        for i in shares.indices { keys.insert(shares[i].key) }
        for i in mirrors.indices { keys.insert(mirrors[i].key) }
    }

    private static func resolve(_ ref: RuleRef, _ state: inout CompileState) -> RuleTargets {
        let resource = ref.virtualService.resource
        var result = RuleTargets()
        for route in ref.rule.route {
            guard let destination = route.destination, let key = key(destination, resource, &state) else { continue }
            // One destination takes all traffic whatever its weight; several share by weight (missing = 0).
            let weight = ref.rule.route.count == 1 ? 100 : (route.weight?.value ?? 0)
            result.shares.append((key, weight, route.headers))
        }
        // Istio: `mirror` copies mirrorPercentage of requests (100 when unset, none at 0); each `mirrors` entry has its own percentage.
        var mirrors: [(Destination, Double)] = []
        if let mirror = ref.rule.mirror { mirrors.append((mirror, ref.rule.mirrorPercentage?.value?.value ?? 100)) }
        for policy in ref.rule.mirrors {
            if let destination = policy.destination { mirrors.append((destination, policy.percentage?.value?.value ?? 100)) }
        }
        for (destination, percent) in mirrors where percent > 0 {
            if let key = key(destination, resource, &state) { result.mirrors.append((key, min(percent, 100))) }
        }
        return result
    }

    /// The clusters a tcp or tls rule's destinations name, with their weights.
    static func resolve(_ routes: [RouteDestination], in resource: Resource, _ state: inout CompileState) -> [(key: ClusterKey, weight: Int)] {
        routes.compactMap { route in
            guard let destination = route.destination, let key = key(destination, resource, &state) else { return nil }
            state.clusterKeys.insert(key)
            // One destination takes all traffic whatever its weight; several share by weight (missing = 0).
            return (key, routes.count == 1 ? 100 : (route.weight?.value ?? 0))
        }
    }

    /// The cluster `destination` names; nil (with a note) when its port cannot be known.
    private static func key(_ destination: Destination, _ resource: Resource, _ state: inout CompileState) -> ClusterKey? {
        guard let host = destination.host?.value else { return nil }
        let fqdn = state.index.fqdn(host, namespace: resource.namespace)
        guard let port = destination.port?.number?.value ?? onlyPort(of: fqdn, state) else {
            state.note("destination \(fqdn) names no port and its service has not exactly one; the destination is left out",
                       in: resource, at: destination.mark)
            return nil
        }
        return ClusterKey(host: fqdn, port: port, subset: destination.subset?.value)
    }

    /// The single port of the Service or ServiceEntry providing `host`.
    static func onlyPort(of host: String, _ state: CompileState) -> Int? {
        if let service = state.servicesByHost[host] { return ServiceTarget.service(service.resource, service.spec).onlyPort }
        if let entry = EndpointResolver.serviceEntry(for: host, state) { return ServiceTarget.serviceEntry(entry.resource, entry.spec).onlyPort }
        return nil
    }
}
