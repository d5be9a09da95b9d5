import ArgumentParser
import MeshDiagnostics
import MeshLint
import MeshValidate
import MeshYAML

/// `meshc lint`: pre-commit and CI checks with istioctl analyze's codes.
struct Lint: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check manifests: syntax, schema, references and the policy catalogue.",
        discussion: """
        Exit status: 0 when nothing is at or above --fail-on, 1 when something is, \
        2 for usage or I/O errors; the same in every format.
        """
    )

    enum Format: String, CaseInsensitiveArgument { case text, json, sarif }
    enum Threshold: String, CaseInsensitiveArgument { case error, warning, info, none }

    @Option(name: [.customLong("format"), .customShort("o"), .customLong("output")], help: "Output format: text, json or sarif.")
    var format: Format = .text

    @Option(name: [.customLong("fail-on"), .customLong("failure-threshold")],
            help: "Exit 1 when a finding is at or above this level: error, warning, info or none (any case).")
    var failOn: Threshold = .error

    @Option(name: .customLong("output-threshold"), help: "Print only findings at or above this level.")
    var outputThreshold: Threshold = .info

    @Option(name: [.customShort("S"), .customLong("suppress")], help: ArgumentHelp(
        "Silence findings, as istioctl: 'CODE=Kind name.namespace' (* wildcards). Repeatable.", valueName: "rule"))
    var suppress: [String] = []

    @Option(help: ArgumentHelp("Load every manifest under this folder for reference checks; report only on the named paths.", valueName: "dir"))
    var context: String?

    @Option(help: ArgumentHelp("Load organisation rules (kind: Policy) from this folder.", valueName: "dir"))
    var policies: String?

    @OptionGroup var limits: InputLimitFlags

    @OptionGroup var sourceFilter: SourceFilterFlags

    @Option(name: .customLong("stdin-name"), help: ArgumentHelp(
        "The path '-' stands for (findings name it; with --context, that file's copy in the context is left out).", valueName: "path"))
    var stdinName: String?

    @Flag(name: .customLong("show-skipped"), help: "List the YAML and JSON documents skipped as not Kubernetes manifests (no apiVersion or kind).")
    var showSkipped = false

    @Flag(name: .customLong("list-analyzers"), help: "List every check (code, name, default level) and exit.")
    var listAnalyzers = false

    @Option(name: .customLong("enable"), help: ArgumentHelp(
        "Run a check that is off by default, as in istioctl (IST0136 AlphaAnnotation). Repeatable.", valueName: "code"))
    var enable: [String] = []

    @Argument(help: "Files or folders (recursive: .yaml, .yml, .json); '-' reads standard input.")
    var paths: [String] = []

    func validate() throws {
        _ = try suppressions()
        _ = try enabledCodes()
    }

    /// `--enable` read as code ids; a code that is not an opt-in check is a usage error.
    func enabledCodes() throws -> Set<String> {
        Set(try enable.map { text in
            guard let code = Codes.named(text), Codes.optIn.contains(code.id) else {
                throw ValidationError("--enable \(text): not a check that is off by default; those are \(Codes.optIn.sorted().joined(separator: ", "))")
            }
            return code.id
        })
    }

    /// `--suppress` parsed; a bad one is a usage error saying what to write.
    func suppressions() throws -> [Suppression] {
        try suppress.map { text in
            switch Suppression.parse(text) {
            case .success(let suppression): return suppression
            case .failure(let error): throw ValidationError(error.description)
            }
        }
    }

    func run() throws {
        Teardown.keepUntilExit() // a one-shot command: its memory goes back when it exits
        if listAnalyzers {
            FileHandleOutput.standardOutput(Self.analyzerList())
            return
        }
        // Here, not in validate(): ArgumentParser names an unknown option after validate() passes.
        if paths.isEmpty { throw Self.usageError("name the files or folders to lint, or '-' for standard input") }
        var options = LintOptions()
        options.limits = limits.limits
        options.suppressions = try suppressions()
        options.config.enabledOptInCodes = try enabledCodes()
        do {
            if let policies { options.policies = try loadPolicies(policies, limits: options.limits) }
            let filter = try ManifestFilter.load(excludes: sourceFilter.excludes)
            let targets = try sources(paths, limits: options.limits, filter: filter)
            let context = try self.context.map { try SourceFiles.expand([$0], filter: filter).map(LintSource.file) } ?? []
            let report = try Linter.run(targets: targets, context: context, options: options)
            print(report, root: filter.root)
            if let failLevel = Self.severity(failOn), let worst = report.worst, worst >= failLevel {
                throw ExitCode(1)
            }
        } catch let error as ExitCode {
            throw error
        } catch let error as ValidationError {
            throw error
        } catch {
            FileHandleOutput.standardError("meshc lint: \(error)")
            // Code scanning still gets a valid log that says why nothing was checked.
            if format == .sarif { FileHandleOutput.standardOutput(LintReport.sarifFailure(String(describing: error), root: ManifestFilter.repositoryRoot(from: "."))) }
            throw ExitCode(2)
        }
    }

    private func print(_ report: LintReport, root: String) {
        let minimum = Self.severity(outputThreshold) ?? .error
        var shown = report
        if Self.severity(outputThreshold) == nil { shown.diagnostics = [] }
        switch format {
        case .text:
            FileHandleOutput.standardOutput(shown.text(minimum: minimum))
            if showSkipped, !report.skipped.isEmpty { FileHandleOutput.standardError(report.skippedText) }
            if !shown.diagnostics.isEmpty || !report.skipped.isEmpty { FileHandleOutput.standardError(report.summaryLine) }
        case .json: FileHandleOutput.standardOutput(shown.json(minimum: minimum, showSkipped: showSkipped))
        case .sarif: FileHandleOutput.standardOutput(shown.sarif(minimum: minimum, root: root))
        }
    }

    /// `--list-analyzers`: one line per built-in check, `CODE Name (level)`.
    static func analyzerList() -> String {
        Codes.all.map { "\($0.id) \($0.name) (\($0.severity))\(Codes.optIn.contains($0.id) ? ", off by default: --enable \($0.id)" : "")\n" }.joined()
    }

    /// Standard input first when `-` is named, then every file of `paths`
    /// expanded together, so a file named twice (itself and inside a named folder) is linted once.
    private func sources(_ paths: [String], limits: ParseLimits, filter: ManifestFilter) throws -> [LintSource] {
        var result: [LintSource] = []
        if paths.contains("-") {
            guard let bytes = FileReader.readStandardInput(limits: limits) else {
                throw LintInputError("standard input could not be read or is over \(limits.maxFileBytes) bytes")
            }
            result.append(.bytes(bytes, name: stdinName ?? "<stdin>"))
        }
        return result + (try SourceFiles.expand(paths.filter { $0 != "-" }, filter: filter).map(LintSource.file))
    }

    private func loadPolicies(_ folder: String, limits: ParseLimits) throws -> [UserPolicy] {
        let files = try SourceFiles.expand([folder]).map { try FileReader.parseFile(at: $0, limits: limits) }
        return try PolicyLoader.load(files)
    }

    private static func severity(_ threshold: Threshold) -> Severity? {
        switch threshold {
        case .error: .error
        case .warning: .warning
        case .info: .info
        case .none: nil
        }
    }
}

