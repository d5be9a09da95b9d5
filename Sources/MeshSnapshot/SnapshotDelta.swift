import Foundation
import MeshDiagnostics

/// A snapshot sent as its difference from one the receiver holds (`PATCH
/// /v1/snapshot`): per kind, the resources in order, each either whole (new
/// or changed) or the name of the base's resource, kept as it is.
///
///     {"base": "<base version>", "kinds": {"clusters": [{…}, "outbound|80||b", …], "endpoints": […], …},
///      "proxy": "gw", "version": "<version after>"}
///
/// A changed route configuration the receiver holds goes the same way, one
/// level down: its `virtual_hosts` entries are whole hosts or the names of
/// the receiver's hosts kept as they are.
///
/// The receiver rebuilds the whole snapshot, checks it as it checks a bundle
/// (references resolve, listeners unbound) and that it hashes to `version`:
/// a delta gives exactly one snapshot or none. A one-route commit to a
/// gateway of 2,900 clusters sends one route configuration and 2,900 names
/// instead of every resource, and the agent parses only what changed.
package enum SnapshotDelta {
    /// The delta from `base` to `next` (the same proxy).
    package static func text(from base: ProxySnapshot, to next: ProxySnapshot) -> String {
        var out = "{\"base\":"
        JSON.quote(base.version, into: &out)
        out += ",\"kinds\":{"
        var first = true
        for kind in EnvoyKind.allCases where !(kind.isOptional && next[kind].isEmpty) {
            out += (first ? "\"" : ",\"") + kind.member + "\":["
            first = false
            let before = base[kind], after = next[kind]
            for index in after.indices {
                if index > 0 { out += "," }
                let resource = after[index]
                // Lists keep their order from one commit to the next: the same place first, then by name.
                if index < before.count && before[index].name == resource.name ? before[index].version == resource.version
                    : base.version(of: kind, resource.name) == resource.version {
                    JSON.quote(resource.name, into: &out)
                } else if kind == .route, let running = base.resource(.route, named: resource.name) {
                    out += keepingHosts(of: resource, from: running)
                } else {
                    out += resource.bytes
                }
            }
            out += "]"
        }
        out += "},\"proxy\":"
        JSON.quote(next.proxy, into: &out)
        out += ",\"version\":"
        JSON.quote(next.version, into: &out)
        return out + "}"
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
            var seen = Set<String>()
            var list: [EnvoyResource] = []
            list.reserveCapacity(items.count)
            // Lists keep their order between commits: a kept name is first looked for at its own place.
            let before = base[kind]
            var unchanged = items.count == before.count
            for (index, item) in items.enumerated() {
                let resource: EnvoyResource
                if item.text == nil { unchanged = false }
                if let name = item.text {
                    if index < before.count, before[index].name == name {
                        resource = before[index]
                    } else {
                        guard let held = base.resource(kind, named: name) else {
                            throw SnapshotError("\(origin): kinds.\(kind.member)[\(index)] keeps \(kind.label) \(name), which the applied snapshot does not hold")
                        }
                        resource = held
                        unchanged = false
                    }
                    kept[kind, default: []].append(name)
                } else if kind == .route, let hosts = item["virtual_hosts"]?.array, hosts.contains(where: { $0.text != nil }) {
                    let spliced = try splice(item, hosts: hosts, base: base, hostClusters: hostClusters, origin: "\(origin): kinds.routes[\(index)]")
                    resource = spliced.resource
                    brought[resource.name] = spliced.brought
                    splicedRoutes[resource.name] = spliced.clusters
                    carried[kind, default: []].append(resource)
                } else {
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
            // Every resource kept in its place: the base's table (positions, version_info) as it is.
            tables[kind] = unchanged ? base.table(kind) : ResourceTable(list)
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
