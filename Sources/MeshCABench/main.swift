import Crypto
import Dispatch
import Foundation
import MeshDiagnostics
import MeshIdentity

/// `MeshCABench [--count N] [--repeat R]`: the mesh CA signing N pre-made
/// workload CSRs (parse, signature check, identity check, issue, PEM) on
/// every core, beside N raw swift-crypto P-256 signatures on the same cores
/// (the floor: one signature per certificate), best of R rounds.
/// Issue 10's goal: 1,000 CSRs in under 1 s on 2 cores.
func main() throws {
    let args = Array(CommandLine.arguments.dropFirst())
    func option(_ name: String, _ fallback: Int) -> Int {
        args.firstIndex(of: name).flatMap { $0 + 1 < args.count ? Int(args[$0 + 1]) : nil } ?? fallback
    }
    let count = option("--count", 1000), repeats = option("--repeat", 5)
    let cores = ProcessInfo.processInfo.activeProcessorCount
    let folder = NSTemporaryDirectory() + "meshc-ca-bench-\(getpid())"
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let ca = try MeshCA.initialize(directory: folder)
    let caKey = P256.Signing.PrivateKey() // the reference signs with a key of the CA's kind

    // Not timed: the workloads' keys and CSRs, one identity each.
    let requests: [(SPIFFEID, String)] = try (0..<count).map { index in
        let identity = try SPIFFEID(namespace: "bench", serviceAccount: "sa-\(index)")
        return (identity, try makeCSR(key: .generate(), identity: identity))
    }
    let messages = requests.map { Array($0.1.utf8.prefix(400)) }
    let signed = try messages.map { ($0, try caKey.signature(for: $0)) }
    let chunk = max(1, count / (cores * 8))
    print("CA: self-signed ECDSA P-256 root; \(count) CSRs (ECDSA P-256, one identity each), TTL 24h; \(cores) cores, chunks of \(chunk)")

    var best = (sign: Double.infinity, sign1: Double.infinity, raw: Double.infinity, raw1: Double.infinity, verify1: Double.infinity)
    for round in 1...repeats {
        var start = now()
        let issued = requests.parallelMap(chunk: chunk) { request in
            Result { try ca.sign(csrPEM: request.1, expectedIdentity: request.0, ttl: CertificateTTL.default) }
        }
        let sign = now() - start
        let serials = Set(try issued.map { try $0.get().serial })
        guard serials.count == count else { throw BenchError("\(count - serials.count) duplicate serials") }

        start = now()
        for request in requests { _ = try ca.sign(csrPEM: request.1, expectedIdentity: request.0, ttl: CertificateTTL.default) }
        let sign1 = now() - start

        start = now()
        let signatures = messages.parallelMap(chunk: chunk) { (try? caKey.signature(for: $0)) != nil }
        let raw = now() - start
        guard !signatures.contains(false) else { throw BenchError("a raw signature failed") }

        start = now()
        for message in messages { _ = try caKey.signature(for: message) }
        let raw1 = now() - start

        // Issuance also checks each CSR's signature: one raw P-256 verification per CSR, 1 core.
        start = now()
        for (message, signature) in signed where !caKey.publicKey.isValidSignature(signature, for: message) { throw BenchError("a raw verification failed") }
        let verify1 = now() - start

        best = (min(best.sign, sign), min(best.sign1, sign1), min(best.raw, raw), min(best.raw1, raw1), min(best.verify1, verify1))
        print(String(format: "round %d: sign %.1f ms on %d cores (1 core: %.1f ms); raw P-256 signatures %.1f ms on %d cores (1 core: %.1f ms)",
                     round, sign * 1000, cores, sign1 * 1000, raw * 1000, cores, raw1 * 1000))
    }
    print(String(format: "signed %d CSRs in %.1f ms (%.0f/s); goal: 1,000 in under 1 s", count, best.sign * 1000, Double(count) / best.sign))
    print(String(format: "1 core: %.1f ms (%.0f/s)", best.sign1 * 1000, Double(count) / best.sign1))
    print(String(format: "reference: %d raw swift-crypto P-256 signatures in %.1f ms on %d cores (1 core: %.1f ms)", count, best.raw * 1000, cores, best.raw1 * 1000))
    print(String(format: "ratio sign / raw signature: %.2f (%d cores), %.2f (1 core)", best.sign / best.raw, cores, best.sign1 / best.raw1))
    print(String(format: "crypto floor per CSR (1 core: verify %.1f ms + sign %.1f ms): ratio sign / floor %.2f",
                 best.verify1 * 1000, best.raw1 * 1000, best.sign1 / (best.verify1 + best.raw1)))
}

/// A benchmark's own failure.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Monotonic seconds.
func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

do {
    try main()
} catch {
    FileHandle.standardError.write(Data("MeshCABench: \(error)\n".utf8))
    exit(1)
}
