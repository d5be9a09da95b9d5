import MeshDiagnostics
import MeshSnapshot

/// Pairs desired with running resources and diffs them: the pure half of
/// reconciling (Argo CD's gitops-engine: pair, diff, then act elsewhere).
package enum Planner {
    /// Pairs proxies by name (only desired: everything created; only running:
    /// everything deleted), then resources by type and name, compared by
    /// version; the same version on both sides is counted, not listed. Sorted by proxy name, type order (clusters, endpoints,
    /// listeners, routes), resource name. A name given twice on one side
    /// counts once (the last wins).
    package static func plan(desired: [ProxySnapshot], running: [ProxySnapshot]) -> Plan {
        let want = Dictionary(desired.map { ($0.proxy, $0) }, uniquingKeysWith: { _, last in last })
        let have = Dictionary(running.map { ($0.proxy, $0) }, uniquingKeysWith: { _, last in last })
        let names = Set(want.keys).union(have.keys).sorted()
        return Plan(proxies: names.map { name in
            let desired = want[name], running = have[name]
            var unchanged = 0
            let changes = EnvoyKind.allCases.flatMap { type in
                pair(type, desired: desired?[type] ?? [], running: running?[type] ?? [], unchanged: &unchanged)
            }
            let action: ChangeAction = changes.isEmpty ? .unchanged : desired == nil ? .delete : running == nil ? .create : .update
            return ProxyPlan(proxy: name, action: action, changes: changes, unchanged: unchanged)
        })
    }

    /// One type's resources paired by name, sorted by name: a merge of the
    /// two sides in name order (the emitter gives most kinds sorted already,
    /// so a 10,000-service plan pairs without hashing every name).
    /// Resources the same on both sides are counted in `unchanged`, not listed.
    static func pair(_ type: EnvoyKind, desired: [EnvoyResource], running: [EnvoyResource], unchanged: inout Int) -> [ResourceChange] {
        let want = byName(desired), have = byName(running)
        var result: [ResourceChange] = []
        var i = 0, j = 0
        while i < want.count || j < have.count {
            if j == have.count || (i < want.count && want[i].name < have[j].name) {
                result.append(change(type, running: nil, desired: want[i]))
                i += 1
            } else if i == want.count || have[j].name < want[i].name {
                result.append(change(type, running: have[j], desired: nil))
                j += 1
            } else {
                if have[j].version == want[i].version {
                    unchanged += 1
                } else {
                    result.append(change(type, running: have[j], desired: want[i]))
                }
                i += 1
                j += 1
            }
        }
        return result
    }

    /// Sorted by name, one per name (the last given wins).
    static func byName(_ resources: [EnvoyResource]) -> [EnvoyResource] {
        if resources.isSorted(by: { $0.name < $1.name }) { return resources }
        return Dictionary(resources.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last }).values.sorted { $0.name < $1.name }
    }

    /// The change from `old` to `new` (one of them present; both: different versions).
    private static func change(_ type: EnvoyKind, running old: EnvoyResource?, desired new: EnvoyResource?) -> ResourceChange {
        let action: ChangeAction = old == nil ? .create : new == nil ? .delete : .update
        let items: [ChangeItem]
        if type == .route, let old, let new, let trimmed = VirtualHostTrim.trimmed(running: old, desired: new) {
            items = ChangeDetails.items(type, running: trimmed.running, desired: trimmed.desired)
        } else {
            items = ChangeDetails.items(type, running: old.flatMap { try? $0.json() }, desired: new.flatMap { try? $0.json() })
        }
        return ResourceChange(type: type, name: (new ?? old)!.name, action: action, running: old, desired: new, items: items)
    }
}