/// An option whose values are an enum's raw values, accepted in any case
/// (`--fail-on Warning`, as istioctl takes levels).
protocol CaseInsensitiveArgument: RawRepresentable, ExpressibleByArgument, CaseIterable where RawValue == String {}

extension CaseInsensitiveArgument {
    init?(argument: String) {
        self.init(rawValue: argument.lowercased())
    }
}

/// The input limits `lint` and `reconcile` share: the same flags, defaults and meaning.
struct InputLimitFlags: ParsableArguments {
    @Option(name: .customLong("max-file-size"), help: ArgumentHelp("Largest manifest file read, in bytes; a larger one is a finding (MSH0003), not read.", valueName: "bytes"))
    var maxFileSize: Int = ParseLimits.default.maxFileBytes

    @Option(name: .customLong("max-documents"), help: ArgumentHelp("Most YAML documents in one file.", valueName: "n"))
    var maxDocuments: Int = ParseLimits.default.maxDocuments

    func validate() throws {
        if maxFileSize <= 0 || maxDocuments <= 0 { throw ValidationError("--max-file-size and --max-documents must be positive") }
    }

    /// The parse limits these flags give.
    var limits: ParseLimits {
        var limits = ParseLimits.default
        limits.maxFileBytes = maxFileSize
        limits.maxDocuments = maxDocuments
        return limits
    }
}

struct LintInputError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
