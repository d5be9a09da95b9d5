import ArgumentParser
import Foundation
import MeshCompile
import MeshDiagnostics
import MeshLint
import MeshPipeline

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

    @Flag(name: .customLong("strict"), help: "Refuse to build on every lint error, including findings about runtime state (a DestinationRule subset whose pods are not declared yet, a Gateway no declared workload serves).")
    var strict = false

    func validate() throws {
        if adminPort <= 0 || adminPort > 65535 { throw ValidationError("--admin-port must be a port number") }
        if portOffset < 0 { throw ValidationError("--port-offset must not be negative") }
    }

    /// The compiler options these flags give, building only `proxies` (empty: all).
    func options(proxies: [String] = []) -> CompileOptions {
        var options = CompileOptions()
        options.portOffset = portOffset
        options.listenAddress = listenAddress
        options.adminPort = adminPort
        options.strict = strict
        if !proxies.isEmpty { options.proxies = Set(proxies) }
        return options
    }
}

/// Which files `lint`, `build` and `plan` read: `--exclude` patterns on top
/// of the repository's `.meshcignore` (gitignore syntax, relative to the
/// repository root).
struct SourceFilterFlags: ParsableArguments {
    @Option(name: .customLong("exclude"), help: ArgumentHelp("Leave out files and folders matching this gitignore-style pattern, relative to the repository root (repeatable); added to the root's .meshcignore.", valueName: "glob"))
    var excludes: [String] = []

    /// The filter for files on disk: the current folder's repository's `.meshcignore`, then `--exclude`.
    func filter(command: String, ioExitCode: Int32 = 2) throws -> ManifestFilter {
        do { return try ManifestFilter.load(excludes: excludes) } catch {
            FileHandleOutput.standardError("meshc \(command): \(error)")
            throw ExitCode(ioExitCode)
        }
    }

    /// The `--exclude` patterns alone (for a commit, which brings its own `.meshcignore`).
    var rules: IgnoreRules { IgnoreRules(patterns: excludes) }
}

/// How compiling commands run the pipeline on manifest files and report
/// what stops it: lint findings, I/O errors, an unknown `--proxy`.
enum Manifests {
    /// Lints, compiles and emits `paths`. Lint errors print the findings (to
    /// standard error when `findingsToStandardError`: plan's output is the
    /// plan) and exit 1; I/O errors exit `ioExitCode`; naming a proxy the
    /// manifests do not give exits `ioExitCode` too.
    static func build(paths: [String], options: CompileOptions, command: String, filter: ManifestFilter = .none,
                      findingsToStandardError: Bool = false, ioExitCode: Int32 = 2, consequence: String = "nothing done") throws -> MeshBuild {
        let pipeline = Pipeline(options: options)
        // Held in an optional: the lint's resources and index (50,000 objects for a 10k mesh) leave with
        // `take()` for `Teardown`, never freed on this thread (the one-shot commands calling this keep
        // them until they exit: `Teardown.keepUntilExit`).
        var linted: LintReport?
        let outcome: Result<MeshBuild, PipelineError>
        do { (linted, outcome) = try pipeline.build(sources: try SourceFiles.expand(paths, filter: filter).map(LintSource.file)) } catch {
            FileHandleOutput.standardError("meshc \(command): \(error)")
            throw ExitCode(ioExitCode)
        }
        defer { Teardown.release(linted.take()) }
        let build = try result(outcome, command: command, consequence: consequence, findingsToStandardError: findingsToStandardError)
        let waived = linted!.diagnostics.filter { $0.severity == .error }.count - BuildGate.blocking(linted!, strict: options.strict).count
        if waived > 0 {
            FileHandleOutput.standardError(linted!.text(minimum: .error).trimmingCharacters(in: .newlines))
            FileHandleOutput.standardError("meshc \(command): built anyway: \(waived) of these \(waived == 1 ? "error describes" : "errors describe") "
                                           + "runtime state (workloads not declared yet); --strict refuses them")
        }
        let built = Set(build.proxies.map(\.proxy))
        let missing = (options.proxies ?? []).filter { !built.contains($0) }.sorted()
        if !missing.isEmpty {
            var all = options
            all.proxies = nil
            let known = Compiler.compile(linted!.resources, index: linted!.index, options: all).proxies.map(\.name)
            FileHandleOutput.standardError("meshc \(command): no proxy named \(missing.joined(separator: ", ")); the manifests give: \(known.joined(separator: ", "))")
            throw ExitCode(ioExitCode)
        }
        return build
    }

    /// The build, or its failure printed the way every compiling command prints it (exit 1).
    static func result(_ result: Result<MeshBuild, PipelineError>, command: String, consequence: String = "nothing done",
                       findingsToStandardError: Bool) throws -> MeshBuild {
        switch result {
        case .success(let build): return build
        case .failure(.lintErrors(let report)):
            if findingsToStandardError { FileHandleOutput.standardError(report.text()) } else { FileHandleOutput.standardOutput(report.text()) }
            FileHandleOutput.standardError(report.summaryLine)
            FileHandleOutput.standardError("meshc \(command): \(consequence); fix the errors above")
            throw ExitCode(1)
        case .failure(.inconsistent(let errors)):
            for error in errors { FileHandleOutput.standardError("meshc \(command): \(error)") }
            FileHandleOutput.standardError("meshc \(command): nothing written; the output is inconsistent (a meshc bug: please report it)")
            throw ExitCode(1)
        case .failure(.source(let reason)):
            FileHandleOutput.standardError("meshc \(command): \(reason)")
            throw ExitCode(2)
        }
    }
}
