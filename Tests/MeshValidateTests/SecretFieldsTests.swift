import MeshDiagnostics
import Testing

/// A Secret as a credentialName reference: files named by annotation, no key material in git (IST0106).
@Suite struct SecretFieldsTests {
    static func secret(type: String? = "kubernetes.io/tls", annotations: String, rest: String = "") -> String {
        "apiVersion: v1\nkind: Secret\n" + (type.map { "type: \($0)\n" } ?? "")
            + "metadata:\n  name: cred\n  namespace: default\n  annotations:\n\(annotations)\n\(rest)"
    }

    static let files = "    meshc.dev/certificate-files: /etc/certs/tls.crt,/etc/certs/tls.key"

    static func errors(_ yaml: String) -> [Diagnostic] { lintYAML(yaml).filter { $0.code.id == "IST0106" } }

    @Test func aReferenceWithAbsolutePathsIsClean() {
        #expect(Self.errors(Self.secret(annotations: Self.files)).isEmpty)
        let cacert = Self.secret(type: nil, annotations: "    meshc.dev/ca-certificate-file: /etc/certs/ca.crt")
        #expect(Self.errors(cacert).isEmpty, "a -cacert Secret may be generic")
    }

    @Test func keyMaterialInGitIsRefused() {
        let data = Self.errors(Self.secret(annotations: Self.files, rest: "data:\n  tls.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t\n  tls.key: eA==\n"))
        #expect(data.map(\.path) == ["data.tls.crt", "data.tls.key"])
        let generic = Self.errors(Self.secret(type: "Opaque", annotations: "    a: b",
                                              rest: "stringData:\n  password: x\n  pem: \"-----BEGIN EC PRIVATE KEY-----\"\n"))
        #expect(generic.map(\.path) == ["stringData.pem"], "a generic Secret may hold other data, never a private key")
        let encoded = Self.errors(Self.secret(type: "Opaque", annotations: "    a: b", rest: "data:\n  k: LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t\n"))
        #expect(encoded.count == 1)
    }

    @Test func theAnnotationMustNameTwoAbsolutePaths() {
        #expect(Self.errors(Self.secret(annotations: "    other: x")).map(\.path) == ["metadata.annotations.meshc.dev/certificate-files"])
        #expect(Self.errors(Self.secret(annotations: "    meshc.dev/certificate-files: /a.crt")).count == 1)
        #expect(Self.errors(Self.secret(annotations: "    meshc.dev/certificate-files: a.crt,/b.key")).count == 1)
        #expect(Self.errors(Self.secret(type: "Opaque", annotations: Self.files)).map(\.path) == ["type"])
    }
}
