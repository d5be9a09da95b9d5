import ArgumentParser
import MeshLint

/// The `meshc` command.
struct Meshc: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meshc",
        abstract: "Lint Istio-compatible mesh manifests, compile them to Envoy configuration, explain routes, plan changes, run the agent.",
        version: MeshcVersion.line,
        subcommands: [Lint.self, Build.self, Route.self, PlanCommand.self, Apply.self, ReconcileCommand.self, ProxyStatus.self, AgentCommand.self, Echo.self, CACommand.self]
    )
}

/// Entry point: ArgumentParser's usage errors exit 2, as every meshc command's
/// do, except `meshc plan`'s (1: its 2 means "changes").
@main
enum Main {
    static func main() async {
        do {
            var command = try Meshc.parseAsRoot()
            if var command = command as? AsyncParsableCommand { try await command.run() } else { try command.run() }
        } catch {
            let code = Meshc.exitCode(for: error)
            if code == .success {
                Meshc.exit(withError: error) // --help, --version
            }
            if let exit = error as? ExitCode { Meshc.exit(withError: exit) }
            if code == .validationFailure {
                FileHandleOutput.standardError(Meshc.fullMessage(for: error))
                Meshc.exit(withError: ExitCode(usageExitCode))
            }
            FileHandleOutput.standardError("meshc: \(Meshc.fullMessage(for: error))")
            Meshc.exit(withError: ExitCode(usageExitCode))
        }
    }

    /// The exit status of a usage error for the command line being run.
    static var usageExitCode: Int32 {
        CommandLine.arguments.dropFirst().first == PlanCommand.configuration.commandName ? PlanCommand.usageExitCode : 2
    }
}
