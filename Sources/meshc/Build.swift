import ArgumentParser
import Foundation
import MeshCompile
import MeshEmit
import MeshLint
import MeshModel

/// `meshc build`: compile manifests to per-proxy Envoy v3 JSON.
struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compile manifests to Envoy v3 config, one folder per proxy.",
        discussion: """
        Writes DIR/<proxy>/bootstrap.json (a static bootstrap envoy -c runs as is) and \
        clusters.json, endpoints.json, listeners.json, routes.json (xDS DiscoveryResponses; \
        listeners read routes over RDS from routes.json in the same folder). \
        Gateway proxies come from Gateway selectors: one per distinct selector, named \
        gateway-<key>-<value> (istio: ingressgateway → gateway-istio-ingressgateway). \
        The manifests are linted first; nothing is written when lint finds errors. \
        Exit status: 0 built, 1 the manifests have errors, 2 usage or I/O errors.
        """
    )

    @Option(help: "Output folder; each proxy gets a sub-folder.")
    var out: String = "build"

    @Option(name: .customLong("proxy"), help: "Build only this proxy (repeatable).")
    var proxies: [String] = []

    @Option(name: .customLong("port-offset"), help: "Added to Gateway server ports for listener ports (80 → 10080 with 10000). Interim until the Proxy kind declares ports.")
    var portOffset: Int = 0

    @Option(name: .customLong("admin-port"), help: "Admin port of the first proxy; further proxies take the next ports. Interim until the Proxy kind.")
    var adminPort: Int = 15000

    @Option(name: .customLong("listen-address"), help: "Address gateway listeners bind (default 0.0.0.0; 127.0.0.1 for local demos and tests). Interim until the Proxy kind honours Gateway `bind`.")
    var listenAddress: String = "0.0.0.0"

    @Argument(help: "Manifest files or folders (recursive: .yaml, .yml, .json).")
    var paths: [String] = []

    func validate() throws {
        if paths.isEmpty { throw ValidationError("name the files or folders to build") }
        if adminPort <= 0 || adminPort > 65535 { throw ValidationError("--admin-port must be a port number") }
        if portOffset < 0 { throw ValidationError("--port-offset must not be negative") }
    }

    func run() throws {
        let report: LintReport
        do {
            var lintOptions = LintOptions()
            lintOptions.keepResources = true
            report = try Linter.run(targets: try SourceFiles.expand(paths).map(LintSource.file), options: lintOptions)
        } catch {
            FileHandleOutput.standardError("meshc build: \(error)")
            throw ExitCode(2)
        }
        if report.count(.error) > 0 {
            FileHandleOutput.standardOutput(report.text())
            FileHandleOutput.standardError(report.summaryLine)
            FileHandleOutput.standardError("meshc build: nothing written; fix the errors above")
            throw ExitCode(1)
        }
        let resources = report.resources
        var options = CompileOptions()
        options.portOffset = portOffset
        options.listenAddress = listenAddress
        options.adminPort = adminPort
        if !proxies.isEmpty { options.proxies = Set(proxies) }
        let result = Compiler.compile(resources, options: options)
        for note in result.notes { FileHandleOutput.standardError(note.description) }
        let built = Set(result.proxies.map(\.name))
        let missing = proxies.filter { !built.contains($0) }
        if !missing.isEmpty {
            let known = Compiler.compile(resources, options: CompileOptions()).proxies.map(\.name)
            FileHandleOutput.standardError("meshc build: no proxy named \(missing.joined(separator: ", ")); the manifests give: \(known.joined(separator: ", "))")
            throw ExitCode(2)
        }
        if result.proxies.isEmpty {
            FileHandleOutput.standardError("meshc build: no gateway proxy in these manifests (sidecars are not built yet); nothing written")
            return
        }
        try write(result, outputFolder: URL(fileURLWithPath: out).standardizedFileURL)
    }

    private func write(_ result: CompileResult, outputFolder: URL) throws {
        let snapshots = result.proxies.map { proxy in
            Emitter.snapshot(proxy, options: EmitOptions(directory: outputFolder.appendingPathComponent(proxy.name).path))
        }
        let errors = snapshots.flatMap { $0.consistencyErrors() }
        if !errors.isEmpty {
            for error in errors { FileHandleOutput.standardError("meshc build: \(error)") }
            FileHandleOutput.standardError("meshc build: nothing written; the output is inconsistent (a meshc bug: please report it)")
            throw ExitCode(1)
        }
        do {
            for snapshot in snapshots {
                let folder = outputFolder.appendingPathComponent(snapshot.proxy)
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                for file in snapshot.files {
                    try file.text.write(to: folder.appendingPathComponent(file.name), atomically: true, encoding: .utf8)
                }
                FileHandleOutput.standardError("built \(snapshot.proxy): \(snapshot.listeners.count) listeners, "
                    + "\(snapshot.routes.count) route configurations, \(snapshot.clusters.count) clusters → \(folder.path)")
            }
        } catch {
            FileHandleOutput.standardError("meshc build: \(error)")
            throw ExitCode(2)
        }
    }
}
