import ArgumentParser
import Foundation
import MeshCompile
import MeshEmit
import MeshPlan

/// `meshc plan`: what applying the desired state would do to every proxy.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what would change on every proxy: resources to create, update and delete.",
        discussion: """
        Compares a desired state (head) with a running one (base), proxy by proxy, resource by \
        resource (clusters, endpoints, listeners, routes), by the version hash of each resource's \
        canonical JSON; route and endpoint changes get a line saying what they do.

          meshc plan --base-dir A --head-dir B   two `meshc build` output folders
          meshc plan --head-dir B                everything in B created
          meshc plan --base-dir A                everything in A deleted
          meshc plan PATH… --against-dir A       manifests (linted, compiled) vs A
          meshc plan PATH…                       everything the manifests give created

        Listeners name their routes.json by absolute path, so compare folders built with the same \
        --out (build the base, move it aside, build the head) or expect listener updates of that path. \
        Manifests are compiled as `meshc build --out A` would: give the --port-offset and \
        --listen-address of that build (bootstraps, and so --admin-port, are not compared).

        Exit status (Terraform's -detailed-exitcode): 0 no changes, 2 changes, 1 errors — manifest \
        errors, unreadable folders and usage errors alike (2 is taken by "changes" here, unlike the \
        other meshc commands).
        """
    )

    /// Plan exits 1 for usage errors: 2 means "changes".
    static let usageExitCode: Int32 = 1

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    @Option(name: .customLong("base-dir"), help: "Running state: a `meshc build` output folder (one sub-folder per proxy).")
    var baseDir: String?

    @Option(name: .customLong("head-dir"), help: "Desired state: a `meshc build` output folder.")
    var headDir: String?

    @Option(name: .customLong("against-dir"), help: "Running state for manifest PATHs: the `meshc build --out` folder to compare with.")
    var againstDir: String?

    @OptionGroup var compile: CompileFlags

    @Argument(help: "Manifest files or folders giving the desired state (instead of --head-dir).")
    var paths: [String] = []

    /// Where one side of a plan comes from. Another source (a git ref, the
    /// running agents) is one more case here and one more branch in `resources(_:)`.
    enum Source {
        /// No proxies (everything on the other side is created or deleted).
        case nothing
        /// A `meshc build` output folder.
        case builtFolder(String)
        /// Manifests compiled in-process, each proxy's files in `<folder>/<proxy>`.
        case manifests([String], folder: String)
    }

    /// The running side.
    var base: Source {
        if let dir = baseDir ?? againstDir { return .builtFolder(dir) }
        return .nothing
    }

    /// The desired side.
    var head: Source {
        if let dir = headDir { return .builtFolder(dir) }
        if !paths.isEmpty { return .manifests(paths, folder: againstDir ?? "build") }
        return .nothing
    }

    func validate() throws {
        if headDir != nil, !paths.isEmpty { throw ValidationError("give manifest PATHs or --head-dir, not both") }
        if againstDir != nil, paths.isEmpty { throw ValidationError("--against-dir compares manifest PATHs with a built folder; name the PATHs (or use --base-dir with --head-dir)") }
        if againstDir != nil, baseDir != nil { throw ValidationError("give --base-dir or --against-dir, not both") }
        if baseDir == nil, headDir == nil, paths.isEmpty { throw ValidationError("name what to compare: --base-dir A --head-dir B, or manifest PATHs with --against-dir A") }
    }

    func run() throws {
        let plan: MeshPlan.Plan
        do {
            plan = Planner.plan(desired: try resources(head), running: try resources(base))
        } catch let exit as ExitCode {
            throw exit
        } catch {
            FileHandleOutput.standardError("meshc plan: \(error)")
            throw ExitCode(1)
        }
        FileHandleOutput.standardOutput(format == .json ? plan.jsonText() : plan.text())
        if plan.hasChanges { throw ExitCode(2) }
    }

    /// The proxies one side gives.
    func resources(_ source: Source) throws -> [ProxyResources] {
        switch source {
        case .nothing: return []
        case .builtFolder(let path): return try ProxyResources.buildFolder(path)
        case .manifests(let paths, let folder): return try compiled(paths, folder: folder)
        }
    }

    /// Manifests linted, compiled and emitted in-process, as `meshc build --out folder` would.
    func compiled(_ paths: [String], folder: String) throws -> [ProxyResources] {
        switch try Manifests.load(paths) {
        case .lintErrors(let report):
            Manifests.reportLintErrors(report, command: "plan", consequence: "no plan", findingsToStandardError: true)
            throw ExitCode(1)
        case .resources(let resources):
            let result = Compiler.compile(resources, options: compile.options)
            for note in result.notes { FileHandleOutput.standardError(note.description) }
            let snapshots = Manifests.snapshots(result, outputFolder: URL(fileURLWithPath: folder).standardizedFileURL)
            let errors = snapshots.flatMap { $0.consistencyErrors() }
            if !errors.isEmpty {
                for error in errors { FileHandleOutput.standardError("meshc plan: \(error)") }
                FileHandleOutput.standardError("meshc plan: the compiled output is inconsistent (a meshc bug: please report it)")
                throw ExitCode(1)
            }
            return snapshots.map(ProxyResources.init)
        }
    }
}
