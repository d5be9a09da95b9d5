import MeshDiagnostics

/// One file the agent puts in place (staging file, fsync, rename), relative to the state folder.
package struct DeliveryFile: Equatable, Sendable {
    /// Relative to the state folder (`cds.json`, `routes/http.80.json`).
    package var path: String
    /// The whole content.
    package var text: String
}

extension DeliveryLayout {
    /// `cds.json` holding `clusters` under `versionInfo`.
    package func clustersFile(_ clusters: [DiscoveryResponse.Resource], versionInfo: String, typeURL: String) -> DeliveryFile {
        DeliveryFile(path: Self.clusters, text: Self.responseText(versionInfo: versionInfo, typeURL: typeURL, resources: clusters.map(\.json)))
    }

    /// `lds.json`: the bundle's listeners, their RDS sources rewritten to this folder's route files.
    package func listenersFile(_ listeners: DiscoveryResponse) -> DeliveryFile {
        let rewritten = listeners.resources.map { resource in
            ListenerRDS.rewrite(resource.json) { path(Self.routeFile($0)) }
        }
        return DeliveryFile(path: Self.listeners, text: Self.responseText(versionInfo: listeners.versionInfo, typeURL: listeners.typeURL, resources: rewritten))
    }

    /// `routes/<name>.json`: one route configuration, `version_info` = its version.
    package func routeFile(_ route: DiscoveryResponse.Resource, typeURL: String) -> DeliveryFile {
        DeliveryFile(path: Self.routeFile(route.name), text: Self.responseText(versionInfo: route.version, typeURL: typeURL, resources: [route.json]))
    }

    /// Every xDS file of `bundle`, for a folder that has none yet (or whose
    /// Envoy is not running): route files first, then clusters, then listeners.
    package func allFiles(_ bundle: SnapshotBundle) -> [DeliveryFile] {
        bundle.routes.resources.map { routeFile($0, typeURL: bundle.routes.typeURL) }
            + [clustersFile(bundle.clusters.resources, versionInfo: bundle.clusters.versionInfo, typeURL: bundle.clusters.typeURL),
               listenersFile(bundle.listeners)]
    }
}
