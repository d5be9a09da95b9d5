import MeshSnapshot

/// One file the agent puts in place (staging file, fsync, rename), relative to the state folder.
package struct DeliveryFile: Equatable, Sendable {
    /// Relative to the state folder (`cds.json`, `routes/http.80.pb`).
    package var path: String
    /// The whole content.
    package var bytes: [UInt8]

    package init(path: String, text: String) {
        self.path = path
        self.bytes = Array(text.utf8)
    }

    package init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
    }

    /// The content as text (JSON files).
    package var text: String { String(decoding: bytes, as: UTF8.self) }
}

extension DeliveryLayout {
    /// `cds.json` holding `clusters` under `versionInfo`, their secret files (`SecretSource`, mesh mTLS) bound to this folder.
    package func clustersFile(_ clusters: [EnvoyResource], versionInfo: String) -> DeliveryFile {
        let binding = RouteSource.Binding(folder: folder)
        let text = DiscoveryResponse.text(.cluster, clusters, versionInfo: versionInfo) { binding($0) }
        return DeliveryFile(path: Self.clusters, text: text + "\n")
    }

    /// `lds.json`: the snapshot's listeners, their route files and secret files bound to this folder.
    package func listenersFile(_ snapshot: ProxySnapshot) -> DeliveryFile {
        let binding = RouteSource.Binding(folder: folder)
        let text = DiscoveryResponse.text(.listener, snapshot[.listener]) { bytes in
            binding(routeFormat == .json ? bytes : RouteSource.renamingRouteFiles(bytes, to: RouteFormat.binary.fileExtension))
        }
        return DeliveryFile(path: Self.listeners, text: text + "\n")
    }

    /// `routes/<name>.pb` (`.json` with `RouteFormat.json`): one route configuration, `version_info` = its version.
    /// A configuration `RouteBinary` cannot write (`unwritableRoute` refuses it first) gets an empty file,
    /// which Envoy takes for no configuration at all and rejects: the stage is never confirmed and is undone.
    package func routeFile(_ route: EnvoyResource) -> DeliveryFile {
        switch routeFormat {
        case .json:
            return DeliveryFile(path: routePath(route.name), text: DiscoveryResponse.text(.route, [route], versionInfo: route.version) + "\n")
        case .binary:
            return DeliveryFile(path: routePath(route.name), bytes: (try? routeBinary.file(route)) ?? [])
        }
    }

    /// Where route configuration `name`'s file goes, relative to the folder.
    package func routePath(_ name: String) -> String {
        RouteSource.file(name, fileExtension: routeFormat.fileExtension)
    }

    /// Why a route configuration of `bundle` that `applied` does not hold as
    /// is cannot be written in `routeFormat` (a field or type `RouteBinary`
    /// has no binary form for), or nil. Encoding them keeps their hosts for the files.
    package func unwritableRoute(in bundle: ProxySnapshot, over applied: ProxySnapshot?) -> String? {
        guard routeFormat == .binary else { return nil }
        for route in bundle[.route] where applied?.version(of: .route, route.name) != route.version {
            do { _ = try routeBinary.file(route) } catch {
                return "\(error.description): the agent writes route configurations as protobuf (--route-format binary) and has no binary form for this; "
                    + "run it with --route-format json to deliver them as JSON"
            }
        }
        return nil
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
