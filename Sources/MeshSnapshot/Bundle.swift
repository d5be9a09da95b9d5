import MeshDiagnostics

/// The wire form of a snapshot, what `PUT /v1/snapshot` carries and
/// `GET /v1/snapshot` returns (canonical JSON, keys sorted):
///
///     {"clusters": DiscoveryResponse, "endpoints": …, "listeners": …,
///      "proxy": NAME, "routes": …, "secrets": …, "version": SNAPSHOT_VERSION}
///
/// `secrets` is there only when the snapshot holds secrets (`GatewaySecret`).
///
/// Each DiscoveryResponse is the one `meshc build` writes to `<kind>.json`,
/// with listeners unbound (`RouteSource`).
extension ProxySnapshot {
    /// The bundle's bytes, spliced from each resource's rendering.
    package func bundle() -> String {
        var out = ""
        out.reserveCapacity(EnvoyKind.allCases.reduce(256) { $0 + self[$1].reduce(160) { $0 + $1.bytes.utf8.count + 1 } })
        writeBundle(to: &out)
        return out
    }

    /// The bundle's bytes written to `out` piece by piece: each kind's
    /// response in place, with the version_info its table keeps (the agent's
    /// applied record goes to its file this way, never whole in memory).
    package func writeBundle(to out: inout some TextOutputStream) {
        out.write("{")
        for kind in EnvoyKind.allCases where kind.member < "proxy" && !(kind.isOptional && self[kind].isEmpty) {
            out.write("\"\(kind.member)\":")
            DiscoveryResponse.append(kind, self[kind], versionInfo: versionInfo(kind), to: &out)
            out.write(",")
        }
        var name = "\"proxy\":"
        JSON.quote(proxy, into: &name)
        out.write(name)
        for kind in EnvoyKind.allCases where kind.member > "proxy" && !(kind.isOptional && self[kind].isEmpty) {
            out.write(",\"\(kind.member)\":")
            DiscoveryResponse.append(kind, self[kind], versionInfo: versionInfo(kind), to: &out)
        }
        var tail = ",\"version\":"
        JSON.quote(version, into: &tail)
        out.write(tail + "}")
    }

    /// Parses and checks a bundle (an agent's input, a running proxy's
    /// state): every member present and well-formed, resources typed and
    /// named, listeners' RDS unbound (whatever path they named), and every
    /// reference resolving. Throws a `SnapshotError` saying what is wrong.
    /// `version`, when the bundle carries one, must be the snapshot's own.
    package init(bundle bytes: some Collection<UInt8>) throws(SnapshotError) {
        let json: JSON
        do { json = try JSON.parse(bytes) } catch { throw SnapshotError("the bundle is not JSON: \(error)") }
        guard let members = json.members else {
            throw SnapshotError("the bundle must be a JSON object {proxy, version, clusters, endpoints, listeners, routes}")
        }
        guard let proxy = members["proxy"]?.text, !proxy.isEmpty else { throw SnapshotError("\"proxy\" must be a non-empty string") }
        var responses: [EnvoyKind: JSON] = [:]
        for kind in EnvoyKind.allCases {
            guard let member = members[kind.member] else {
                if kind.isOptional { continue }
                throw SnapshotError("\"\(kind.member)\" is missing (a DiscoveryResponse, as in meshc build's \(kind.isWrittenWhole ? kind.fileName : RouteSource.folder + "/<name>.json"))")
            }
            responses[kind] = member
        }
        try self.init(proxy: proxy, responses: responses, origin: "bundle of \(proxy)")
        if let claimed = members["version"], claimed != .string(version) {
            throw SnapshotError("\"version\" is \(claimed.rendered()), but the resources hash to \"\(version)\" (a bundle's version is its content's hash)")
        }
    }

    /// A snapshot from one DiscoveryResponse per kind (a missing kind holds
    /// nothing): resources checked and versioned, listeners unbound,
    /// references read from the JSON and required to resolve.
    package init(proxy: String, responses: [EnvoyKind: JSON], origin: String) throws(SnapshotError) {
        var resources: [EnvoyKind: [EnvoyResource]] = [:]
        var listeners: [(name: String, json: JSON)] = [], routes: [(name: String, json: JSON)] = []
        for kind in EnvoyKind.allCases {
            guard let response = responses[kind] else { continue }
            var parsed = try DiscoveryResponse.resources(kind, in: response, origin: origin)
            if kind == .listener {
                parsed = try parsed.map { resource, json throws(SnapshotError) in
                    let unbound = RouteSource.unbind(json)
                    return unbound == json ? (resource, json) : (try EnvoyResource(kind: .listener, json: unbound), unbound)
                }
                listeners = parsed.map { ($0.0.name, $0.1) }
            }
            if kind == .route { routes = parsed.map { ($0.0.name, $0.1) } }
            resources[kind] = parsed.map(\.0)
        }
        self.init(proxy: proxy, resources: resources, references: References.extract(listeners: listeners, routes: routes))
        if let problem = forwardErrors().first { throw SnapshotError("\(origin): \(problem)") }
    }
}
