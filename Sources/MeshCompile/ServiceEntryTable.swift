import MeshModel
import MeshValidate

/// ServiceEntries with their hosts FQDN-resolved, in the documented order,
/// with the first entry declaring each host: finding the entry of a cluster
/// is a lookup, not a scan of every entry (a sidecar of a mesh of 8,000
/// ServiceEntries has 8,000 clusters, and three scans each made its compile
/// quadratic).
struct ServiceEntryTable {
    typealias Entry = (resource: Resource, spec: ServiceEntrySpec, hosts: [String])

    /// In the documented order.
    private(set) var entries: [Entry] = []
    /// Each host string (wildcards too) to the first entry declaring it.
    private var firstByHost: [String: Int] = [:]
    /// The entries with a wildcard host, in order.
    private var wildcardEntries: [Int] = []

    var count: Int { entries.count }

    mutating func append(_ entry: Entry) {
        let position = entries.count
        entries.append(entry)
        for host in entry.hosts where firstByHost[host] == nil { firstByHost[host] = position }
        if entry.hosts.contains(where: { $0.hasPrefix("*") }) { wildcardEntries.append(position) }
    }

    /// The first entry declaring `host` as it is written (resolved).
    func declaring(_ host: String) -> Entry? {
        firstByHost[host].map { entries[$0] }
    }

    /// The entry providing `host`: the first declaring it, else the first with a wildcard covering it.
    func providing(_ host: String) -> Entry? {
        if let exact = declaring(host) { return exact }
        return wildcardEntries.lazy.map { entries[$0] }.first { entry in entry.hosts.contains { $0.hasPrefix("*") && Hosts.covers($0, host) } }
    }
}
