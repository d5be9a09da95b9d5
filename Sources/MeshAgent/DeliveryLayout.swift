import Foundation
import MeshDiagnostics

/// The agent's state folder, which it owns:
///
///     bootstrap.json         Envoy's bootstrap (written at start)
///     cds.json               clusters, a DiscoveryResponse (bootstrap `cds_config.path_config_source`)
///     lds.json               listeners (bootstrap `lds_config.path_config_source`)
///     routes/<name>.json     one RouteConfiguration per file: Envoy rejects an RDS
///                            file holding more than one ("Unexpected RDS resource length")
///     applied.json           the last bundle Envoy accepted (`GET /v1/snapshot`)
///     envoy.log              Envoy's output, read back for rejection reasons
///     envoy.pid              the running Envoy's pid: an agent that died without
///                            stopping it finds it there when it starts again
///
/// The bundle's `endpoints` stay in `applied.json` only: clusters carry
/// their endpoints inline (`load_assignment`), so Envoy needs no EDS file.
///
/// Listeners arrive naming the compiler's routes file; the agent rewrites
/// every RDS `config_source` to its own `routes/<name>.json`.
package struct DeliveryLayout: Sendable {
    /// The state folder, absolute.
    package let folder: String

    /// The layout of `folder` (absolute).
    package init(folder: String) { self.folder = folder }

    /// File names in the state folder (see the type's comment).
    package static let clusters = "cds.json"
    package static let listeners = "lds.json"
    package static let bootstrap = "bootstrap.json"
    package static let applied = "applied.json"
    package static let envoyLog = "envoy.log"
    package static let envoyPid = "envoy.pid"

    /// `relative` inside the state folder.
    package func path(_ relative: String) -> String { folder + "/" + relative }

    /// The file of route configuration `name`, relative: `routes/<name>.json`
    /// with bytes outside `A-Z a-z 0-9 . _ -` (and a leading dot) written `%XX`.
    package static func routeFile(_ name: String) -> String {
        var out = ""
        for (index, byte) in name.utf8.enumerated() {
            let safe = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a)
                || byte == 0x5f || byte == 0x2d || (byte == 0x2e && index > 0)
            out += safe ? String(UnicodeScalar(byte)) : String(format: "%%%02X", byte)
        }
        return "routes/\(out).json"
    }

    /// A DiscoveryResponse file's text.
    package static func responseText(versionInfo: String, typeURL: String, resources: [JSON]) -> String {
        JSON.object([
            "version_info": .string(versionInfo),
            "type_url": .string(typeURL),
            "resources": .array(resources),
        ]).rendered(pretty: true) + "\n"
    }

    /// The bootstrap: node id = proxy, admin on 127.0.0.1 only, CDS and LDS
    /// from plain file paths (not `watched_directory`, which reloads every
    /// subscription in the folder on any rename and can run LDS before CDS).
    package func bootstrap(proxy: String, adminPort: Int) -> String {
        func source(_ file: String) -> JSON {
            .object(["path_config_source": .object(["path": .string(path(file))]), "resource_api_version": .string("V3")])
        }
        return JSON.object([
            "node": .object(["id": .string(proxy), "cluster": .string(proxy)]),
            "admin": .object(["address": .object(["socket_address": .object([
                "address": .string("127.0.0.1"), "port_value": .int(adminPort),
            ])])]),
            "dynamic_resources": .object(["cds_config": source(Self.clusters), "lds_config": source(Self.listeners)]),
        ]).rendered(pretty: true) + "\n"
    }
}

/// The RDS references inside a listener: every `rds` object with a `route_config_name`.
package enum ListenerRDS {
    /// The route configuration names a listener's connection managers ask for, sorted.
    package static func routeNames(_ listener: JSON) -> [String] {
        var names = Set<String>()
        visit(listener) { rds in
            if let name = rds["route_config_name"]?.string { names.insert(name) }
            return nil
        }
        return names.sorted()
    }

    /// `listener` with each RDS `config_source` pointing at `file(route name)`.
    package static func rewrite(_ listener: JSON, file: (String) -> String) -> JSON {
        visit(listener) { rds in
            guard var members = rds.members, let name = members["route_config_name"]?.string else { return nil }
            members["config_source"] = .object([
                "path_config_source": .object(["path": .string(file(name))]),
                "resource_api_version": .string("V3"),
            ])
            return .object(members)
        }
    }

    /// Walks `json`; `transform` sees every value under an `rds` key and may replace it.
    @discardableResult
    private static func visit(_ json: JSON, _ transform: (JSON) -> JSON?) -> JSON {
        switch json {
        case .object(let members):
            var out: [String: JSON] = [:]
            for (key, value) in members {
                if key == "rds", let replaced = transform(value) { out[key] = replaced } else { out[key] = visit(value, transform) }
            }
            return .object(out)
        case .array(let items): return .array(items.map { visit($0, transform) })
        default: return json
        }
    }
}
