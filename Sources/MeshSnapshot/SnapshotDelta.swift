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
            for (index, resource) in next[kind].enumerated() {
                if index > 0 { out += "," }
                if base.version(of: kind, resource.name) == resource.version {
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

    /// `route`'s bytes with every host `running` holds at the same version
    /// written as its quoted name.
    static func keepingHosts(of route: EnvoyResource, from running: EnvoyResource) -> String {
        let held = Set(running.virtualHosts.map(\.key))
        guard route.virtualHosts.contains(where: { held.contains($0.key) }) else {
            return route.bytes
        }
        let bytes = Array(route.bytes.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count / 4)
        var at = 0
        for host in route.virtualHosts where held.contains(host.key) {
            out.append(contentsOf: bytes[at..<host.range.lowerBound])
            var name = ""
            JSON.quote(host.name, into: &name)
            out.append(contentsOf: name.utf8)
            at = host.range.upperBound
        }
        out.append(contentsOf: bytes[at...])
        return String(decoding: out, as: UTF8.self)
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

    /// The clusters each virtual host names, by host name and version, kept
    /// by a receiver across deltas so a kept host is never parsed again.
    package final class HostClusters: @unchecked Sendable {
        private var known: [String: Set<String>] = [:]
        private let lock = NSLock()

        package init() {}

        func clusters(_ host: VirtualHostDigest, in bytes: ArraySlice<UInt8>) -> Set<String>? {
            let key = host.name + "\u{0}" + host.version + "\u{0}\(host.range.count)"
            if let found = lock.withLock({ known[key] }) { return found }
            guard let json = try? JSON.parse(bytes) else { return nil }
            let clusters = References.clusters(in: json)
            lock.withLock {
                if known.count > 100_000 { known.removeAll(keepingCapacity: true) }
                known[key] = clusters
            }
            return clusters
        }
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
        var resources: [EnvoyKind: [EnvoyResource]] = [:], carried: [EnvoyKind: [EnvoyResource]] = [:]
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
            for (index, item) in items.enumerated() {
                let resource: EnvoyResource
                if let name = item.text {
                    guard let held = base.resource(kind, named: name) else {
                        throw SnapshotError("\(origin): kinds.\(kind.member)[\(index)] keeps \(kind.label) \(name), which the applied snapshot does not hold")
                    }
                    resource = held
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
            resources[kind] = list
        }
        var references = References.extract(listeners: listeners, routes: routes)
        for name in kept[.listener] ?? [] {
            references.listenerRoutes[name] = base.references.listenerRoutes[name]
            references.listenerClusters[name] = base.references.listenerClusters[name]
            references.listenerSecrets[name] = base.references.listenerSecrets[name]
        }
        for name in kept[.route] ?? [] { references.routeClusters[name] = base.references.routeClusters[name] }
        for (name, clusters) in splicedRoutes { references.routeClusters[name] = clusters }
        let snapshot = ProxySnapshot(proxy: base.proxy, resources: resources, references: references)
        if let problem = snapshot.forwardErrors().first { throw SnapshotError("\(origin): \(problem)") }
        guard snapshot.version == claimed else {
            throw SnapshotError("\(origin): \"version\" is \"\(claimed)\", but the resources hash to \"\(snapshot.version)\" (a delta's version is its whole snapshot's hash)")
        }
        return Applied(snapshot: snapshot, carried: carried, brought: brought)
    }

    /// A route configuration whose `hosts` name some of the base's hosts:
    /// spliced as the emitter splices one (kept hosts' bytes copied, new ones
    /// rendered), with the clusters it names, and what the delta brought of it.
    private static func splice(_ item: JSON, hosts: [JSON], base: ProxySnapshot, hostClusters: HostClusters,
                               origin: String) throws(SnapshotError) -> (resource: EnvoyResource, brought: EnvoyResource, clusters: Set<String>) {
        guard let members = item.members, let name = members["name"]?.text, let running = base.resource(.route, named: name) else {
            throw SnapshotError("\(origin) keeps virtual hosts of a route configuration the applied snapshot does not hold")
        }
        guard members["@type"] == .string(EnvoyKind.route.typeURL) else {
            throw SnapshotError("\(origin): route \(name) has @type \(members["@type"]?.rendered() ?? "(none)"); it must be \(EnvoyKind.route.typeURL)")
        }
        let runningBytes = Array(running.bytes.utf8)
        let held = Dictionary(running.virtualHosts.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var splice = VirtualHostSplice()
        var clusters = Set<String>(), new: [JSON] = []
        for (index, host) in hosts.enumerated() {
            if let hostName = host.text {
                guard let digest = held[hostName], digest.range.upperBound <= runningBytes.count else {
                    throw SnapshotError("\(origin): virtual_hosts[\(index)] keeps host \(hostName), which route \(name) does not hold")
                }
                let slice = runningBytes[digest.range]
                guard let named = hostClusters.clusters(digest, in: slice) else {
                    throw SnapshotError("\(origin): the applied host \(hostName) does not parse")
                }
                clusters.formUnion(named)
                splice.append(name: hostName, rendered: String(decoding: slice, as: UTF8.self))
            } else {
                guard host.members != nil else { throw SnapshotError("\(origin): virtual_hosts[\(index)] must be an object or a kept host's name") }
                clusters.formUnion(References.clusters(in: host))
                splice.append(name: host["name"]?.text ?? "", rendered: host.rendered())
                new.append(host)
            }
        }
        var shell = members
        shell["virtual_hosts"] = .string(VirtualHostSplice.marker)
        let (bytes, digests) = splice.finish(shell: JSON.object(shell).rendered())
        var fields = members
        fields["virtual_hosts"] = nil
        clusters.formUnion(References.clusters(in: .object(fields)))
        fields["virtual_hosts"] = .array(new)
        let brought: EnvoyResource
        do { brought = try EnvoyResource(kind: .route, json: .object(fields)) } catch {
            throw SnapshotError("\(origin): \(error)")
        }
        let names = digests.map(\.name)
        guard Set(names).count == names.count else { throw SnapshotError("\(origin): route \(name) names a virtual host twice") }
        return (EnvoyResource(kind: .route, name: name, bytes: bytes, virtualHosts: digests), brought, clusters)
    }
}
