import MeshDiagnostics
import MeshModel

/// A Secret as meshc reads it: a certificate reference for a Gateway's
/// `credentialName`, never key material in git (see `SecretSpec`).
extension FieldChecker {
    mutating func secret(_ spec: SecretSpec) {
        let isTLS = spec.type?.value == SecretSpec.tlsType
        for (field, map) in [("data", spec.data), ("stringData", spec.stringData)] {
            for entry in map?.entries ?? [] where isTLS || Self.holdsPrivateKey(entry.key, entry.value.value, encoded: field == "data") {
                fail(entry.value.mark, "\(field).\(entry.key)",
                     "a Secret in git must not hold \(isTLS ? "certificates or keys" : "a private key") (\(field).\(entry.key))",
                     hint: "remove \(field) and rotate the key; name files on the gateway host with the \(SecretSpec.certificateFilesAnnotation) annotation")
            }
        }
        let annotations = resource.metadata.annotations
        let files = annotations.entries.first { $0.key == SecretSpec.certificateFilesAnnotation }?.value
        let caFile = annotations.entries.first { $0.key == SecretSpec.caFileAnnotation }?.value
        guard isTLS else {
            // A client CA (`<name>-cacert`, Istio's generic Secret) may be any type; a certificate and key may not.
            if let mark = files?.mark {
                fail(spec.type?.mark ?? mark, "type", "a certificate reference must have type \(SecretSpec.tlsType)",
                     hint: "set type: \(SecretSpec.tlsType)")
            }
            if let caFile, !caFile.value.hasPrefix("/") {
                fail(caFile.mark, "metadata.annotations.\(SecretSpec.caFileAnnotation)", "\(caFile.value) is not an absolute path",
                     hint: "name the CA bundle on the gateway host from /")
            }
            return
        }
        let path = "metadata.annotations.\(SecretSpec.certificateFilesAnnotation)"
        guard let files else {
            fail(resource.metadata.mark, path, "a \(SecretSpec.tlsType) Secret needs \(SecretSpec.certificateFilesAnnotation)",
                 hint: "add \(SecretSpec.certificateFilesAnnotation): <certificate chain path>,<private key path> (files on the gateway host)")
            return
        }
        if let pair = SecretSpec.certificateFiles(resource.metadata) {
            for file in [pair.certificate, pair.key] where !file.hasPrefix("/") {
                fail(files.mark, path, "\(file) is not an absolute path", hint: "name the file on the gateway host from /")
            }
        } else {
            fail(files.mark, path, "\(files.value) is not <certificate path>,<key path>",
                 hint: "write the two absolute paths separated by a comma")
        }
        if let caFile, !caFile.value.hasPrefix("/") {
            fail(caFile.mark, "metadata.annotations.\(SecretSpec.caFileAnnotation)", "\(caFile.value) is not an absolute path",
                 hint: "name the CA bundle on the gateway host from /")
        }
    }

    /// A key named like a private key, or PEM private key text (base64 in `data`: `-----BEGIN` is `LS0tLS1CRUdJT`).
    static func holdsPrivateKey(_ key: String, _ value: String, encoded: Bool) -> Bool {
        if key == "tls.key" || key.hasSuffix(".key") || key == "key" { return true }
        return encoded ? value.hasPrefix("LS0tLS1CRUdJT") && !value.hasPrefix("LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t")
            : value.contains("PRIVATE KEY-----")
    }
}
