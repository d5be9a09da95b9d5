import ArgumentParser

/// The `meshc` command.
struct Meshc: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meshc",
        abstract: "Lint Istio-compatible mesh manifests (build, plan and reconcile are planned).",
        subcommands: [Lint.self, Build.self, Echo.self, AgentCommand.self]
    )
}

/// Entry point: ArgumentParser's usage errors exit 2, as every meshc command's do.
@main
enum Main {
    static func main() {
        do {
            var command = try Meshc.parseAsRoot()
            try command.run()
        } catch {
            let code = Meshc.exitCode(for: error)
            if code == .success {
                Meshc.exit(withError: error) // --help, --version
            }
            if let exit = error as? ExitCode { Meshc.exit(withError: exit) }
            if code == .validationFailure {
                FileHandleOutput.standardError(Meshc.fullMessage(for: error))
                Meshc.exit(withError: ExitCode(2))
            }
            FileHandleOutput.standardError("meshc: \(Meshc.fullMessage(for: error))")
            Meshc.exit(withError: ExitCode(2))
        }
    }
}
