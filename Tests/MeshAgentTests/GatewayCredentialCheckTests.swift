import Crypto
import Foundation
import MeshDiagnostics
import MeshSnapshot
import SwiftASN1
import Testing
import X509
@testable import MeshAgent

/// The agent's check of gateway credential files (IST0161's part lint cannot
/// do): certificates made here with chosen validity, files served from memory,
/// the clock fixed.
@Suite struct GatewayCredentialCheckTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)  // 2027-01-15T08:00:00Z
    static let day: TimeInterval = 24 * 3600
    static let secret = "istio-system/bookinfo-credential"
    static let chain = "/etc/meshc/certs/bookinfo.crt"
    static let key = "/etc/meshc/certs/bookinfo.key"
    static let ca = "/etc/meshc/certs/clients-ca.crt"

    /// A self-signed certificate for `key` valid from `from` to `to`, as PEM.
    static func certificate(_ key: P256.Signing.PrivateKey, from: Date, to: Date, name: String = "bookinfo.example.com") throws -> String {
        let privateKey = Certificate.PrivateKey(key)
        let subject = try DistinguishedName { CommonName(name) }
        let certificate = try Certificate(version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: privateKey.publicKey,
                                          notValidBefore: from, notValidAfter: to, issuer: subject, subject: subject,
                                          signatureAlgorithm: .ecdsaWithSHA256, extensions: Certificate.Extensions(), issuerPrivateKey: privateKey)
        return try certificate.serializeAsPEM().pemString + "\n"
    }

    static func pem(_ key: P256.Signing.PrivateKey) -> String { key.pemRepresentation + "\n" }

    /// The host's files: a certificate valid a year around `now`, its key and a client CA.
    static func files(validFrom: Date = now - 300 * day, to: Date = now + 60 * day) throws -> [String: String] {
        let key = P256.Signing.PrivateKey()
        return [chain: try certificate(key, from: validFrom, to: to), Self.key: pem(key),
                ca: try certificate(P256.Signing.PrivateKey(), from: now - day, to: now + 365 * day, name: "clients")]
    }

    /// A snapshot with the credential's secrets as the emitter writes them (`-cacert` when `mutual`).
    static func snapshot(mutual: Bool = false) throws -> ProxySnapshot {
        var secrets = [GatewaySecret.certificate(name: secret, chain: chain, key: key)]
        if mutual { secrets.append(GatewaySecret.validation(name: secret + "-cacert", ca: ca)) }
        let resources = try secrets.map { try EnvoyResource(kind: .secret, json: $0.replacing("@type", with: .string(EnvoyKind.secret.typeURL))) }
        return ProxySnapshot(proxy: "gw", resources: [.secret: resources], references: References())
    }

    /// The check over `files` (a missing one reads as the real reader says it).
    static func check(_ files: [String: String], mutual: Bool = false) throws -> GatewayCredentialCheck.Result {
        GatewayCredentialCheck.check(try snapshot(mutual: mutual), now: now) { path in
            guard let text = files[path] else { throw CredentialFileError("No such file or directory") }
            return Data(text.utf8)
        }
    }

    @Test func aValidCredentialIsAccepted() throws {
        let result = try Self.check(try Self.files(), mutual: true)
        #expect(result == GatewayCredentialCheck.Result(), "\(result)")
    }

    @Test func aSnapshotWithoutSecretsReadsNothing() throws {
        let empty = ProxySnapshot.empty(proxy: "gw")
        let result = GatewayCredentialCheck.check(empty, now: Self.now) { path in
            Issue.record("read \(path)")
            return Data()
        }
        #expect(result == GatewayCredentialCheck.Result())
    }

    @Test func anExpiredCertificateIsRefusedWithWhatToDo() throws {
        let expired = Date(timeIntervalSince1970: 1_767_312_000)  // 2026-01-02T00:00:00Z
        let result = try Self.check(try Self.files(validFrom: expired - 90 * Self.day, to: expired))
        #expect(result.refusals.map(\.description) == [
            "gateway credential istio-system/bookinfo-credential: certificate /etc/meshc/certs/bookinfo.crt expired on "
                + "2026-01-02T00:00:00Z; renew it on this host, then push again",
        ])
        #expect(GatewayCredentialCheck.reason(result.refusals) == result.refusals[0].description)
    }

    @Test func aCertificateNotValidYetIsRefused() throws {
        let result = try Self.check(try Self.files(validFrom: Self.now + Self.day, to: Self.now + 90 * Self.day))
        #expect(result.refusals.map(\.problem) == [
            "certificate /etc/meshc/certs/bookinfo.crt is not valid before 2027-01-16T08:00:00Z; "
                + "install one valid now (or check this host's clock), then push again",
        ])
    }

    @Test func aCertificateEndingWithinSevenDaysIsAppliedWithAWarning() throws {
        let result = try Self.check(try Self.files(to: Self.now + 3 * Self.day))
        #expect(result.refusals.isEmpty)
        #expect(result.warnings.map(\.description) == [
            "gateway credential istio-system/bookinfo-credential: certificate /etc/meshc/certs/bookinfo.crt expires on "
                + "2027-01-18T08:00:00Z; renew it on this host soon",
        ])
    }

    /// One broken file each: (which file, its new text or nil for missing, what the refusal says).
    @Test(arguments: [
        (chain, nil, "certificate chain /etc/meshc/certs/bookinfo.crt cannot be read (No such file or directory); put it on this host"),
        (chain, "not a certificate\n", "certificate chain /etc/meshc/certs/bookinfo.crt is not PEM (no -----BEGIN line)"),
        (chain, "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n", "is not valid PEM (its CERTIFICATE block is not base64)"),
        (chain, "-----BEGIN CERTIFICATE-----\nMIIB\n", "is not valid PEM (its CERTIFICATE block has no -----END CERTIFICATE----- line)"),
        (chain, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "certificate 1 of 1 in certificate chain /etc/meshc/certs/bookinfo.crt cannot be decoded"),
        (chain, "KEY", "certificate chain /etc/meshc/certs/bookinfo.crt holds no PEM CERTIFICATE block"),
        (key, nil, "private key /etc/meshc/certs/bookinfo.key cannot be read (No such file or directory)"),
        (key, "CHAIN", "private key /etc/meshc/certs/bookinfo.key holds no PEM private key"),
        (key, "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n", "private key /etc/meshc/certs/bookinfo.key is encrypted"),
        (key, "-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END EC PRIVATE KEY-----\n", "is encrypted"),
        (key, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "private key /etc/meshc/certs/bookinfo.key cannot be decoded"),
        (key, "OTHER KEY", "private key /etc/meshc/certs/bookinfo.key is not the key of certificate /etc/meshc/certs/bookinfo.crt"),
        (ca, nil, "client CA /etc/meshc/certs/clients-ca.crt cannot be read (No such file or directory)"),
        (ca, "EXPIRED CA", "client CA /etc/meshc/certs/clients-ca.crt expired on 2027-01-14T08:00:00Z; renew it on this host, then push again"),
    ] as [(String, String?, String)])
    func aBrokenFileIsRefusedNamingIt(_ file: String, _ text: String?, _ expected: String) throws {
        var files = try Self.files()
        // Placeholders: another file of the same credential, or a credential made for the case.
        switch text {
        case "KEY": files[file] = files[Self.key]
        case "CHAIN": files[file] = files[Self.chain]
        case "OTHER KEY": files[file] = Self.pem(P256.Signing.PrivateKey())
        case "EXPIRED CA": files[file] = try Self.certificate(P256.Signing.PrivateKey(), from: Self.now - 30 * Self.day, to: Self.now - Self.day)
        default: files[file] = text
        }
        let result = try Self.check(files, mutual: true)
        #expect(result.refusals.count == 1, "\(result.refusals)")
        let refusal = try #require(result.refusals.first)
        #expect(refusal.file == file)
        #expect(refusal.problem.contains(expected), "\(refusal.problem)")
        #expect(refusal.problem.hasSuffix("then push again"), "\(refusal.problem)")
        #expect(refusal.description.hasPrefix("gateway credential istio-system/bookinfo-credential"))
    }

    @Test func aClientCABundleNeedsOneCertificateValidNow() throws {
        var files = try Self.files()
        let expired = try Self.certificate(P256.Signing.PrivateKey(), from: Self.now - 30 * Self.day, to: Self.now - Self.day)
        files[Self.ca] = expired + files[Self.ca]!
        #expect(try Self.check(files, mutual: true) == GatewayCredentialCheck.Result())
        files[Self.ca] = expired + expired
        let result = try Self.check(files, mutual: true)
        #expect(result.refusals.map(\.description) == [
            "gateway credential istio-system/bookinfo-credential-cacert: none of the 2 certificates in client CA "
                + "/etc/meshc/certs/clients-ca.crt is valid now (each has expired or is not valid yet); renew it on this host, then push again",
        ])
    }

    /// OpenSSL reads PEM with text around blocks, lines of any length and CRLF; so does the check.
    @Test func pemIsReadAsOpenSSLReadsIt() throws {
        var files = try Self.files()
        let blocks = try PEMBlock.all(in: Data(files[Self.chain]!.utf8))
        let base64 = Data(blocks[0].der).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        files[Self.chain] = "subject=CN = bookinfo.example.com\r\n-----BEGIN CERTIFICATE-----\r\n\(base64)\r\n-----END CERTIFICATE-----\r\n"
        #expect(try Self.check(files) == GatewayCredentialCheck.Result())
    }

    @Test func everyProblemIsReportedAndTheReasonIsBounded() throws {
        let refusals = (1...7).map { GatewayCredentialCheck.Finding(secret: "ns/c\($0)", file: "/f", problem: "p\($0)") }
        #expect(GatewayCredentialCheck.reason(refusals)
            == "gateway credential ns/c1: p1; gateway credential ns/c2: p2; gateway credential ns/c3: p3; "
            + "gateway credential ns/c4: p4; gateway credential ns/c5: p5; and 2 more")
        // A missing chain and a missing key are both named.
        let result = try Self.check([:])
        #expect(result.refusals.map(\.file) == [Self.chain, Self.key])
    }

    /// The real reader: regular files only, never waiting on a FIFO.
    @Test func theReaderTakesRegularFilesOnly() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("meshc-credential-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("cert.pem").path
        try Data("hello".utf8).write(to: URL(fileURLWithPath: file))
        #expect(try CredentialFile.read(file) == Data("hello".utf8))
        let fifo = folder.appendingPathComponent("fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        for (path, why) in [(folder.appendingPathComponent("missing").path, "No such file or directory"),
                            (folder.path, "not a regular file"), (fifo, "not a regular file")] {
            do {
                _ = try CredentialFile.read(path)
                Issue.record("read \(path)")
            } catch { #expect("\(error)" == why) }
        }
    }
}
