import Foundation
import MeshDiagnostics

/// `SnapshotDelta` one level down: a changed route configuration the
/// receiver holds travels with its kept virtual hosts as runs or names.
extension SnapshotDelta {
    /// `route`'s bytes with every host `running` holds at the same version
    /// written as a run of its positions there (or its quoted name).
    static func keepingHosts(of route: EnvoyResource, from running: EnvoyResource, keeping: Keeping) -> String {
        let hosts = route.virtualHosts, held = running.virtualHosts
        // Hosts keep their order too: the place after the last match first, then by name and version.
        var index: [VirtualHostDigest.Key: Int]?
        var places: [Int?] = []
        places.reserveCapacity(hosts.count)
        var cursor = 0
        for host in hosts {
            if cursor < held.count, held[cursor].name == host.name {
                places.append(held[cursor].version == host.version ? cursor : nil)
                cursor += 1
                continue
            }
            if index == nil { index = Dictionary(held.indices.map { (held[$0].key, $0) }, uniquingKeysWith: { first, _ in first }) }
            let found = index?[host.key]
            places.append(found)
            if let found { cursor = found + 1 }
        }
        guard places.contains(where: { $0 != nil }) else { return route.bytes }
        var text = route.bytes
        return text.withUTF8 { bytes -> String in
            guard let last = hosts.last, last.range.upperBound <= bytes.count else { return route.bytes }
            var out: [UInt8] = []
            out.reserveCapacity(4096)
            // Runs only go forward: a host kept before the last run's end goes by name.
            var at = 0, position = 0, runsEnd = 0
            while position < hosts.count {
                guard let place = places[position] else {
                    position += 1
                    continue
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[at..<hosts[position].range.lowerBound]))
                var count = 1
                if keeping == .runs, place >= runsEnd {
                    // Hosts kept side by side in both: one run (the byte between two hosts is their comma).
                    while position + count < hosts.count, places[position + count] == place + count,
                          hosts[position + count].range.lowerBound == hosts[position + count - 1].range.upperBound + 1 {
                        count += 1
                    }
                    out.append(contentsOf: "[\(place),\(count)]".utf8)
                    runsEnd = place + count
                } else {
                    var name = ""
                    JSON.quote(hosts[position].name, into: &name)
                    out.append(contentsOf: name.utf8)
                }
                at = hosts[position + count - 1].range.upperBound
                position += count
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[at...]))
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// The positions `[from, count]` of a run names in a list of `length`,
    /// starting at or after `after` (runs go forward and never overlap).
    static func keptRun(_ pair: [JSON], of length: Int, after: Int, origin: String) throws(SnapshotError) -> Range<Int> {
        guard pair.count == 2, case .int(let from) = pair[0], case .int(let count) = pair[1],
              count > 0, from >= after, count <= length - from else {
            throw SnapshotError("\(origin) must be a run [from, count] of the applied list's \(length) positions, after the run before it")
        }
        return from..<(from + count)
    }

    /// Whether one of `runs` (increasing, not overlapping) holds `position`.
    static func covers(_ runs: [Range<Int>], _ position: Int) -> Bool {
        var low = 0, high = runs.count
        while low < high {
            let middle = (low + high) / 2
            if runs[middle].upperBound <= position { low = middle + 1 } else { high = middle }
        }
        return low < runs.count && runs[low].contains(position)
    }

    /// The clusters each virtual host names, by host name and version, kept
    /// by a receiver across deltas so a kept host is never parsed again.
    package final class HostClusters: @unchecked Sendable {
        private var known: [String: Set<String>] = [:]
        private let lock = NSLock()

        package init() {}

        func clusters(_ host: VirtualHostDigest, in text: String) -> Set<String>? {
            let key = host.name + "\u{0}" + host.version + "\u{0}\(host.range.count)"
            if let found = lock.withLock({ known[key] }) { return found }
            guard let json = try? JSON.parse(Array(text.utf8)) else { return nil }
            let clusters = References.clusters(in: json)
            lock.withLock {
                if known.count > 100_000 { known.removeAll(keepingCapacity: true) }
                known[key] = clusters
            }
            return clusters
        }
    }

