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
        Writes DIR/<proxy>/clusters.json, endpoints.json, listeners.json, routes.json (xDS \
        DiscoveryResponses; listeners read each route configuration over RDS from routes/<name>.json \
        in the same folder) and bootstrap.json, which envoy -c runs as is: by default it reads \
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
            // Every proxy's files at once, largest first, each made and written in one step on any core
            // and freed once written: a 10k sidecar's files are tens of MiB, a gateway's a few.
            var jobs: [(folder: URL, file: FileJob)] = []
            let folders = build.proxies.map { outputFolder.appendingPathComponent($0.proxy) }
            for (proxy, folder) in zip(build.proxies, folders) {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                // Route files of an earlier build would otherwise linger beside the new ones.
                try? FileManager.default.removeItem(at: folder.appendingPathComponent("routes"))
                try? FileManager.default.removeItem(at: folder.appendingPathComponent("secrets"))
                try? FileManager.default.removeItem(at: folder.appendingPathComponent("secrets.json"))
                let files = proxy.fileJobs(folder: folder.path, bootstrap: staticBootstrap ? .static : .dynamic)
                for subfolder in Set(files.map { folder.appendingPathComponent($0.name).deletingLastPathComponent().path }).sorted() {
                    try FileManager.default.createDirectory(atPath: subfolder, withIntermediateDirectories: true)
                }
                jobs += files.map { (folder, $0) }
            }
            let all = jobs
            let order = all.indices.sorted { (all[$0].file.bytes, $1) > (all[$1].file.bytes, $0) }
            let failures = order.parallelMap(chunk: 1) { position -> (position: Int, message: String)? in
                let job = all[position]
                let path = job.folder.appendingPathComponent(job.file.name)
                do { try Self.write(job.file.make(), to: path) } catch {
                    return (position, "cannot write \(path.path): \(Self.reason(error))")
                }
                return nil
            }
            // The first failure in proxy and file order, as when proxies were written one after another.
            if let failure = failures.compactMap({ $0 }).min(by: { $0.position < $1.position }) {
                throw BuildOutputError(description: "\(failure.message); \(all[failure.position].folder.path) is incomplete, build again once it can be written")
            }
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

    /// What the system said (`Is a directory`), not Foundation's wrapper of it.
    private static func reason(_ error: Error) -> String {
        let wrapped = error as NSError
        switch wrapped.userInfo[NSUnderlyingErrorKey] {
        case let posix as POSIXError: return String(cString: strerror(posix.code.rawValue))
        case let underlying as NSError where underlying.domain == NSPOSIXErrorDomain: return String(cString: strerror(Int32(underlying.code)))
        default: return wrapped.localizedDescription
        }
    }

    /// `text` to `url` atomically (a temporary file renamed), from the
    /// String's own bytes: `String.write` would first copy them into a `Data`.
    private static func write(_ text: String, to url: URL) throws {
        var text = text
        try text.withUTF8 { bytes in
            let data = bytes.baseAddress.map { Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: $0), count: bytes.count, deallocator: .none) } ?? Data()
            try data.write(to: url, options: .atomic)
        }
    }
}

/// A file of `meshc build`'s output could not be written.
private struct BuildOutputError: Error, CustomStringConvertible {
    let description: String
}
