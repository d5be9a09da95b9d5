import ArgumentParser
import Foundation
import MeshIdentity

/// `meshc ca`: the mesh CA's folder (make or import) and signing a CSR by hand.
struct CACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ca",
        abstract: "Make or import the mesh CA and sign workload certificate requests.",
        subcommands: [CAInit.self, CASign.self, CAEnroll.self]
    )
}

/// `meshc ca init`: a new self-signed root, or an operator's existing CA imported.
struct CAInit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Make a self-signed ECDSA P-256 root in DIR, or import an existing CA with --cert/--key [--chain].",
        discussion: """
        DIR gets Istio's plug-in CA layout: ca-cert.pem, ca-key.pem (mode 0600, the folder 0700) and, \
        for an imported intermediate, cert-chain.pem and root-cert.pem. A folder that already holds a CA \
        is refused. --chain lists the certificates above --cert up to the root, in order (--cert may lead it); \
        it is needed unless --cert is itself a root. Exit status: 0 done, 2 usage or I/O errors.
        """
    )
    @Option(help: "The CA's folder.")
    var dir: String
    @Option(name: .customLong("trust-domain"), help: "The mesh's SPIFFE trust domain (a new root's subject names it).")
    var trustDomain = "cluster.local"
    @Option(help: "Import this CA certificate (PEM) instead of making a root.")
    var cert: String?
    @Option(help: "The private key of --cert (PEM, mode 0600).")
    var key: String?
    @Option(help: "The certificates above --cert up to the root (PEM).")
    var chain: String?

    func validate() throws {
        if (cert == nil) != (key == nil) { throw ValidationError("give --cert and --key together") }
        if chain != nil && cert == nil { throw ValidationError("--chain needs --cert and --key") }
    }

    func run() throws {
        let ca: MeshCA
        do {
            let domain = try TrustDomain(trustDomain)
            if let cert, let key {
                ca = try MeshCA.importIntermediate(directory: dir, cert: cert, key: key, chain: chain)
            } else {
                ca = try MeshCA.initialize(directory: dir, trustDomain: domain)
            }
        } catch let error as IdentityError {
            FileHandleOutput.standardError("meshc ca init: \(error)")
            throw ExitCode(2)
        }
        let kind = ca.isIntermediate ? "intermediate CA \(ca.certificate.subject) under \(ca.root.subject)" : "root CA \(ca.certificate.subject)"
        FileHandleOutput.standardOutput("\(dir): \(kind), valid until \(ca.certificate.notValidAfter.formatted(.iso8601))\n")
    }
}

/// `meshc ca sign`: one CSR signed for one identity, the chain printed.
struct CASign: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Sign a workload's CSR for exactly the given SPIFFE identity; print the certificate and its chain (PEM).",
        discussion: """
        The CSR (PEM PKCS#10, ECDSA P-256 or P-384) must ask for exactly --identity as its only URI SAN; \
        any other request is refused. Standard output gets the leaf followed by the CA chain (without the \
        root); standard error the serial and expiry. Exit status: 0 signed, 1 refused, 2 usage or I/O errors.
        """
    )
    @Option(help: "The CA's folder (from `meshc ca init`).")
    var dir: String
    @Option(help: "The certificate signing request (PEM file, - for standard input).")
    var csr: String
    @Option(help: "The identity to issue, spiffe://<trust-domain>/ns/<namespace>/sa/<service-account>.")
    var identity: String
    @Option(help: "Lifetime: 1m to 90d, as 90s, 30m, 24h, 7d.")
    var ttl = "24h"

    func run() throws {
        guard let duration = CertificateTTL.parse(ttl) else {
            FileHandleOutput.standardError("meshc ca sign: --ttl \(ttl) is no duration; write e.g. 30m, 24h or 7d")
            throw ExitCode(2)
        }
        let expected: SPIFFEID, ca: MeshCA, request: String
        do {
            expected = try SPIFFEID(parsing: identity)
            ca = try MeshCA(directory: dir)
            request = csr == "-" ? String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
                : try String(contentsOfFile: csr, encoding: .utf8)
        } catch {
            FileHandleOutput.standardError("meshc ca sign: \(error is IdentityError ? "\(error)" : "\(csr): \(error.localizedDescription)")")
            throw ExitCode(2)
        }
        do {
            let issued = try ca.sign(csrPEM: request, expectedIdentity: expected, ttl: duration)
            FileHandleOutput.standardOutput(issued.fullChainPEM)
            FileHandleOutput.standardError("meshc ca sign: \(expected): serial \(issued.serial), expires \(issued.expiry.formatted(.iso8601))")
        } catch let error as IdentityError {
            FileHandleOutput.standardError("meshc ca sign: \(error)")
            throw ExitCode(error.isUsage ? 2 : 1)
        }
    }
}

/// `meshc ca enroll`: a one-time token that lets one proxy's agent get its first certificate.
struct CAEnroll: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enroll",
        abstract: "Make a one-time enrollment token bound to one proxy; print it.",
        discussion: """
        The token is recorded in DIR/enrollments.json (mode 0600, beside the CA key: the reconciler \
        needs the token itself to check the agent's HMAC of its first CSR). Give it to the proxy's \
        agent in a mode-600 file (`meshc agent --enroll-token-file F`); the reconciler (`--ca-dir DIR`) \
        signs that agent's first CSR once, for the proxy named here only, before --ttl runs out. \
        Later CSRs are proved by the agent's current certificate. Exit status: 0 done, 2 usage or I/O errors.
        """
    )
    @Option(help: "The CA's folder (from `meshc ca init`).")
    var dir: String
    @Option(help: "The proxy (the agent's --proxy, the kind: Proxy name) the token is bound to.")
    var proxy: String
    @Option(help: "How long the token may be used: 1m to 90d, as 30m, 1h, 7d.")
    var ttl = "1h"

    func run() throws {
        guard let duration = CertificateTTL.parse(ttl), duration >= .seconds(60), duration <= CertificateTTL.maximum else {
            FileHandleOutput.standardError("meshc ca enroll: --ttl \(ttl): give a duration from 1m to 90d, e.g. 30m, 1h or 7d")
            throw ExitCode(2)
        }
        if proxy.isEmpty {
            FileHandleOutput.standardError("meshc ca enroll: --proxy must name a proxy")
            throw ExitCode(2)
        }
        do {
            _ = try MeshCA(directory: dir)
            let token = try EnrollmentStore.enroll(directory: dir, proxy: proxy, ttl: duration)
            FileHandleOutput.standardOutput(token + "\n")
            FileHandleOutput.standardError("meshc ca enroll: a token for proxy \(proxy), valid \(CertificateTTL.format(duration)), single use")
        } catch {
            FileHandleOutput.standardError("meshc ca enroll: \(error)")
            throw ExitCode(2)
        }
    }
}

private extension IdentityError {
    /// A bad --ttl is a usage error; a refused request is not.
    var isUsage: Bool {
        if case .ttlOutOfRange = self { return true }
        return false
    }
}
