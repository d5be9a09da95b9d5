import MeshDiagnostics
import MeshIR
import MeshModel
import MeshValidate

/// Settings of one build.
package struct CompileOptions: Sendable, Equatable {
    /// Implicit gateway proxies: added to every Gateway server port to get
    /// the listener port (a local run without privileged ports). Declared
    /// proxies give their listen ports.
    package var portOffset = 0
    /// Implicit proxies: admin port of the first (in name order); each further proxy takes the next port.
    package var adminPort = 15000
    /// Implicit proxies: the address listeners bind.
    package var listenAddress = "0.0.0.0"
    /// Build only these proxies (by name); nil builds every proxy.
    package var proxies: Set<String>?
    package var config = MeshConfig.default
    /// Block the build on every lint error, runtime-state findings included
    /// (a subset whose pods are not declared yet); `--strict`.
    package var strict = false

    package init() {}
}

/// What a build produced: per-proxy IR and notes about what was left out.
package struct CompileResult: Sendable {
    /// Proxies sorted by name.
    package var proxies: [ProxyConfig]
    /// Parts of the manifests this compiler does not lower yet, sorted by position.
    package var notes: [CompileNote]
    /// What the next compile of a later commit may take over (`compile(_:index:options:previous:timed:)`).
    package var memo: CompileMemo?
}

/// Something the build skipped: a value, reported next to the output, never a crash.
package struct CompileNote: Sendable, Equatable, CustomStringConvertible {
    package var file: String
    package var line: Int
    package var column: Int
    package var message: String

    package init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `file:line:col: note: message`, the shape lint output uses.
    package var description: String { "\(file):\(line):\(column): note: \(message)" }
}

/// The passes after validation, from validated resources to per-proxy IR.
///
/// Input must be lint-clean (no errors): `meshc build` runs the Linter first.
package enum Compiler {
    /// One pass: reads and extends the shared state.
    typealias Pass = (name: String, run: (inout CompileState) -> Void)

    /// The passes, in order. Each reads only what the passes above it wrote:
    /// hosts are resolved before anything matches them; proxies are declared
    /// before gateways bind to them; merging needs the bindings; sidecar
    /// routes and gateway streams name clusters, so they come before
    /// destinations are resolved (only clusters a route uses are built);
    /// policies apply to the clusters the destinations named; lowering comes last.
    static let passes: [Pass] = [
        ("resolve-hosts", ResolveHostsPass.run),
        ("declare-proxies", DeclareProxiesPass.run),
        // Needs the declared sidecars; endpoints (traffic-policy) and inbound listeners (lower) read its modes.
        ("peer-authentication", PeerAuthenticationPass.run),
        // Needs the declared proxies' namespaces and labels; lower reads what it selected.
        ("authorization", AuthorizationPass.run),
        // Needs the declared proxies; names collector clusters before traffic-policy builds clusters.
        ("telemetry", TelemetryPass.run),
        ("bind-gateways", BindGatewaysPass.run),
        ("merge-virtual-services", MergeVirtualServicesPass.run),
        ("gateway-streams", GatewayStreamsPass.run),
        ("sidecar-routes", SidecarRoutesPass.run),
        ("resolve-destinations", ResolveDestinationsPass.run),
        ("traffic-policy", TrafficPolicyPass.run),
        ("lower", LowerPass.run),
    ]

    /// Compiles `resources` (the whole mesh) to one `ProxyConfig` per proxy.
    /// `timed`, when given, hears each stage's name and wall seconds (`index`, then each pass) — for benchmarks.
    /// `index`, when given, is the lint run's index of the same resources (built with `options.config`); else one is built.
    /// `previous`, the memo of an earlier compile (a long-lived pipeline's),
    /// lends the results its inputs allow (`CompileMemo`); with `keepMemo`
    /// the result carries this compile's memo for the next one (a one-shot
    /// build leaves it out: it holds every cluster and lowered host).
    package static func compile(_ resources: [Resource], index: MeshIndex? = nil, options: CompileOptions = CompileOptions(),
                               previous: CompileMemo? = nil, keepMemo: Bool = false,
                               timed: ((String, Double) -> Void)? = nil) -> CompileResult {
        var clock = ContinuousClock.now
        func lap(_ name: String) {
            guard let timed else { return }
            let elapsed = ContinuousClock.now - clock
            timed(name, elapsed.seconds)
            clock = ContinuousClock.now
        }
        // Held in an optional so that the last reference leaves with `take()` (see the end).
        var held: CompileState? = CompileState(index: index ?? MeshIndex(resources, config: options.config), options: options)
        held!.reusable = previous?.reusable(for: held!.index, options: options)
        held!.recordsMemo = keepMemo
        lap("index")
        for pass in passes {
            pass.run(&held!)
            lap(pass.name)
        }
        let notes = held!.notes.sorted { ($0.file, $0.line, $0.column, $0.message) < ($1.file, $1.line, $1.column, $1.message) }
        var unique: [CompileNote] = []
        for note in notes where unique.last != note { unique.append(note) }
        let result = CompileResult(proxies: held!.output.sorted { $0.name < $1.name }, notes: unique,
                                   memo: keepMemo ? CompileMemo(held!) : nil)
        // The passes' tables (rule references, targets, lowered hosts) are freed off the caller's path:
        // moved out, not copied, so the background queue holds the last reference, not this frame.
        Teardown.release(held.take())
        return result
    }
}
