import Foundation
import MeshTestSupport

/// Everything one end-to-end test starts: a scratch folder, `meshc echo`
/// backends and Envoys. Create one per test and call `shutdown()` in a
/// `defer` (deinit does it too): every process gets SIGTERM and is waited for,
/// Envoys first, and the folder is removed.
///
///     let bed = try TestBed()
///     defer { bed.shutdown() }
///     let foo = try bed.echo(text: "foo")
///     let envoy = try bed.envoy(bootstrap: try bed.write("bootstrap.json", json))
///     let response = try HTTPConnection.get(port: listenerPort, "/")
final class TestBed {
    let folder: URL
    private var children: [Spawned] = []
    private var isShutDown = false

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("meshc-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    deinit { shutdown() }

    /// Stops every child (last started first) and removes the scratch folder.
    func shutdown() {
        guard !isShutDown else { return }
        isShutDown = true
        for child in children.reversed() { child.stop() }
        children.removeAll()
        try? FileManager.default.removeItem(at: folder)
    }

    /// Writes `text` to `<folder>/<name>` and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let file = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
        // Token and secret files must be the owner's alone (meshc refuses others); manifests do not mind.
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        return file.path
    }

    /// Starts a child process that this bed stops at shutdown.
    func spawn(name: String, executable: String, arguments: [String]) throws -> Spawned {
        let child = try Spawned(name: name, executable: executable, arguments: arguments, folder: folder)
        children.append(child)
        return child
    }

    /// A `meshc echo` backend on 127.0.0.1.
    struct Backend {
        let process: Spawned
        let port: Int
        let text: String
    }

    /// Starts `meshc echo --text <text>` and waits until it accepts connections.
    ///
    /// Without `port` the backend binds port 0 and the harness reads the real
    /// port from its "listening on 127.0.0.1:PORT" line, so no other process
    /// can take the port in between. `listen` overrides the `--listen` text.
    func echo(text: String, status: Int = 200, port: Int? = nil, listen: String? = nil) throws -> Backend {
        let listen = listen ?? "127.0.0.1:\(port ?? 0)"
        let child = try spawn(
            name: "echo-\(children.count)", executable: Tools.meshc,
            arguments: ["echo", "--text", text, "--listen", listen, "--status", String(status)])
        var bound: Int?
        let ready = poll(seconds: 10) {
            bound = port ?? Self.announced("meshc echo: listening on ", stderr: child.stderrPath)
            return !child.isRunning || bound.map(Loopback.accepts(port:)) == true
        }
        guard ready, child.isRunning, let bound else {
            child.stop()
            throw HarnessError("meshc echo --listen \(listen) did not start (exit status \(child.exitStatus.map(String.init) ?? "none"))\n\(child.outputTail())")
        }
        return Backend(process: child, port: bound, text: text)
    }

    /// The port in the first `prefix`HOST:PORT line of a child's standard error.
    static func announced(_ prefix: String, stderr path: String) -> Int? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }),
              let colon = line.lastIndex(of: ":") else { return nil }
        return Int(line[line.index(after: colon)...])
    }

    /// Starts `meshc arguments…` and waits (up to 30 s) for its
    /// "meshc <command>: listening on HOST:PORT" line; returns the child and the port.
    func spawnListening(name: String, arguments: [String]) throws -> (Spawned, Int) {
        let child = try spawn(name: name, executable: Tools.meshc, arguments: arguments)
        let prefix = "meshc \(arguments[0]): listening on "
        var port: Int?
        let up = poll(seconds: 30, every: 0.01) {
            port = Self.announced(prefix, stderr: child.stderrPath)
            return port != nil || !child.isRunning
        }
        guard up, child.isRunning, let port else {
            child.stop()
            throw HarnessError("meshc \(arguments[0]) did not start (exit status \(child.exitStatus.map(String.init) ?? "none"))\n\(child.outputTail(lines: 40))")
        }
        return (child, port)
    }

    /// Starts Envoy on `bootstrap` (a path from anywhere) and waits until its
    /// admin API's `/ready` answers `LIVE`; fails with Envoy's stderr tail otherwise.
    func envoy(bootstrap: String, concurrency: Int = 1, extraArguments: [String] = [], readySeconds: Double = 15) throws -> EnvoyProxy {
        guard let binary = Tools.envoy else { throw HarnessError(Tools.envoyMissing.rawValue) }
        let name = "envoy-\(children.count)"
        let addressFile = folder.appendingPathComponent("\(name).admin-address").path
        let child = try spawn(
            name: name, executable: binary,
            arguments: Envoy.arguments(bootstrap: bootstrap, adminAddressPath: addressFile, concurrency: concurrency, extra: extraArguments))
        let deadline = Date().addingTimeInterval(readySeconds)
        func fail(_ why: String) -> HarnessError {
            child.stop()
            return HarnessError("Envoy (\(bootstrap)) \(why)\n\(child.outputTail(lines: 30))")
        }

        var adminPort: Int?
        _ = poll(seconds: readySeconds) {
            adminPort = Self.port(inAddressFile: addressFile)
            return adminPort != nil || !child.isRunning
        }
        guard child.isRunning else { throw fail("exited with status \(child.exitStatus ?? -1) before its admin API was up") }
        guard var port = adminPort else { throw fail("wrote no admin address to \(addressFile) within \(readySeconds) s (does the bootstrap have an admin section?)") }

        var last = "no answer"
        let live = poll(seconds: max(0.5, deadline.timeIntervalSinceNow), every: 0.01) {
            guard child.isRunning else { return true }
            port = Self.port(inAddressFile: addressFile) ?? port // in case the first read saw a partial write
            let adminPort = port
            guard let response = try? HTTPConnection.get(port: adminPort, "/ready", timeout: 2) else { return false }
            last = "\(response.status) \(response.text.trimmingCharacters(in: .whitespacesAndNewlines))"
            return response.status == 200 && response.text.hasPrefix("LIVE")
        }
        guard child.isRunning else { throw fail("exited with status \(child.exitStatus ?? -1) while starting") }
        guard live else { throw fail("was not LIVE within \(readySeconds) s (last /ready: \(last))") }
        return EnvoyProxy(process: child, adminPort: port, bootstrap: bootstrap)
    }

    /// The port in Envoy's `--admin-address-path` file ("127.0.0.1:PORT").
    private static func port(inAddressFile path: String) -> Int? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let colon = trimmed.lastIndex(of: ":"), let port = Int(trimmed[trimmed.index(after: colon)...]), port > 0 else { return nil }
        return port
    }
}
