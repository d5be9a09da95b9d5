import Foundation

/// `envoy --mode validate` on a proxy's static bootstrap, the oracle for
/// what the compiler emits (50–250 ms each). Results are kept per snapshot
/// version, so an unchanged proxy is never validated twice.
public final class EnvoyValidator: @unchecked Sendable {
    /// The Envoy binary.
    public let envoy: String
    private let lock = NSLock()
    private var verdicts: [String: String?] = [:]

    /// A validator running `envoy`.
    public init(envoy: String) { self.envoy = envoy }

    /// nil when Envoy accepts `proxy`'s bootstrap, else Envoy's reason.
    public func validate(_ proxy: DesiredProxy) async -> String? {
        let key = proxy.name + "@" + proxy.snapshotVersion
        if let known = lock.withLock({ verdicts[key] }) { return known }
        let verdict = await Task.detached { [envoy] in Self.run(envoy: envoy, bootstrap: proxy.bootstrap, name: proxy.name) }.value
        lock.withLock { verdicts[key] = verdict }
        return verdict
    }

    /// Writes the bootstrap to a temporary folder and runs Envoy on it (blocking).
    static func run(envoy: String, bootstrap: String, name: String) -> String? {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("meshc-validate-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("\(name).bootstrap.json")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(bootstrap.utf8).write(to: file)
        } catch {
            return "cannot write the bootstrap to \(folder.path): \(error.localizedDescription)"
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: envoy)
        process.arguments = ["--mode", "validate", "-c", file.path, "--log-level", "error", "--disable-hot-restart"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        do { try process.run() } catch { return "cannot run \(envoy): \(error.localizedDescription)" }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus != 0 else { return nil }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        let reason = lines.last { $0.contains("error") || $0.contains("rror:") } ?? lines.last ?? "exit status \(process.terminationStatus)"
        return reason.trimmingCharacters(in: .whitespaces)
    }
}
