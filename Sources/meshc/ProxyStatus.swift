import ArgumentParser
import AsyncHTTPClient
import Foundation
import MeshReconcile
import NIOCore

/// `meshc proxy-status` (istioctl proxy-status): every proxy as `meshc reconcile` sees it.
struct ProxyStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proxy-status",
        abstract: "Every proxy, its agent, desired vs running snapshot and commit, as meshc reconcile sees them (istioctl proxy-status).",
        discussion: """
        Reads the reconciler's GET /status. Example: meshc proxy-status --reconciler http://127.0.0.1:19200 \
        Exit status: 0 every managed proxy runs the desired snapshot, 1 some does not, 2 the reconciler did not answer.
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Option(help: "The reconciler's HTTP address (meshc reconcile --listen).")
    var reconciler = "http://127.0.0.1:19200"

    @Option(help: "Output format: text or json (the reconciler's /status).")
    var format: Format = .text

    @Argument(help: "Only this proxy.")
    var proxy: String?

    func run() async throws {
        var status: ReconcileStatus
        do {
            status = try await Self.fetch(reconciler)
        } catch {
            FileHandleOutput.standardError("meshc proxy-status: \(reconciler)/status: \(error); is meshc reconcile running there (--listen)?")
            throw ExitCode(2)
        }
        if let proxy {
            status.proxies = status.proxies.filter { $0.name == proxy }
            if status.proxies.isEmpty {
                FileHandleOutput.standardError("meshc proxy-status: the reconciler knows no proxy \(proxy)")
                throw ExitCode(2)
            }
        }
        FileHandleOutput.standardOutput(format == .json ? status.jsonText + "\n" : Self.table(status))
        if status.proxies.contains(where: { $0.state != .inSync && $0.state != .unmanaged }) { throw ExitCode(1) }
    }

    static func fetch(_ base: String) async throws -> ReconcileStatus {
        let url = (base.hasSuffix("/") ? String(base.dropLast()) : base) + "/status"
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
        guard response.status == .ok else { throw ProxyStatusError("answered \(response.status.code)") }
        let body = try await response.body.collect(upTo: 64 << 20)
        return try JSONDecoder().decode(ReconcileStatus.self, from: Data(body.readableBytesView))
    }

    /// One line per proxy, columns aligned, after the reconciler's commits.
    static func table(_ status: ReconcileStatus) -> String {
        func short(_ text: String?) -> String { text.map { String($0.prefix(12)) } ?? "-" }
        var rows = [["NAME", "AGENT", "STATE", "DESIRED", "APPLIED", "COMMIT", "LAST APPLIED", "CERTIFICATE EXPIRY"]]
        for proxy in status.proxies {
            rows.append([proxy.name, proxy.agent ?? "-", proxy.state.rawValue, short(proxy.desiredSnapshotVersion),
                         short(proxy.appliedSnapshotVersion), short(proxy.runningCommit), proxy.lastApplied ?? "-",
                         proxy.certificate?.expiry ?? "-"])
        }
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        var lines = ["commit \(short(status.commit)) (last good \(short(status.lastGoodCommit)), last built \(short(status.lastBuiltCommit)))"]
        if let error = status.lastError { lines.append("last error: \(error)") }
        lines += rows.map { row in
            zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        for proxy in status.proxies {
            if let error = proxy.lastError { lines.append("\(proxy.name): \(error)") }
            if let error = proxy.certificateError { lines.append("\(proxy.name): \(error)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

struct ProxyStatusError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
