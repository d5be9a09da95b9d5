import ArgumentParser
import MeshCompile
import MeshLint
import MeshModel
import MeshYAML

/// Flags for implicit proxies (no `kind: Proxy` in the manifests), shared by `build` and `route`.
struct ImplicitProxyFlags: ParsableArguments {
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

    /// Compile options with these flags and the wanted proxies (empty: all).
    func options(proxies: [String]) -> CompileOptions {
        var options = CompileOptions()
        options.portOffset = portOffset
        options.listenAddress = listenAddress
        options.adminPort = adminPort
        if !proxies.isEmpty { options.proxies = Set(proxies) }
        return options
    }
}

/// Lint, then compile: what `build`, `route` and `plan` share. Prints
/// diagnostics and errors as `command` and throws the exit code.
enum ManifestCompiler {
    static func compile(paths: [String], options: CompileOptions, command: String) throws -> CompileResult {
        let files: [String]
        let report: LintReport
        do {
            files = try SourceFiles.expand(paths)
            report = try Linter.run(targets: files.map(LintSource.file))
        } catch {
            FileHandleOutput.standardError("meshc \(command): \(error)")
            throw ExitCode(2)
        }
        if report.count(.error) > 0 {
            FileHandleOutput.standardOutput(report.text())
            FileHandleOutput.standardError(report.summaryLine)
            FileHandleOutput.standardError("meshc \(command): nothing done; fix the errors above")
            throw ExitCode(1)
        }
        var resources: [Resource] = []
        do {
            for file in files { resources += ResourceDecoder.decode(try FileReader.parseFile(at: file)).resources }
        } catch {
            FileHandleOutput.standardError("meshc \(command): \(error)")
            throw ExitCode(2)
        }
        let result = Compiler.compile(resources, options: options)
        let built = Set(result.proxies.map(\.name))
        let missing = (options.proxies ?? []).filter { !built.contains($0) }.sorted()
        if !missing.isEmpty {
            var all = options
            all.proxies = nil
            let known = Compiler.compile(resources, options: all).proxies.map(\.name)
            FileHandleOutput.standardError("meshc \(command): no proxy named \(missing.joined(separator: ", ")); the manifests give: \(known.joined(separator: ", "))")
            throw ExitCode(2)
        }
        return result
    }
}
