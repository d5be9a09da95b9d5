import MeshDiagnostics

/// Everything one proxy gets, the unit of consistency (go-control-plane's
/// snapshot): typed resources in Envoy's order, each rendered once to
/// canonical bytes with its hash, what they reference, and one version for
/// the whole. Build writes it, plan compares two, the reconciler ships it
/// and the agent delivers it; nobody parses it back.
package struct ProxySnapshot: Sendable, Equatable {
    /// The proxy (Envoy's node id).
    package let proxy: String
    /// Per kind, in the order the source gave them (the emitter: clusters
    /// and routes by name, listeners by port).
    package let resources: [EnvoyKind: [EnvoyResource]]
    /// What listeners and route configurations name.
    package let references: References
    /// The snapshot version: `ContentVersion` over each kind's `version_info`, in kind order.
    package let version: String
    /// Per kind, its resources with their positions and `version_info`.
    private let tables: [EnvoyKind: ResourceTable]

    /// A snapshot of `resources` (kinds not given are empty).
    package init(proxy: String, resources: [EnvoyKind: [EnvoyResource]], references: References) {
        self.init(proxy: proxy, tables: resources.mapValues(ResourceTable.init), references: references)
    }

    /// A snapshot of tables made earlier (the emitter keeps a proxy's
    /// cluster and endpoint tables while its clusters stay the same).
    package init(proxy: String, tables: [EnvoyKind: ResourceTable], references: References) {
        self.proxy = proxy
        var all: [EnvoyKind: ResourceTable] = [:]
        for kind in EnvoyKind.allCases { all[kind] = tables[kind] ?? ResourceTable([]) }
        self.tables = all
        self.resources = all.mapValues(\.resources)
        self.references = references
        var hash = ContentVersion()
        // An optional kind holding nothing leaves the version as it was before the kind existed.
        for kind in EnvoyKind.allCases where !(kind.isOptional && all[kind]!.resources.isEmpty) { hash.combine(all[kind]!.versionInfo + "\n") }
        self.version = hash.hex
    }

    /// Equal resources, references and version (the tables follow from the resources).
    package static func == (a: ProxySnapshot, b: ProxySnapshot) -> Bool {
        a.proxy == b.proxy && a.version == b.version && a.resources == b.resources && a.references == b.references
    }

    /// A proxy that runs nothing.
    package static func empty(proxy: String) -> ProxySnapshot {
        ProxySnapshot(proxy: proxy, resources: [:], references: References())
    }

    /// The resources of one kind.
    package subscript(kind: EnvoyKind) -> [EnvoyResource] { resources[kind] ?? [] }

    /// The resource of `kind` named `name`, or nil.
    package func resource(_ kind: EnvoyKind, named name: String) -> EnvoyResource? {
        tables[kind]?.resource(named: name)
    }

    /// The resources of `kind` with their positions and `version_info`.
    package func table(_ kind: EnvoyKind) -> ResourceTable { tables[kind] ?? ResourceTable([]) }

    /// The version of the resource of `kind` named `name`, or nil.
    package func version(of kind: EnvoyKind, _ name: String) -> String? { resource(kind, named: name)?.version }

    /// Whether the snapshot holds no resource at all.
    package var isEmpty: Bool { resources.values.allSatisfy(\.isEmpty) }

    /// A DiscoveryResponse's `version_info`: `ContentVersion` over each resource's `name=version` line.
    package static func versionInfo(_ resources: [EnvoyResource]) -> String {
        var hash = ContentVersion()
        // The bytes of `name=version\n`, combined piece by piece (no string built per resource);
        // by index, each resource read in place.
        for index in resources.indices {
            hash.combine(resources[index].name)
            hash.combine(byte: UInt8(ascii: "="))
            hash.combine(resources[index].version)
            hash.combine(byte: UInt8(ascii: "\n"))
        }
        return hash.hex
    }

    /// The `version_info` of one kind.
    package func versionInfo(_ kind: EnvoyKind) -> String { tables[kind]?.versionInfo ?? Self.versionInfo([]) }

    /// What makes the snapshot unfit to publish, checked both ways:
    /// every reference resolves (a route naming a missing cluster, a
    /// listener naming a missing route configuration, endpoints of a missing
    /// cluster) and no route configuration is shipped that no listener
    /// names. Clusters nothing names are still allowed: the compiler keeps
    /// the cluster of a weight-0 destination. Empty when consistent.
    /// `checkedRoutes`: route configurations whose clusters are known to be
    /// in this snapshot (the emitter looked them up as it made them), not looked up again.
    package func consistencyErrors(checkedRoutes: Set<String> = []) -> [String] {
        var errors = forwardErrors(checkedRoutes: checkedRoutes)
        let routes = references.routes
        errors += self[.route].map(\.name).filter { !routes.contains($0) }.sorted().map {
            "\(proxy): route configuration \($0) is named by no listener"
        }
        let secrets = references.secrets
        errors += self[.secret].map(\.name).filter { !secrets.contains($0) }.sorted().map {
            "\(proxy): secret \($0) is named by no listener"
        }
        // Unreferenced clusters are allowed for now: a weight-0 destination keeps its cluster (see the README).
        return errors
    }

    /// The references that do not resolve (what an agent refuses to deliver).
    package func forwardErrors(checkedRoutes: Set<String> = []) -> [String] {
        let clusterTable = tables[.cluster] ?? ResourceTable([])
        func holds(_ kind: EnvoyKind, _ name: String) -> Bool {
            kind == .cluster ? clusterTable.holds(name) : tables[kind]?.holds(name) ?? false
        }
        var errors: [String] = []
        for (listener, routes) in references.listenerRoutes.sorted(by: { $0.key < $1.key }) {
            for route in routes.sorted() where !holds(.route, route) {
                errors.append("\(proxy): listener \(listener) names route configuration \(route), which is not in the snapshot")
            }
        }
        // Most names resolve: sorting waits for an owner with a missing one.
        let routeClusters = checkedRoutes.isEmpty ? references.routeClusters : references.routeClusters.filter { !checkedRoutes.contains($0.key) }
        for (owner, clusters) in references.listenerClusters.merging(routeClusters, uniquingKeysWith: { $0.union($1) })
            .sorted(by: { $0.key < $1.key }) where !clusters.allSatisfy({ holds(.cluster, $0) }) {
            for cluster in clusters.sorted() where !holds(.cluster, cluster) {
                errors.append("\(proxy): \(owner) names cluster \(cluster), which is not in the snapshot")
            }
        }
        for (listener, secrets) in references.listenerSecrets.sorted(by: { $0.key < $1.key }) {
            for secret in secrets.sorted() where !holds(.secret, secret) {
                errors.append("\(proxy): listener \(listener) names secret \(secret), which is not in the snapshot")
            }
        }
        // The emitter renders a cluster and its endpoints together, in the same order: then
        // every name equals the cluster's beside it (the same string, compared in O(1)) and nothing is looked up.
        let endpoints = self[.endpoint], clusters = clusterTable.resources
        let paired = endpoints.count == clusters.count && !endpoints.indices.contains { endpoints[$0].name != clusters[$0].name }
        for endpoint in endpoints.lazy.map(\.name) where !paired && !holds(.cluster, endpoint) {
            errors.append("\(proxy): endpoints of cluster \(endpoint), which is not in the snapshot")
        }
        return errors
    }
}

/// One kind's resources, with what finding and versioning them needs
/// (name → position, `version_info`), made once per list: a snapshot
/// built from tables made earlier hashes none of their names again.
package struct ResourceTable: Sendable, Equatable {
    /// In the order given.
    package let resources: [EnvoyResource]
    /// `ProxySnapshot.versionInfo(resources)`.
    package let versionInfo: String
    /// Name → index of the first resource of that name.
    private let positions: [String: Int]

    package init(_ resources: [EnvoyResource]) {
        self.resources = resources
        versionInfo = ProxySnapshot.versionInfo(resources)
        var table = [String: Int](minimumCapacity: resources.count)
        for index in resources.indices.reversed() { table[resources[index].name] = index }
        positions = table
    }

    /// The first resource named `name`, or nil.
    package func resource(named name: String) -> EnvoyResource? { positions[name].map { resources[$0] } }

    /// Whether a resource is named `name`.
    package func holds(_ name: String) -> Bool { positions[name] != nil }

    /// The index of the first resource named `name`, or nil.
    package func position(of name: String) -> Int? { positions[name] }

    package static func == (a: ResourceTable, b: ResourceTable) -> Bool { a.resources == b.resources }
}
