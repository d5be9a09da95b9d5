import Foundation
import MeshDiagnostics

/// A snapshot sent as its difference from one the receiver holds (`PATCH
/// /v1/snapshot`): per kind, the resources in order, each either whole (new
/// or changed) or kept as the base holds it: a run of the base's list,
/// `[from, count]` (its resources at those positions), or one name.
///
///     {"base": "<base version>", "kinds": {"clusters": [[0, 812], {…}, [813, 2127]], "endpoints": [[0, 2940]], …},
///      "proxy": "gw", "version": "<version after>"}
///
/// A changed route configuration the receiver holds goes the same way, one
/// level down: its `virtual_hosts` entries are whole hosts, or runs (or
/// names) of the receiver's hosts kept as they are.
///
/// The receiver rebuilds the whole snapshot, checks it as it checks a bundle
/// (references resolve, listeners unbound, no name twice) and that it hashes
/// to `version`: a delta gives exactly one snapshot or none. A one-route
/// commit to the 10,000-service sidecar view sends one route configuration's
/// shell, its changed host and a few runs instead of 36,000 names (3.5 MiB),
/// and the agent parses only what changed. Runs came with session 14's
/// agents; an older agent refuses them as malformed and is sent names
/// (`Keeping.names`), which every agent takes.
package enum SnapshotDelta {
    /// How a delta writes what it keeps of the receiver's snapshot.
    package enum Keeping: Sendable, Equatable {
        /// Runs of positions, `[from, count]`: a few bytes whatever the size of what is kept.
        case runs
        /// One name per kept resource or host (agents before runs take only these).
        case names
    }

    /// The delta from `base` to `next` (the same proxy).
    package static func text(from base: ProxySnapshot, to next: ProxySnapshot, keeping: Keeping = .runs) -> String {
        var out = "{\"base\":"
        JSON.quote(base.version, into: &out)
        out += ",\"kinds\":{"
        var first = true
        for kind in EnvoyKind.allCases where !(kind.isOptional && next[kind].isEmpty) {
            out += (first ? "\"" : ",\"") + kind.member + "\":["
            first = false
            let before = base[kind], table = base.table(kind)
            var list = KeptList(keeping: keeping)
            // Lists keep their order from one commit to the next: the place after the last match first, then by name.
            var cursor = 0
            for resource in next[kind] {
                var place: Int?
                if cursor < before.count, before[cursor].name == resource.name {
                    place = cursor
                } else {
                    place = table.position(of: resource.name)
                }
                if let found = place {
                    cursor = found + 1
                    if before[found].version != resource.version { place = nil }
                }
                if let place {
                    list.keep(place, name: resource.name, into: &out)
                } else if kind == .route, let running = base.resource(.route, named: resource.name) {
                    list.carry(keepingHosts(of: resource, from: running, keeping: keeping), into: &out)
                } else {
                    list.carry(resource.bytes, into: &out)
                }
            }
            list.finish(into: &out)
            out += "]"
        }
        out += "},\"proxy\":"
        JSON.quote(next.proxy, into: &out)
        out += ",\"version\":"
        JSON.quote(next.version, into: &out)
        return out + "}"
    }

    /// Writes one kind's list: whole items, and kept ones as names or runs of positions.
    private struct KeptList {
        let keeping: Keeping
        private var written = 0
        private var run: (from: Int, count: Int)?
        /// Where the last run ended: runs only go forward (a resource kept before it goes by name).
        private var runsEnd = 0

        init(keeping: Keeping) { self.keeping = keeping }

        mutating func keep(_ place: Int, name: String, into out: inout String) {
            if keeping == .runs, let run, run.from + run.count == place {
                self.run = (run.from, run.count + 1)
                return
            }
            finish(into: &out)
            guard keeping == .runs, place >= runsEnd else {
                separate(&out)
                JSON.quote(name, into: &out)
                return
            }
            run = (place, 1)
        }

        mutating func carry(_ item: String, into out: inout String) {
            finish(into: &out)
            separate(&out)
            out += item
        }

        mutating func finish(into out: inout String) {
            guard let run else { return }
            separate(&out)
            out += "[\(run.from),\(run.count)]"
            runsEnd = run.from + run.count
            self.run = nil
        }

        private mutating func separate(_ out: inout String) {
            if written > 0 { out += "," }
            written += 1
        }
    }

    /// A delta applied to the snapshot it was made from.
    package struct Applied: Sendable {
        /// The whole snapshot the delta describes.
        package let snapshot: ProxySnapshot
        /// The resources the delta carried whole (new or changed), per kind.
        package let carried: [EnvoyKind: [EnvoyResource]]
        /// For a route configuration carried with kept hosts: what the delta
        /// brought of it (its own fields and the new or changed hosts), by
        /// name. The rest is the applied version's, checked when it came.
        package let brought: [String: EnvoyResource]
    }

    /// Rebuilds the snapshot `bytes` describes over `base`. Throws when the
    /// delta is not JSON, is for another proxy or base, names a resource
    /// the base does not hold, carries one that does not parse or check, or
    /// does not hash to its `version`.
    package static func apply(_ bytes: some Collection<UInt8>, to base: ProxySnapshot,
                              hostClusters: HostClusters = HostClusters()) throws(SnapshotError) -> Applied {
        let json: JSON
        do { json = try JSON.parse(bytes) } catch { throw SnapshotError("the delta is not JSON: \(error)") }
        guard let members = json.members, let kinds = members["kinds"]?.members else {
            throw SnapshotError("a delta must be a JSON object {base, kinds, proxy, version}")
        }
        guard members["proxy"] == .string(base.proxy) else {
            throw SnapshotError("the delta is for proxy \(members["proxy"]?.rendered() ?? "(none)"); this snapshot is \(base.proxy)'s")
        }
        guard members["base"] == .string(base.version) else {
            throw SnapshotError("the delta is over \(members["base"]?.rendered() ?? "(none)"), not the applied snapshot \(base.version)")
        }
        guard let claimed = members["version"]?.text else { throw SnapshotError("\"version\" must be a string") }
        let origin = "delta for \(base.proxy)"
        var tables: [EnvoyKind: ResourceTable] = [:], carried: [EnvoyKind: [EnvoyResource]] = [:]
        var listeners: [(name: String, json: JSON)] = [], routes: [(name: String, json: JSON)] = []
        var kept: [EnvoyKind: [String]] = [:]
        var brought: [String: EnvoyResource] = [:], splicedRoutes: [String: Set<String>] = [:]
        for member in kinds.keys where EnvoyKind(member: member) == nil {
            throw SnapshotError("\(origin): unknown member \"\(member)\" in kinds")
        }
        for kind in EnvoyKind.allCases {
            guard let entries = kinds[kind.member] else {
                if kind.isOptional { continue }
                throw SnapshotError("\(origin): kinds.\(kind.member) is missing")
            }
            guard let items = entries.array else { throw SnapshotError("\(origin): kinds.\(kind.member) must be an array") }
            // Names kept or carried one by one; the runs' positions in the base, increasing.
            var seen = Set<String>()
            var runs: [Range<Int>] = []
            var list: [EnvoyResource] = []
            list.reserveCapacity(items.count)
            let before = base[kind]
            // Every resource at its own place in the base: the kind is kept whole.
            var inPlace = true
            for (index, item) in items.enumerated() {
                if let pair = item.array {
                    let range = try keptRun(pair, of: before.count, after: runs.last?.upperBound ?? 0,
                                            origin: "\(origin): kinds.\(kind.member)[\(index)]")
                    if range.lowerBound != list.count { inPlace = false }
                    list.append(contentsOf: before[range])
                    runs.append(range)
                    if kind == .listener || kind == .route { kept[kind, default: []].append(contentsOf: before[range].map(\.name)) }
                    continue
                }
                let resource: EnvoyResource
                if let name = item.text {
                    // Lists keep their order between commits: a kept name is first looked for at its own place.
                    if list.count < before.count, before[list.count].name == name {
                        resource = before[list.count]
                    } else {
                        guard let held = base.resource(kind, named: name) else {
                            throw SnapshotError("\(origin): kinds.\(kind.member)[\(index)] keeps \(kind.label) \(name), which the applied snapshot does not hold")
                        }
                        resource = held
                        inPlace = false
                    }
                    kept[kind, default: []].append(name)
                } else if kind == .route, let hosts = item["virtual_hosts"]?.array, hosts.contains(where: { $0.text != nil || $0.array != nil }) {
                    inPlace = false
                    let spliced = try splice(item, hosts: hosts, base: base, hostClusters: hostClusters, origin: "\(origin): kinds.routes[\(index)]")
                    resource = spliced.resource
                    brought[resource.name] = spliced.brought
                    splicedRoutes[resource.name] = spliced.clusters
                    carried[kind, default: []].append(resource)
                } else {
                    inPlace = false
                    var item = item
                    if kind == .listener { item = RouteSource.unbind(item) }
                    do { resource = try EnvoyResource(kind: kind, json: item) } catch {
                        throw SnapshotError("\(origin): kinds.\(kind.member)[\(index)]: \(error)")
                    }
                    carried[kind, default: []].append(resource)
                    if kind == .listener { listeners.append((resource.name, item)) }
                    if kind == .route { routes.append((resource.name, item)) }
                }
                guard seen.insert(resource.name).inserted else { throw SnapshotError("\(origin): kinds.\(kind.member) has two resources named \(resource.name)") }
                list.append(resource)
            }
            // The base names each resource once, so runs that never overlap do too: only a name
            // kept or carried beside them can be one of theirs.
            if !runs.isEmpty {
                let table = base.table(kind)
                for name in seen {
                    if let place = table.position(of: name), Self.covers(runs, place) {
                        throw SnapshotError("\(origin): kinds.\(kind.member) has two resources named \(name)")
                    }
                }
            }
            tables[kind] = inPlace && list.count == before.count ? base.table(kind) : ResourceTable(list)
        }
        var references = References.extract(listeners: listeners, routes: routes)
        for name in kept[.listener] ?? [] {
            references.listenerRoutes[name] = base.references.listenerRoutes[name]
            references.listenerClusters[name] = base.references.listenerClusters[name]
            references.listenerSecrets[name] = base.references.listenerSecrets[name]
        }
        for name in kept[.route] ?? [] { references.routeClusters[name] = base.references.routeClusters[name] }
        for (name, clusters) in splicedRoutes { references.routeClusters[name] = clusters }
        let snapshot = ProxySnapshot(proxy: base.proxy, tables: tables, references: references)
        if let problem = snapshot.forwardErrors().first { throw SnapshotError("\(origin): \(problem)") }
        guard snapshot.version == claimed else {
            throw SnapshotError("\(origin): \"version\" is \"\(claimed)\", but the resources hash to \"\(snapshot.version)\" (a delta's version is its whole snapshot's hash)")
        }
        return Applied(snapshot: snapshot, carried: carried, brought: brought)
    }
}
