import MeshDiagnostics

/// A snapshot as one JSON value for `meshc agent` (`PUT /v1/snapshot`):
///
///     {"proxy": NAME, "version": SNAPSHOT_VERSION,
///      "clusters": DiscoveryResponse, "endpoints": DiscoveryResponse,
///      "listeners": DiscoveryResponse, "routes": DiscoveryResponse}
///
/// Each DiscoveryResponse is the JSON of the matching file in `files`
/// (`clusters.json`, …). The agent owns the on-disk layout: it rewrites the
/// listeners' RDS `path_config_source` to its own route files.
extension EnvoySnapshot {
    /// The snapshot's version: FNV-1a over the four DiscoveryResponses'
    /// `version_info`s (clusters, endpoints, listeners, routes, in that order).
    /// Changes whenever any resource does.
    public var snapshotVersion: String {
        SnapshotVersions.snapshot(versionInfos: [clusters, endpoints, listeners, routes].map(SnapshotVersions.versionInfo))
    }

    /// The bundle the agent takes; `version` defaults to `snapshotVersion`.
    public func bundle(version: String? = nil) -> JSON {
        .object([
            "proxy": .string(proxy),
            "version": .string(version ?? snapshotVersion),
            "clusters": EnvoyResourceType.cluster.response(clusters),
            "endpoints": EnvoyResourceType.endpoint.response(endpoints),
            "listeners": EnvoyResourceType.listener.response(listeners),
            "routes": EnvoyResourceType.route.response(routes),
        ])
    }
}

/// The version hashes the compiler gives, for anyone who must compute the
/// same ones from JSON alone (the agent versions what it received this way).
package enum SnapshotVersions {
    /// A resource's version: FNV-1a of its canonical (compact, sorted) JSON.
    package static func resource(_ json: JSON) -> String { FNV1a64.hex(json.rendered()) }

    /// A DiscoveryResponse's `version_info` from its resources' names and versions.
    package static func versionInfo(names: [String], versions: [String]) -> String {
        var hash = FNV1a64()
        for (name, version) in zip(names, versions) { hash.combine("\(name)=\(version)\n") }
        return hash.hex
    }

    /// `versionInfo` of emitted resources (what `files` writes as `version_info`).
    package static func versionInfo(_ resources: [VersionedResource]) -> String {
        versionInfo(names: resources.map(\.name), versions: resources.map(\.version))
    }

    /// A snapshot version from the four `version_info`s.
    package static func snapshot(versionInfos: [String]) -> String {
        var hash = FNV1a64()
        for info in versionInfos { hash.combine(info + "\n") }
        return hash.hex
    }

    /// The xDS type URLs of the four bundle members, by member name.
    package static let typeURLs: [String: String] = [
        "clusters": EnvoyType.cluster,
        "endpoints": EnvoyType.clusterLoadAssignment,
        "listeners": EnvoyType.listener,
        "routes": EnvoyType.routeConfiguration,
    ]
}
