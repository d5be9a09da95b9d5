import ArgumentParser

/// The `meshc` command.
struct Meshc: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meshc",
        abstract: "Lint Istio-compatible mesh manifests and compile them to Envoy configuration.",
        subcommands: [Lint.self, Build.self, Route.self, Echo.self]
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
