import MeshDiagnostics

/// A Kubernetes Secret, read only as a Gateway `credentialName` reference:
/// meshc never takes key material from git. A `kubernetes.io/tls` Secret
/// names files on the gateway's host in annotations; `data` and
/// `stringData` holding a private key are lint errors.
///
/// ```yaml
/// apiVersion: v1
/// kind: Secret
/// type: kubernetes.io/tls
/// metadata:
///   name: bookinfo-credential          # the Gateway's tls.credentialName
///   namespace: istio-system            # the Gateway's namespace
///   annotations:
///     meshc.dev/certificate-files: /etc/meshc/certs/bookinfo.crt,/etc/meshc/certs/bookinfo.key
///     meshc.dev/ca-certificate-file: /etc/meshc/certs/clients-ca.crt   # optional, for MUTUAL
/// ```
package final class SecretSpec: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["apiVersion", "kind", "metadata", "type", "data", "stringData", "immutable"]
    /// `meshc.dev/certificate-files`: `<certificate chain path>,<private key path>`.
    package static let certificateFilesAnnotation = "meshc.dev/certificate-files"
    /// `meshc.dev/ca-certificate-file`: the CA bundle that verifies client certificates (MUTUAL).
    package static let caFileAnnotation = "meshc.dev/ca-certificate-file"
    /// The type a certificate reference has.
    package static let tlsType = "kubernetes.io/tls"

    package let type: Located<String>?
    package let data: StringMap?
    package let stringData: StringMap?
    package let mark: Mark

    package init(_ o: ObjectReader) {
        type = o.string("type")
        data = o.stringMap("data")
        stringData = o.stringMap("stringData")
        mark = o.mark
    }

    /// The certificate and key paths of `meshc.dev/certificate-files`; nil unless exactly two non-empty paths.
    package static func certificateFiles(_ metadata: ObjectMeta) -> (certificate: String, key: String)? {
        guard let value = metadata.annotations[certificateFilesAnnotation] else { return nil }
        let parts = value.split(separator: ",", omittingEmptySubsequences: false).map { trimmed(Substring($0)) }
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        return (parts[0], parts[1])
    }

    /// `meshc.dev/ca-certificate-file`, trimmed; nil when absent or empty.
    package static func caFile(_ metadata: ObjectMeta) -> String? {
        guard let raw = metadata.annotations[caFileAnnotation] else { return nil }
        let value = trimmed(Substring(raw))
        guard !value.isEmpty else { return nil }
        return value
    }

    private static func trimmed(_ text: Substring) -> String {
        String(text.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