    /// A route configuration whose `hosts` keep some of the base's hosts:
    /// spliced as the emitter splices one (kept hosts' renderings taken as
    /// they are, new ones rendered), with the clusters it names, and what the
    /// delta brought of it.
    static func splice(_ item: JSON, hosts: [JSON], base: ProxySnapshot, hostClusters: HostClusters,
                       origin: String) throws(SnapshotError) -> (resource: EnvoyResource, brought: EnvoyResource, clusters: Set<String>) {
        guard let members = item.members, let name = members["name"]?.text, let running = base.resource(.route, named: name) else {
            throw SnapshotError("\(origin) keeps virtual hosts of a route configuration the applied snapshot does not hold")
        }
        guard members["@type"] == .string(EnvoyKind.route.typeURL) else {
            throw SnapshotError("\(origin): route \(name) has @type \(members["@type"]?.rendered() ?? "(none)"); it must be \(EnvoyKind.route.typeURL)")
        }
        let held = running.virtualHosts
        var lookup = HostLookup(held)
        var splice = VirtualHostSplice()
        var keptPlaces = [Bool](repeating: false, count: held.count)
        // Hosts kept by name or brought whole (runs never overlap, and the running hosts' names were checked when they came).
        var single = Set<String>()
        var runs: [Range<Int>] = []
        var newClusters = Set<String>(), new: [JSON] = []
        for (index, host) in hosts.enumerated() {
            if let pair = host.array {
                let range = try keptRun(pair, of: held.count, after: runs.last?.upperBound ?? 0, origin: "\(origin): virtual_hosts[\(index)]")
                guard let texts = running.hostTexts(range) else { throw SnapshotError("\(origin): the applied route \(name) does not hold its hosts' bytes") }
                for (offset, place) in range.enumerated() {
                    splice.append(name: held[place].name, rendered: texts[offset], version: held[place].version)
                    keptPlaces[place] = true
                }
                runs.append(range)
            } else if let hostName = host.text {
                guard let place = lookup.place(of: hostName), let text = running.hostTexts(place..<(place + 1))?.first else {
                    throw SnapshotError("\(origin): virtual_hosts[\(index)] keeps host \(hostName), which route \(name) does not hold")
                }
                splice.append(name: hostName, rendered: text, version: held[place].version)
                keptPlaces[place] = true
                guard single.insert(hostName).inserted else { throw SnapshotError("\(origin): route \(name) names a virtual host twice") }
            } else {
                guard host.members != nil else { throw SnapshotError("\(origin): virtual_hosts[\(index)] must be an object, a kept host's name or a run of kept hosts") }
                let hostName = host["name"]?.text ?? ""
                newClusters.formUnion(References.clusters(in: host))
                splice.append(name: hostName, rendered: host.rendered())
                new.append(host)
                guard single.insert(hostName).inserted else { throw SnapshotError("\(origin): route \(name) names a virtual host twice") }
            }
        }
        if !runs.isEmpty {
            for hostName in single {
                if let place = lookup.place(of: hostName), covers(runs, place) { throw SnapshotError("\(origin): route \(name) names a virtual host twice") }
            }
        }
        var shell = members
        shell["virtual_hosts"] = .string(VirtualHostSplice.marker)
        let resource = splice.resource(name: name, shell: JSON.object(shell).rendered())
        var fields = members
        fields["virtual_hosts"] = nil
        newClusters.formUnion(References.clusters(in: .object(fields)))
        fields["virtual_hosts"] = .array(new)
        let brought: EnvoyResource
        do { brought = try EnvoyResource(kind: .route, json: .object(fields)) } catch {
            throw SnapshotError("\(origin): \(error)")
        }
        let clusters = try routeClusters(running, base: base, kept: keptPlaces, new: newClusters, hostClusters: hostClusters, origin: origin)
        return (resource, brought, clusters)
    }

    /// The clusters the spliced configuration names: its kept hosts' (`kept`
    /// marks them among `running`'s), and `new` (its new hosts' and its own
    /// fields'). When everything the running configuration named outside the
    /// kept hosts is named again in `new`, that is the running configuration's
    /// set with `new` added (exact: the set holds the kept hosts' and what
    /// `new` holds); otherwise the kept hosts' clusters are gathered one by one.
    private static func routeClusters(_ running: EnvoyResource, base: ProxySnapshot, kept: [Bool], new: Set<String>,
                                      hostClusters: HostClusters, origin: String) throws(SnapshotError) -> Set<String> {
        func named(_ places: [Int]) throws(SnapshotError) -> Set<String> {
            var clusters = Set<String>()
            for place in places {
                let host = running.virtualHosts[place]
                guard let text = running.hostTexts(place..<(place + 1))?.first, let named = hostClusters.clusters(host, in: text) else {
                    throw SnapshotError("\(origin): the applied host \(host.name) does not parse")
                }
                clusters.formUnion(named)
            }
            return clusters
        }
        let dropped = kept.indices.filter { !kept[$0] }
        if let before = base.references.routeClusters[running.name],
           let shell = running.keepingHosts({ _ in false }), let shellJSON = try? JSON.parse(shell) {
            var outside = try named(dropped)
            outside.formUnion(References.clusters(in: shellJSON))
            if outside.isSubset(of: new) { return before.union(new) }
        }
        var clusters = try named(kept.indices.filter { kept[$0] })
        clusters.formUnion(new)
        return clusters
    }

    /// A running route's host positions by name, looked up by a scan while
    /// few are asked for, by a table past that.
    private struct HostLookup {
        let hosts: [VirtualHostDigest]
        var asked = 0
        var table: [String: Int]?

        init(_ hosts: [VirtualHostDigest]) { self.hosts = hosts }

        mutating func place(of name: String) -> Int? {
            asked += 1
            if table == nil, asked > 8 {
                table = Dictionary(hosts.indices.map { (hosts[$0].name, $0) }, uniquingKeysWith: { first, _ in first })
            }
            if let table { return table[name] }
            return hosts.firstIndex { $0.name == name }
        }
    }
}
