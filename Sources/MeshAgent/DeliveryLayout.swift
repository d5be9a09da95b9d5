import Foundation
import MeshDiagnostics
import MeshSnapshot

/// The agent's state folder, which it owns:
///
///     bootstrap.json         Envoy's bootstrap (written at start)
///     cds.json               clusters, a DiscoveryResponse (bootstrap `cds_config.path_config_source`)
///     lds.json               listeners (bootstrap `lds_config.path_config_source`)
///     routes/<name>.pb       one RouteConfiguration per file, a binary DiscoveryResponse
///                            (`RouteBinary`; `routes/<name>.json` with `RouteFormat.json`): Envoy
///                            rejects an RDS file holding more than one ("Unexpected RDS resource length")
///     secrets/<name>.json    one SDS secret per file (`GatewaySecret.file`): a gateway
///                            server's certificate files, which Envoy reloads on change
///     applied.json           the last bundle Envoy accepted (`GET /v1/snapshot`)
///     envoy.log              Envoy's output, read back for rejection reasons
///     envoy.pid              the running Envoy's pid: an agent that died without
///                            stopping it finds it there when it starts again
///     certs/, logs/          files snapshots may name (Envoy reads certs, writes logs)
///
/// An agent running as root opens the folder to Envoy's user and to it
/// alone: Envoy's files group-readable, the rest root's (`grant(to:)`).
///
/// The snapshot's `endpoints` stay in `applied.json` only: clusters carry
/// their endpoints inline (`load_assignment`), so Envoy needs no EDS file.
///
/// Listeners arrive unbound (`RouteSource`); the agent binds every RDS
/// `config_source` to its own `routes/<name>.pb` (and every SDS
/// `sds_config` to its `secrets/<name>.json`) as it writes `lds.json`.
package struct DeliveryLayout: Sendable {
    /// The state folder, absolute.
    package let folder: String
    /// How route configurations are written.
    package let routeFormat: RouteFormat
    /// Encodes them (`RouteFormat.binary`), keeping each virtual host's encoding.
    package let routeBinary = RouteBinary()

    /// The layout of `folder` (absolute).
    package init(folder: String, routeFormat: RouteFormat = .binary) {
        self.folder = folder
        self.routeFormat = routeFormat
    }

    /// File names in the state folder (see the type's comment).
    package static let clusters = "cds.json"
    package static let listeners = "lds.json"
    package static let bootstrap = "bootstrap.json"
    package static let applied = "applied.json"
    package static let envoyLog = "envoy.log"
    package static let envoyPid = "envoy.pid"

    /// `relative` inside the state folder.
    package func path(_ relative: String) -> String { folder + "/" + relative }

    /// The bootstrap: node id = proxy, admin on 127.0.0.1 only, CDS and LDS
    /// from plain file paths (not `watched_directory`, which reloads every
    /// subscription in the folder on any rename and can run LDS before CDS).
    /// `stats`: where the Prometheus listener (`EnvoyStats.listener`) binds; nil for none.
    package func bootstrap(proxy: String, adminPort: Int, stats: (host: String, port: Int)? = nil,
                           statsTags: [(name: String, value: String)] = []) -> String {
        var members = FileBootstrap.members(proxy: proxy, adminPort: adminPort, clusters: path(Self.clusters), listeners: path(Self.listeners),
                                            stats: EnvoyStats.config(proxy: proxy, source: statsTags))
        if let stats {
            members["static_resources"] = .object(["listeners": .array([EnvoyStats.listener(host: stats.host, port: stats.port)]),
                                                   "clusters": .array([EnvoyStats.adminClusterConfig(adminPort: adminPort)])])
        }
        return JSON.object(members).rendered(pretty: true) + "\n"
    }
}

/// How the agent writes route configurations for Envoy's RDS file subscriptions.
package enum RouteFormat: String, Sendable, CaseIterable {
    /// Protobuf (`RouteBinary`): Envoy loads it about three times faster than JSON.
    case binary
    /// JSON, as `meshc build --out` writes them.
    case json

    /// The file name ending Envoy picks the parser by.
    package var fileExtension: String { self == .binary ? ".pb" : ".json" }
}
