import Foundation
import MeshTestSupport

/// A running Envoy started by `TestBed.envoy(bootstrap:)`.
///
/// Envoy gets `--admin-address-path`, so the bootstrap may give its admin
/// listener port 0 (as the tests' static bootstraps do): the real admin
/// address is read back from that file. Any bootstrap file works, hand-written
/// or compiled by `meshc build`, as long as it has an `admin` section on loopback.
struct EnvoyProxy {
    let process: Spawned
    /// The admin API's port on 127.0.0.1.
    let adminPort: Int
    /// The bootstrap file Envoy was started with.
    let bootstrap: String

    /// GET on the admin API.
    func admin(_ path: String) throws -> HTTPResponse {
        try HTTPConnection.get(port: adminPort, path)
    }

    /// The port listener `name` is bound to (from `/listeners?format=json`);
    /// lets a bootstrap give its listeners port 0.
    func listenerPort(named name: String) throws -> Int {
        let response = try admin("/listeners?format=json")
        let json = try JSONSerialization.jsonObject(with: response.body) as? [String: Any]
        let statuses = json?["listener_statuses"] as? [[String: Any]] ?? []
        for status in statuses where status["name"] as? String == name {
            let local = status["local_address"] as? [String: Any]
            let socket = local?["socket_address"] as? [String: Any]
            if let port = socket?["port_value"] as? Int { return port }
        }
        throw HarnessError("Envoy has no listener named \(name.debugDescription): \(response.text.prefix(500))")
    }

    /// The value of counter or gauge `name` from `/stats`, or nil when absent.
    func stat(_ name: String) throws -> Int? {
        let text = try admin("/stats?filter=^\(NSRegularExpression.escapedPattern(for: name))$").text
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0] == name { return Int(parts[1].trimmingCharacters(in: .whitespaces)) }
        }
        return nil
    }

    /// Envoy's stderr (and stdout) tail, for failure messages.
    func logTail(lines: Int = 30) -> String { process.outputTail(lines: lines) }
}

/// Envoy itself: the command lines the harness uses.
enum Envoy {
    /// Arguments for a test Envoy. `--disable-hot-restart` lets several Envoys
    /// share the host without shared-memory base ids.
    static func arguments(bootstrap: String, adminAddressPath: String, concurrency: Int, extra: [String]) -> [String] {
        ["-c", bootstrap, "--log-level", "warn", "--disable-hot-restart",
         "--concurrency", String(concurrency), "--admin-address-path", adminAddressPath] + extra
    }

    /// `envoy --mode validate -c bootstrap`: the oracle for a whole config.
    /// Returns Envoy's exit status and combined output.
    static func validate(bootstrap: String) throws -> (status: Int32, output: String) {
        guard let envoy = Tools.envoy else { throw HarnessError(Tools.envoyMissing.rawValue) }
        let run = try Subprocess.run(envoy, ["--mode", "validate", "-c", bootstrap, "--log-level", "warn", "--disable-hot-restart"],
                                     timeout: 30)
        return (run.status, run.stdout + run.stderr)
    }
}
