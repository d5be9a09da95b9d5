import Foundation
import MeshDiagnostics

/// The SDS secrets a snapshot carries (kind `secret`): a gateway server's
/// certificate (`<namespace>/<credentialName>`) and, for MUTUAL, its client CA
/// (`<namespace>/<credentialName>-cacert`). A secret holds only file
/// references with a `watched_directory`, so Envoy reloads the files when
/// the folder changes. Listeners read each from its own file,
/// `secrets/<name>.json` (the name escaped as `RouteSource` escapes route
/// names), unbound (`meshc:`) until whoever writes the files binds them.
/// Mesh mTLS's `default` / `ROOTCA` (`SecretSource`) are not snapshot secrets.
package enum GatewaySecret {
    /// `secrets/<name>.json` (`/` and other unsafe bytes `%XX`).
    package static func file(_ name: String) -> String { "secrets/\(RouteSource.escaped(name)).json" }

    /// The unbound `sds_config` reading secret `name` from its file.
    package static func sdsConfig(_ name: String) -> JSON {
        .object([
            "path_config_source": .object(["path": .string(RouteSource.unbound + file(name))]),
            "resource_api_version": .string("V3"),
        ])
    }

    /// A `tls_certificate_sds_secret_configs` / `validation_context_sds_secret_config` entry.
    package static func secretConfig(_ name: String) -> JSON {
        .object(["name": .string(name), "sds_config": sdsConfig(name)])
    }

    /// Whether `sdsConfig` reads a snapshot secret's file (`meshc:secrets/…`), not a mesh mTLS one.
    package static func isSnapshotSecret(_ sdsConfig: JSON?) -> Bool {
        sdsConfig?["path_config_source"]?["path"]?.text?.hasPrefix(RouteSource.unbound + "secrets/") == true
    }

    /// A certificate secret's JSON (without `@type`).
    package static func certificate(name: String, chain: String, key: String) -> JSON {
        .object([
            "name": .string(name),
            "tls_certificate": .object([
                "certificate_chain": .object(["filename": .string(chain)]),
                "private_key": .object(["filename": .string(key)]),
                "watched_directory": .object(["path": .string(folder(of: chain))]),
            ]),
        ])
    }

    /// A client CA secret's JSON (without `@type`).
    package static func validation(name: String, ca: String) -> JSON {
        .object([
            "name": .string(name),
            "validation_context": .object([
                "trusted_ca": .object(["filename": .string(ca)]),
                "watched_directory": .object(["path": .string(folder(of: ca))]),
            ]),
        ])
    }

    /// The folder of a file path (`/` for a file at the root).
    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let folder = String(path[..<slash])
        return folder.isEmpty ? "/" : folder
    }

    /// The file `secrets/<name>.json` holds: a DiscoveryResponse with that one secret.
    package static func fileText(_ secret: EnvoyResource) -> String {
        DiscoveryResponse.text(.secret, [secret], versionInfo: secret.version) + "\n"
    }

    /// A parsed listener with each snapshot secret's `sds_config` removed (see the text form).
    package static func staticReferences(_ json: JSON) -> JSON {
        switch json {
        case .object(let members):
            var out: JSONObject = [:]
            for (key, value) in members where !(key == "sds_config" && isSnapshotSecret(value)) { out[key] = staticReferences(value) }
            return .object(out)
        case .array(let items): return .array(items.map(staticReferences))
        default: return json
        }
    }

    /// Listener bytes with each snapshot secret's `sds_config` removed, so
    /// the secret is read from `static_resources.secrets` by name (validation and static bootstraps).
    package static func staticReferences(_ text: String, names: some Sequence<String>) -> String {
        var out = text
        for name in names {
            out = out.replacingAll(",\"sds_config\":" + sdsConfig(name).rendered(), with: "")
        }
        return out
    }
}
