import ArgumentParser
import Foundation
import MeshAgent
import MeshDiagnostics
import MeshPipeline
import MeshPlan
import MeshReconcile
import MeshSnapshot

/// `meshc plan`: what applying the desired state would do to every proxy.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what would change on every proxy: resources to create, update and delete.",
        discussion: """
        Compares a desired state (head) with a running one (base), proxy by proxy, resource by \
        resource (clusters, endpoints, listeners, routes), by the version hash of each resource's \
        canonical JSON; route and endpoint changes get a line saying what they do.

          meshc plan --base-dir A --head-dir B    two `meshc build` output folders
          meshc plan --head-dir B                 everything in B created
          meshc plan --base-dir A                 everything in A deleted
          meshc plan PATH… --against-dir A        manifests (linted, compiled) vs A
          meshc plan PATH…                        all the manifests give, created
          meshc plan --base REF --head REF        two commits (CI on a pull request)
          meshc plan --base REF PATH…             a commit vs manifests on disk
          meshc plan --running --token-file F --head REF
          meshc plan --running --token-file F PATH…
                                                  what each proxy's agent runs vs
                                                  the desired state

        --base and --head read the manifests of a commit straight from git (no checkout): the \
        repository of the current folder, or --repo (a local path, or a URL mirrored in \
        ~/.cache/meshc/git and fetched first), from --under FOLDER down. Both refs go through \
        one parse cache, so the second re-parses only the files that differ. A head whose \
        manifests have errors gives no plan (findings on standard error); a base that does not \
        build (a pull request fixing its branch) gives a plan of the head against no proxies, \
        with a note naming the base's first errors. Listeners are compared \
        without the folder their route files are read from (a build folder's are read back \
        unbound), so folders built with different --out compare equal. \
        Manifests are compiled as `meshc build --out A` would: give the --port-offset and \
        --listen-address of that build (bootstraps, and so --admin-port, are not compared).

        Exit status, Terraform's: 0 success, with or without changes; 1 errors — manifest \
        errors, unreadable folders and usage errors alike. With --detailed-exitcode: 0 no changes, \
        2 changes, 1 errors (so 2 is never a usage error here, unlike the other meshc commands). \
        --format markdown renders the plan as a pull-request comment; --format json carries \
        schemaVersion and each change's before and after values (schemas/plan.schema.json).
        """
    )

    /// Plan exits 1 for usage errors: 2 means "changes" (with --detailed-exitcode).
    static let usageExitCode: Int32 = 1

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, markdown }

    @Option(name: [.customLong("format"), .customShort("o"), .customLong("output")], help: "Output format: text, json or markdown (a pull-request comment).")
    var format: Format = .text

    @Flag(name: .customLong("detailed-exitcode"), help: "Exit 2 when there are changes, 0 when there are none (1 stays errors), as terraform plan -detailed-exitcode.")
    var detailedExitCode = false

    @Option(name: .customLong("base-dir"), help: ArgumentHelp("Running state: a `meshc build` output folder (one sub-folder per proxy).", valueName: "dir"))
    var baseDir: String?

    @Option(name: .customLong("head-dir"), help: ArgumentHelp("Desired state: a `meshc build` output folder.", valueName: "dir"))
    var headDir: String?

    @Option(name: .customLong("against-dir"), help: ArgumentHelp("Running state for manifest PATHs: the `meshc build --out` folder to compare with.", valueName: "dir"))
    var againstDir: String?

    @Option(name: .customLong("base"), help: ArgumentHelp("Running state: a git ref (branch, tag, sha, HEAD~1) whose manifests are compiled from the repository.", valueName: "ref"))
    var baseRef: String?

    @Option(name: .customLong("head"), help: ArgumentHelp("Desired state: a git ref.", valueName: "ref"))
    var headRef: String?

    @Option(help: ArgumentHelp("Repository of --base and --head: a local path (default: the current folder's repository) or a URL (mirrored and fetched).", valueName: "path|url"))
    var repo: String?

    @Option(help: ArgumentHelp("Read the refs' manifests from this folder of the repository down (default: all of it).", valueName: "folder"))
    var under: String?

    @Flag(help: "Running state: what each desired proxy's `meshc agent` (its `agent.address`) says Envoy runs.")
    var running = false

    @Option(name: .customLong("token-file"), help: ArgumentHelp("With --running: the file holding the bearer token the agents expect.", valueName: "file"))
    var tokenFile: String?

    @Option(name: .customLong("ca-dir"), help: ArgumentHelp(
        "With --running: the mesh CA's folder (`meshc ca init`); enrolled agents are read over mTLS as the reconciler's identity, each checked to be its proxy.",
        valueName: "DIR"))
    var caDir: String?

    @Option(name: .customLong("cache-dir"), help: ArgumentHelp(
        "With --base/--head: where built commits are kept to plan again without a build (default: ~/.cache/meshc/plan; safe to delete).",
        valueName: "dir"))
    var cacheDir: String?

    @Flag(name: .customLong("no-cache"), help: "With --base/--head: build both refs, neither reading nor writing the plan cache.")
    var noCache = false

    @OptionGroup var compile: CompileFlags
    @OptionGroup var sources: SourceFilterFlags
    @OptionGroup var git: GitCredentialOptions

    @Argument(help: "Manifest files or folders giving the desired state (instead of --head-dir).")
    var paths: [String] = []

    /// Where one side of a plan comes from. Another source is one more
    /// case here and one more branch in `snapshots(_:side:refs:)`.
    enum Source {
        /// No proxies (everything on the other side is created or deleted).
        case nothing
        /// A `meshc build` output folder.
        case builtFolder(String)
        /// Manifests compiled in-process.
        case manifests([String])
        /// The manifests of a git commit, compiled in-process.
        case gitRef(String)
        /// What the agents of the desired side's proxies run.
        case agents
    }

    /// Which side of the plan a source gives.
    enum Side: String { case base, head }

    /// The running side.
    var base: Source {
        if running { return .agents }
        if let ref = baseRef { return .gitRef(ref) }
        if let dir = baseDir ?? againstDir { return .builtFolder(dir) }
        return .nothing
    }

    /// The desired side.
    var head: Source {
        if let ref = headRef { return .gitRef(ref) }
        if let dir = headDir { return .builtFolder(dir) }
        if !paths.isEmpty { return .manifests(paths) }
        return .nothing
    }

    func validate() throws {
        if caDir != nil, !running { throw ValidationError("--ca-dir is for --running: the agents are read over mTLS") }
        if running {
            if baseRef != nil || baseDir != nil || againstDir != nil { throw ValidationError("--running is the base; give no other base") }
            if tokenFile == nil { throw ValidationError("--running needs --token-file, the agents' bearer token") }
            if headRef == nil, paths.isEmpty { throw ValidationError("--running compares the agents with --head REF or manifest PATHs") }
            if headDir != nil { throw ValidationError("--running compares with compiled manifests (--head REF or PATHs), not a built folder") }
            if headRef == nil, repo != nil || under != nil { throw ValidationError("--repo and --under say where --head is read; name a ref") }
            return
        }
        let usesRefs = baseRef != nil || headRef != nil
        if baseRef != nil, baseDir != nil || againstDir != nil { throw ValidationError("give one base: --base REF, --base-dir or --against-dir") }
        if headRef != nil, headDir != nil || !paths.isEmpty { throw ValidationError("give one head: --head REF, --head-dir or manifest PATHs") }
        if usesRefs, baseDir != nil || headDir != nil {
            throw ValidationError("git refs (--base, --head) compare with each other or with manifest PATHs, not with built folders")
        }
        if !usesRefs, repo != nil || under != nil { throw ValidationError("--repo and --under say where --base and --head are read; name a ref") }
        if headDir != nil, !paths.isEmpty { throw ValidationError("give manifest PATHs or --head-dir, not both") }
        if againstDir != nil, paths.isEmpty { throw ValidationError("--against-dir compares manifest PATHs with a built folder; name the PATHs (or use --base-dir with --head-dir)") }
        if againstDir != nil, baseDir != nil { throw ValidationError("give --base-dir or --against-dir, not both") }
    }

    func run() async throws {
        Teardown.keepUntilExit() // a one-shot command: its memory goes back when it exits
        // Here, not in validate(): ArgumentParser names an unknown option (`--bogus`) after validate() passes.
        if !running, baseDir == nil, headDir == nil, paths.isEmpty, baseRef == nil, headRef == nil {
            throw Self.usageError("name what to compare: --base REF --head REF, --base-dir A --head-dir B, or manifest PATHs with --against-dir A",
                                  exitCode: Self.usageExitCode)
        }
        var plan: MeshPlan.Plan
        var notes: [PlanNote] = []
        do {
            // The base first: it warms the parse cache the head then uses.
            let refs = PlanRefs(location: repo ?? ".", under: under, options: compile.options(), excluding: sources.rules,
                                credentials: try git.credentials(command: "plan"),
                                cache: noCache ? nil : DesiredCache(folder: cacheDir ?? DesiredCache.defaultFolder))
            if running {
                // The agents to ask are the desired proxies': the head first.
                let token = try TokenFile.read(tokenFile ?? "", purpose: "the agents' bearer token")
                let desired = try proxies(head, side: .head, refs: refs, notes: &notes)
                plan = try await PlanRunning.plan(desired, token: token, caDir: caDir)
            } else {
                if case .gitRef(let ref) = head, case .gitRef = base { refs.prefetch(ref) }
                let running = try proxies(base, side: .base, refs: refs, notes: &notes).map(\.snapshot)
                plan = Planner.plan(desired: try proxies(head, side: .head, refs: refs, notes: &notes).map(\.snapshot), running: running)
            }
            plan.notes = notes
        } catch let exit as ExitCode {
            throw exit
        } catch {
            FileHandleOutput.standardError("meshc plan: \(error)")
            throw ExitCode(1)
        }
        switch format {
        case .text: FileHandleOutput.standardOutput(plan.text())
        case .json: FileHandleOutput.standardOutput(plan.jsonText())
        case .markdown: FileHandleOutput.standardOutput(plan.markdown())
        }
        if let code = Self.exitCode(hasChanges: plan.hasChanges, detailed: detailedExitCode) { throw ExitCode(code) }
    }

    /// The exit status of a plan that was made: nil (0) unless it has changes
    /// and `--detailed-exitcode` asks for 2.
    static func exitCode(hasChanges: Bool, detailed: Bool) -> Int32? {
        hasChanges && detailed ? 2 : nil
    }

    /// The proxies one side gives (agent addresses where compiled); git refs
    /// are read through `refs`. A base ref that does not build gives none
    /// and a note in `notes` (the head's errors stop the plan).
    func proxies(_ source: Source, side: Side, refs: PlanRefs, notes: inout [PlanNote]) throws -> [DesiredProxy] {
        switch source {
        case .nothing, .agents: return []
        case .builtFolder(let path): return try ProxySnapshot.buildFolder(path).map { DesiredProxy(snapshot: $0, agentAddress: nil) }
        case .manifests(let paths):
            return try compiled(Manifests.build(paths: paths, options: compile.options(), command: "plan",
                                                filter: try sources.filter(command: "plan", ioExitCode: 1), findingsToStandardError: true,
                                                ioExitCode: 1, consequence: "no plan"), side: side)
        case .gitRef(let ref) where side == .base:
            switch try refs.base(at: ref) {
            case .built(let built): return compiled(built, side: side)
            case .broken(let note):
                notes.append(note)
                return []
            }
        case .gitRef(let ref):
            return try compiled(refs.build(at: ref, side: side.rawValue), side: side)
        }
    }

    /// A ref's proxies; the compiler's notes are printed for the head only.
    func compiled(_ built: PlanRefs.Built, side: Side) -> [DesiredProxy] {
        if side == .head { for note in built.notes { FileHandleOutput.standardError(note) } }
        return built.proxies
    }

    /// The compiled proxies; the compiler's notes are printed for the head only.
    func compiled(_ build: MeshBuild, side: Side) -> [DesiredProxy] {
        if side == .head { for note in build.notes { FileHandleOutput.standardError(note.description) } }
        return build.desired(source: SourceLabel(id: side.rawValue)).proxies
    }
}
