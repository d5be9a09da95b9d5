import Foundation
import MeshDiagnostics

/// `SnapshotDelta` one level down: a changed route configuration the
/// receiver holds travels with its kept virtual hosts by name.
extension SnapshotDelta {
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

    /// A route configuration whose `hosts` name some of the base's hosts:
    /// spliced as the emitter splices one (kept hosts' bytes copied, new ones
    /// rendered), with the clusters it names, and what the delta brought of it.
    static func splice(_ item: JSON, hosts: [JSON], base: ProxySnapshot, hostClusters: HostClusters,
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
                splice.append(name: hostName, rendered: String(decoding: slice, as: UTF8.self), version: digest.version)
            } else {
                guard host.members != nil else { throw SnapshotError("\(origin): virtual_hosts[\(index)] must be an object or a kept host's name") }
                clusters.formUnion(References.clusters(in: host))
                splice.append(name: host["name"]?.text ?? "", rendered: host.rendered())
                new.append(host)
            }
        }
        var shell = members
        shell["virtual_hosts"] = .string(VirtualHostSplice.marker)
        let resource = splice.resource(name: name, shell: JSON.object(shell).rendered())
        var fields = members
        fields["virtual_hosts"] = nil
        clusters.formUnion(References.clusters(in: .object(fields)))
        fields["virtual_hosts"] = .array(new)
        let brought: EnvoyResource
        do { brought = try EnvoyResource(kind: .route, json: .object(fields)) } catch {
            throw SnapshotError("\(origin): \(error)")
        }
        let names = resource.virtualHosts.map(\.name)
        guard Set(names).count == names.count else { throw SnapshotError("\(origin): route \(name) names a virtual host twice") }
        return (resource, brought, clusters)
    }
}
