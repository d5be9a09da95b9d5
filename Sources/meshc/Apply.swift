import ArgumentParser
import AsyncHTTPClient
import Foundation
import MeshCompile
import MeshPipeline
import MeshReconcile

/// `meshc apply`: one reconcile round from the command line.
struct Apply: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Compile manifests (a git commit or files) and push each proxy's config to its agent.",
        discussion: """
        Lints and compiles the desired state, asks every proxy's agent (spec.agent.address of its \
        kind: Proxy) what it runs, prints the plan as `meshc plan` does, checks every changed \
        proxy's change with `envoy --mode validate` (the agent does, beside its Envoy; --dry-run does it here), then pushes with --parallel agents at once \
        (If-Match: the version the agent reported). Standard error gets one outcome line per proxy: \
        applied, unchanged, rejected: <Envoy's reason>, unreachable: <error>, invalid: <validate error>, \
        stale: retried. A failing proxy does not stop the others. Proxies without an agent are skipped. \
        With --ca-dir, enrolled agents are reached over mTLS as `meshc reconcile --ca-dir` reaches them \
        (a short-lived certificate for the reconciler's identity, signed here; each agent's certificate \
        must name its proxy before anything is sent). \
        Exit status: 0 every proxy converged, 1 some did not (or the manifests have errors), 2 usage or I/O errors.
        """
    )
    @OptionGroup var repository: RepositoryFlags
    @Option(name: .customLong("proxy"), help: "Apply only this proxy (repeatable).")
    var proxies: [String] = []
    @OptionGroup var push: PushFlags
    @Option(name: .customLong("ca-dir"), help: ArgumentHelp(
        "The mesh CA's folder (`meshc ca init`): reach enrolled agents over mTLS as the reconciler's identity, each checked to be its proxy.",
        valueName: "DIR"))
    var caDir: String?
    @Flag(name: .customLong("dry-run"), help: "Plan and validate; push nothing.")
    var dryRun = false
    @Argument(help: "Manifest files or folders (instead of --repo).")
    var paths: [String] = []

    func validate() throws {
        if repository.repo == nil && paths.isEmpty { throw ValidationError("give --repo REPO [--ref REF] or manifest PATHs") }
        if repository.repo != nil && !paths.isEmpty { throw ValidationError("give --repo or manifest PATHs, not both") }
        if repository.repo == nil && (repository.ref != nil || repository.under != nil) { throw ValidationError("--ref and --under need --repo") }
    }

    func run() async throws {
        let token = try push.token(command: "apply")
        let validator = dryRun ? try push.validator(command: "apply") : nil
        let security: FleetSecurity?
        do { security = try OperatorIdentity.security(caDir: caDir) } catch {
            FileHandleOutput.standardError("meshc apply: \(error)")
            throw ExitCode(2)
        }
        var options = repository.compileOptions
        if !proxies.isEmpty { options.proxies = Set(proxies) }
        let desired = try load(Pipeline(options: options))
        let missing = Set(proxies).subtracting(desired.proxies.map(\.name)).sorted()
        if !missing.isEmpty {
            FileHandleOutput.standardError("meshc apply: no proxy named \(missing.joined(separator: ", ")) in the manifests")
            throw ExitCode(2)
        }
        for note in desired.notes { FileHandleOutput.standardError(note) }
        let client = AgentFleet.makeClient()
        let round = ApplyRound(fleet: AgentFleet(token: token, client: client, security: security), validator: validator, parallel: push.parallel, dryRun: dryRun)
        let (plan, unreachable, _) = await round.plan(desired)
        for (name, reason) in unreachable.sorted(by: { $0.key < $1.key }) {
            FileHandleOutput.standardOutput("proxy \(name): not planned, its agent did not answer (\(reason))\n")
        }
        // "No changes." would be wrong about the proxies nobody could ask.
        FileHandleOutput.standardOutput(!plan.hasChanges && !unreachable.isEmpty
            ? "No changes on the proxies whose agents answered.\n" : plan.text())
        let core = SharedCore()
        core.with { $0.desire(desired.proxies.map { ($0.name, $0.agentAddress, $0.snapshotVersion) }) }
        let outcomes = await round.run(desired, core: core)
        try? await client.shutdown()
        for outcome in outcomes { FileHandleOutput.standardError(outcome.line) }
        if outcomes.contains(where: { !$0.ok }) { throw ExitCode(1) }
    }

    /// Lints and compiles the commit or the files; lint errors exit 1, I/O errors 2.
    private func load(_ pipeline: Pipeline) throws -> DesiredState {
        let result: Result<DesiredState, PipelineError>
        do {
            if let source = try repository.source() {
                result = pipeline.desired(try source.snapshot(try source.head()))
            } else {
                result = pipeline.build(try pipeline.lint(paths: paths)).map { $0.desired(source: SourceLabel(id: paths.joined(separator: " "))) }
            }
        } catch {
            FileHandleOutput.standardError("meshc apply: \(error)")
            throw ExitCode(2)
        }
        switch result {
        case .success(let desired): return desired
        case .failure(.source(let reason)):
            FileHandleOutput.standardError("meshc apply: \(reason)")
            throw ExitCode(2)
        case .failure(let error):
            FileHandleOutput.standardError("meshc apply: \(error)\nmeshc apply: nothing pushed; fix the errors above")
            throw ExitCode(1)
        }
    }
}
