import MeshDiagnostics

/// Where Envoy reads the proxy's identity: two SDS secrets in files of the
/// proxy's folder, named as Istio names them. `default` holds the
/// workload's certificate chain and private key, `ROOTCA` the mesh's trust
/// bundle. Snapshots name them unbound (`meshc:certs/<name>.json`), like
/// route files (`RouteSource`); whoever writes the files binds the folder.
/// The files themselves are not part of a snapshot: the agent writes them
/// from the key it made and the certificate the mesh CA signed.
package enum SecretSource {
    /// The workload certificate and key (`tls_certificate`).
    package static let certificate = "default"
    /// The trust bundle (`validation_context.trusted_ca`).
    package static let root = "ROOTCA"

    /// `certs/<name>.json` (names are fixed: `default`, `ROOTCA`).
    package static func file(_ name: String) -> String { "certs/\(name).json" }

    /// An `sds_config` reading secret `name` from its unbound file.
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

    /// The DiscoveryResponse text of the `default` secret: certificate chain and key inline.
    package static func certificateFile(chainPEM: String, keyPEM: String, version: String) -> String {
        response(version: version, secret: .object([
            "@type": .string(typeURL), "name": .string(certificate),
            "tls_certificate": .object([
                "certificate_chain": .object(["inline_string": .string(chainPEM)]),
                "private_key": .object(["inline_string": .string(keyPEM)]),
            ]),
        ]))
    }

    /// The DiscoveryResponse text of the `ROOTCA` secret: the trust bundle inline.
    package static func rootFile(rootPEM: String, version: String) -> String {
        response(version: version, secret: .object([
            "@type": .string(typeURL), "name": .string(root),
            "validation_context": .object(["trusted_ca": .object(["inline_string": .string(rootPEM)])]),
        ]))
    }

    /// The secret names snapshots may reference.
    package static let names = [certificate, root]

    /// `text` (rendered JSON) with each unbound secret file path replaced by
    /// `/dev/null`, for `envoy --mode validate` (see `ValidationBootstrap`).
    package static func validationStandIns(_ text: String) -> String {
        var out = text
        for name in names {
            out = out.replacingAll("\"path\":\"" + RouteSource.unbound + file(name) + "\"", with: "\"path\":\"/dev/null\"")
        }
        return out
    }

    /// The v3 Secret type URL.
    package static let typeURL = "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret"

    private static func response(version: String, secret: JSON) -> String {
        JSON.object(["version_info": .string(version), "resources": .array([secret])]).rendered() + "\n"
    }
}
