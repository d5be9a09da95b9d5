import Foundation
import MeshCompile
import MeshDiagnostics
import MeshEmit
import MeshLint
import MeshSource

/// Why a commit (or folder) gives no desired state. It is never applied;
/// the last good state stays.
public enum DesiredStateError: Error, Sendable, CustomStringConvertible, Equatable {
    /// Lint found errors; each line is `file:line:col: error CODE …`.
    case lintErrors([String])
    /// The compiler's output is inconsistent (a route names a missing cluster…): a meshc bug.
    case inconsistent([String])
    /// The source could not be read (fetch, ref, unreadable file).
    case source(String)

    public var description: String {
        switch self {
        case .lintErrors(let lines): "lint errors, not applied:\n" + lines.joined(separator: "\n")
        case .inconsistent(let lines): "the compiled config is inconsistent, not applied (a meshc bug: please report it):\n" + lines.joined(separator: "\n")
        case .source(let reason): reason
        }
    }
}

/// Source → lint → compile → emit → bundles. One builder lives as long as
/// the reconciler: its parse cache re-parses only the blobs a new commit changed.
public final class DesiredStateBuilder: @unchecked Sendable {
    /// The RDS folder listeners name; agents rewrite it to their own, so one fixed value keeps versions stable.
    public static func emitDirectory(_ proxy: String) -> String { EmitOptions.delivery(proxy).directory }

    /// The long-lived cache (`keepResources` on).
    public let cache: ParseCache
    /// Compile settings (which proxies, implicit-proxy ports).
    public let options: CompileOptions

    /// A builder for `options`, with its own parse cache.
    public init(options: CompileOptions = CompileOptions()) {
        var lint = LintOptions()
        lint.keepResources = true
        self.cache = ParseCache(options: lint)
        self.options = options
    }

    /// The desired state of `snapshot`, through the parse cache.
    public func build(_ snapshot: SourceSnapshot) -> Result<DesiredState, DesiredStateError> {
        let report: LintReport
        do { report = try cache.lint(snapshot) } catch { return .failure(.source(String(describing: error))) }
        return build(report, source: Self.label(snapshot.origin))
    }

    /// The desired state of a lint report made with `keepResources`.
    public func build(_ report: LintReport, source: SourceLabel) -> Result<DesiredState, DesiredStateError> {
        if report.count(.error) > 0 {
            let lines = report.text(minimum: .error).split(separator: "\n").map(String.init)
            return .failure(.lintErrors(lines))
        }
        let result = Compiler.compile(report.resources, options: options)
        let snapshots = result.proxies.map { Emitter.snapshot($0, options: EmitOptions(directory: Self.emitDirectory($0.name))) }
        let errors = snapshots.flatMap { $0.consistencyErrors() }
        if !errors.isEmpty { return .failure(.inconsistent(errors)) }
        let agents = Dictionary(result.proxies.map { ($0.name, $0.agentAddress) }, uniquingKeysWith: { first, _ in first })
        let proxies = snapshots.map { DesiredProxy($0, agentAddress: agents[$0.proxy] ?? nil) }
        return .success(DesiredState(source: source, proxies: proxies, notes: result.notes.map(\.description)))
    }

    /// The status label of a snapshot's origin.
    static func label(_ origin: SourceSnapshot.Origin) -> SourceLabel {
        switch origin {
        case .commit(let commit): SourceLabel(id: commit.id.hex, time: commit.time, summary: commit.summary)
        case .directory(let path): SourceLabel(id: path)
        }
    }
}
