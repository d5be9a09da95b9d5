import MeshSnapshot

/// One file the agent puts in place (staging file, fsync, rename), relative to the state folder.
package struct DeliveryFile: Equatable, Sendable {
    /// Relative to the state folder (`cds.json`, `routes/http.80.json`).
    package var path: String
    /// The whole content.
    package var text: String
}

extension DeliveryLayout {
    /// `cds.json` holding `clusters` under `versionInfo`, their secret files (`SecretSource`, mesh mTLS) bound to this folder.
    package func clustersFile(_ clusters: [EnvoyResource], versionInfo: String) -> DeliveryFile {
        let text = DiscoveryResponse.text(.cluster, clusters, versionInfo: versionInfo) { RouteSource.bind($0.bytes, folder: folder) }
        return DeliveryFile(path: Self.clusters, text: text + "\n")
    }

    /// `lds.json`: the snapshot's listeners, their route files and secret files bound to this folder.
    package func listenersFile(_ snapshot: ProxySnapshot) -> DeliveryFile {
        let text = DiscoveryResponse.text(.listener, snapshot[.listener]) { RouteSource.bind($0.bytes, folder: folder) }
        return DeliveryFile(path: Self.listeners, text: text + "\n")
    }

    /// `routes/<name>.json`: one route configuration, `version_info` = its version.
    package func routeFile(_ route: EnvoyResource) -> DeliveryFile {
        DeliveryFile(path: RouteSource.file(route.name), text: DiscoveryResponse.text(.route, [route], versionInfo: route.version) + "\n")
    }

    /// `secrets/<name>.json` (`GatewaySecret.file`): one SDS secret, `version_info` = its version.
    package func secretFile(_ secret: EnvoyResource) -> DeliveryFile {
        DeliveryFile(path: GatewaySecret.file(secret.name), text: GatewaySecret.fileText(secret))
    }

    /// Every xDS file of `snapshot`, for a folder that has none yet (or whose
    /// Envoy is not running): secret and route files first, then clusters, then listeners.
    package func allFiles(_ snapshot: ProxySnapshot) -> [DeliveryFile] {
        snapshot[.secret].map(secretFile) + snapshot[.route].map(routeFile) + [clustersFile(snapshot[.cluster], versionInfo: snapshot.versionInfo(.cluster)), listenersFile(snapshot)]
    }
}
