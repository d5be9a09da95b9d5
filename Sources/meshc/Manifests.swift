import ArgumentParser
import Foundation
import MeshCompile
import MeshEmit
import MeshLint
import MeshModel
import MeshYAML

/// The compile settings `build`, `route` and `plan` share, so a plan
/// compiles the manifests exactly as the build it is compared with. They
/// matter for implicit proxies only (no `kind: Proxy` in the manifests).
struct CompileFlags: ParsableArguments {
    @Option(name: .customLong("port-offset"), help: "Implicit gateway proxies only: added to Gateway server ports for listener ports (80 → 10080 with 10000). Declared proxies give listenPort.")
    var portOffset: Int = 0

    @Option(name: .customLong("admin-port"), help: "Implicit proxies only: admin port of the first; further proxies take the next ports. Declared proxies give admin.port.")
    var adminPort: Int = 15000

    @Option(name: .customLong("listen-address"), help: "Implicit proxies only: the address listeners bind (default 0.0.0.0). Declared proxies give address; a Gateway server's bind wins.")
    var listenAddress: String = "0.0.0.0"

    func validate() throws {
        if adminPort <= 0 || adminPort > 65535 { throw ValidationError("--admin-port must be a port number") }
        if portOffset < 0 { throw ValidationError("--port-offset must not be negative") }
    }

    /// The compiler options these flags give.
    var options: CompileOptions { options(proxies: []) }

    /// The compiler options these flags give, building only `proxies` (empty: all).
    func options(proxies: [String]) -> CompileOptions {
        var options = CompileOptions()
        options.portOffset = portOffset
        options.listenAddress = listenAddress
        options.adminPort = adminPort
        if !proxies.isEmpty { options.proxies = Set(proxies) }
        return options
    }
}

/// Manifests read for compiling: linted first, decoded only when lint finds no errors.
enum Manifests {
    /// What reading gave: the decoded resources, or the lint report with errors.
    enum Loaded {
        case resources([Resource])
        case lintErrors(LintReport)
    }

    /// Expands `paths` (files and folders), lints them and decodes them; throws on I/O errors.
    static func load(_ paths: [String]) throws -> Loaded {
        var options = LintOptions()
        options.keepResources = true
        let report = try Linter.run(targets: try SourceFiles.expand(paths).map(LintSource.file), options: options)
        return report.count(.error) > 0 ? .lintErrors(report) : .resources(report.resources)
    }

    /// Prints a lint report with errors the way every compiling command does:
    /// the findings to standard output (build) or error (plan, whose standard
    /// output is the plan), then the summary and `consequence` to standard error.
    static func reportLintErrors(_ report: LintReport, command: String, consequence: String, findingsToStandardError: Bool) {
        if findingsToStandardError { FileHandleOutput.standardError(report.text()) } else { FileHandleOutput.standardOutput(report.text()) }
        FileHandleOutput.standardError(report.summaryLine)
        FileHandleOutput.standardError("meshc \(command): \(consequence); fix the errors above")
    }

    /// Per-proxy snapshots of `result`, each proxy reading its files from `<outputFolder>/<proxy>`.
    static func snapshots(_ result: CompileResult, outputFolder: URL) -> [EnvoySnapshot] {
        result.proxies.map { proxy in
            Emitter.snapshot(proxy, options: EmitOptions(directory: outputFolder.appendingPathComponent(proxy.name).path))
        }
    }
}
