/// FQDN host names interned to dense integer IDs, so the index and the
/// analyzers compare and look up hosts by number instead of hashing
/// strings. Built once while the index is built; read-only afterwards.
struct HostTable {
    /// A host's ID: its index in `names`.
    typealias ID = Int32

    /// The host names, by ID.
    private(set) var names: [String] = []
    private var ids: [HashedString: ID] = [:]

    /// How many hosts are interned (IDs are `0..<count`).
    var count: Int { names.count }

    /// The ID of `name`, interning it on first sight.
    mutating func intern(_ name: String) -> ID {
        let key = HashedString(name)
        if let known = ids[key] { return known }
        let id = ID(names.count)
        names.append(name)
        ids[key] = id
        return id
    }

    /// The ID of `name` when it was interned.
    func id(of name: String) -> ID? { ids[HashedString(name)] }

    subscript(id: ID) -> String { names[Int(id)] }
}

/// `Hosts.fqdn` interned, with a cache: a mesh names the same short hosts
/// from the same namespaces over and over, and each miss builds a new String.
/// Used only while the index is built (it mutates).
struct HostResolver {
    /// A short host in a namespace; hashed once, with `ByteHash`.
    private struct Key: Hashable {
        var host: String
        var namespace: String
        var digest: UInt64

        init(host: String, namespace: String) {
            self.host = host
            self.namespace = namespace
            digest = ByteHash.digest(host, namespace)
        }

        static func == (a: Key, b: Key) -> Bool { a.digest == b.digest && a.host == b.host && a.namespace == b.namespace }

        func hash(into hasher: inout Hasher) { hasher.combine(digest) }
    }

    let domain: String
    var table = HostTable()
    private var cache: [Key: HostTable.ID] = [:]

    init(domain: String) { self.domain = domain }

    /// The ID of `host` FQDN-resolved in `namespace`.
    mutating func id(_ host: String, namespace: String) -> HostTable.ID {
        guard Hosts.isShortName(host) else { return table.intern(host) }
        let key = Key(host: host, namespace: namespace)
        if let known = cache[key] { return known }
        let id = table.intern(Hosts.fqdn(host, namespace: namespace, domain: domain))
        cache[key] = id
        return id
    }
}
