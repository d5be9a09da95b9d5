import Foundation

/// Throwaway certificates for tests that need real TLS (Envoy loads and
/// checks them): one self-signed certificate made by `openssl`, which is
/// also its own CA bundle.
package enum TestCertificates {
    /// A folder with `cert.pem` (self-signed, for `commonName`, with DNS SAN
    /// `subjectAltName` when given), `key.pem` and `ca.pem` (the same
    /// certificate); nil when openssl fails.
    package static func selfSigned(commonName: String, subjectAltName: String? = nil) -> String? {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("meshc-test-certs-\(UUID().uuidString)")
        guard (try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)) != nil else { return nil }
        var arguments = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=\(commonName)",
                         "-keyout", folder.appendingPathComponent("key.pem").path, "-out", folder.appendingPathComponent("cert.pem").path]
        if let subjectAltName { arguments += ["-addext", "subjectAltName=DNS:\(subjectAltName)"] }
        let run = try? Subprocess.run("openssl", arguments)
        guard run?.status == 0,
              (try? FileManager.default.copyItem(at: folder.appendingPathComponent("cert.pem"), to: folder.appendingPathComponent("ca.pem"))) != nil
        else { return nil }
        return folder.path
    }
}
