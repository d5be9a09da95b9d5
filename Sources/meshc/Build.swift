import ArgumentParser
import Foundation
import MeshDiagnostics
import MeshEmit
import MeshPipeline
import MeshSnapshot

/// `meshc build`: compile manifests to per-proxy Envoy v3 JSON.
struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Compile manifests to Envoy v3 config, one folder per proxy.",
        discussion: """
        Writes DIR/<proxy>/clusters.json, endpoints.json, listeners.json (xDS \
        DiscoveryResponses), one routes/<name>.json per route configuration (the file the listeners \
        read it from over RDS) and bootstrap.json, which envoy -c runs as is: by default it reads \
        clusters and listeners from those files; --static-bootstrap writes every resource inline \
        instead (what envoy --mode validate checks whole). \
        Proxies are the repository's `kind: Proxy` manifests (meshc.dev/v1alpha1, see the README); \
        with none declared, one gateway proxy per distinct Gateway selector, named \
        gateway-<key>-<value> (istio: ingressgateway → gateway-istio-ingressgateway), and the \
        sidecar view `mesh` that reaches every service. \
        The manifests are linted first; nothing is written when lint finds errors. \
        Exit status: 0 built, 1 the manifests have errors, 2 usage or I/O errors.
        """
    )

    @Option(help: "Output folder; each proxy gets a sub-folder.")
    var out: String = "build"

    @Option(name: .customLong("proxy"), help: "Build only this proxy (repeatable).")
    var proxies: [String] = []

    @Flag(name: .customLong("static-bootstrap"),
          help: "Write a self-contained bootstrap (every resource inline) instead of one reading the xDS files.")
    var staticBootstrap = false

    @OptionGroup var compile: CompileFlags
    @OptionGroup var sources: SourceFilterFlags

    @Argument(help: "Manifest files or folders (recursive: .yaml, .yml, .json).")
    var paths: [String] = []

    func run() throws {
        Teardown.keepUntilExit() // a one-shot command: its memory goes back when it exits
        // Here, not in validate(): ArgumentParser names an unknown option (`--bogus`) after validate() passes.
        if paths.isEmpty { throw Self.usageError("name the files or folders to build") }
        // Held in an optional and handed to `Teardown` at the end (kept until exit, see above):
        // freeing every proxy's resources on this thread kept the command from exiting (tens of ms at 10k).
        var built: MeshBuild? = try Manifests.build(paths: paths, options: compile.options(proxies: proxies), command: "build",
                                                    filter: try sources.filter(command: "build"))
        defer { Teardown.release(built.take()) }
        try write(built!)
    }

    /// Prints the build's notes and writes its proxies' files under `out`.
    private func write(_ build: MeshBuild) throws {
        for note in build.notes { FileHandleOutput.standardError(note.description) }
        if build.proxies.isEmpty {
            FileHandleOutput.standardError("meshc build: no proxy to build; nothing written")
            return
        }
        let outputFolder = URL(fileURLWithPath: out).standardizedFileURL
        do {
            let folders = try BuildFolder.write(build.proxies, to: outputFolder, bootstrap: staticBootstrap ? .static : .dynamic)
            for (proxy, folder) in zip(build.proxies, folders) {
                let snapshot = proxy.snapshot
                FileHandleOutput.standardError("built \(proxy.proxy): \(snapshot[.listener].count) listeners, "
                    + "\(snapshot[.route].count) route configurations, \(snapshot[.cluster].count) clusters → \(folder.path)")
            }
        } catch {
            FileHandleOutput.standardError("meshc build: \(error)")
            throw ExitCode(2)
        }
    }
}
