import ArgumentParser
import Foundation
import Logging
import MeshDiagnostics
import Synchronization

/// `--log-format` and `--log-level` of the long-running commands (agent, reconcile).
struct LoggingFlags: ParsableArguments {
    enum Format: String, ExpressibleByArgument, CaseIterable {
        /// `2026-12-03T10:00:00Z info meshc.agent: key=value message`.
        case text
        /// `time=… level=info logger=meshc.agent msg="…" key=value` (logfmt).
        case logfmt
        /// One JSON object per line: time, level, logger, msg, then the metadata.
        case json
    }

    @Option(name: .customLong("log-format"), help: "How log lines are written: text, logfmt or json (one line per event, on standard error).")
    var logFormat: Format = .text

    @Option(name: .customLong("log-level"), help: "The least severe level logged: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    func validate() throws {
        if Logger.Level(rawValue: logLevel) == nil {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
    }

    /// Routes every logger to standard error in the chosen format and level (`verbose`: at least debug).
    func bootstrap(verbose: Bool = false) {
        var level = Logger.Level(rawValue: logLevel) ?? .info
        if verbose && level > .debug { level = .debug }
        let format = logFormat
        LoggingSystem.bootstrap { label in LineLogHandler(label: label, format: format, logLevel: level) }
    }
}

/// Writes one line per event to standard error (a lock keeps lines whole across threads).
struct LineLogHandler: LogHandler {
    let label: String
    let format: LoggingFlags.Format
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    private static let output = Mutex<Void>(())

    init(label: String, format: LoggingFlags.Format, logLevel: Logger.Level) {
        self.label = label
        self.format = format
        self.logLevel = logLevel
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?, source: String, file: String,
             function: String, line: UInt) {
        let all = self.metadata.merging(explicit ?? [:]) { _, new in new }
        let text = Self.line(format: format, time: Date(), level: level, label: label, message: message.description, metadata: all)
        let data = Data((text + "\n").utf8)
        Self.output.withLock { _ in FileHandle.standardError.write(data) }
    }

    /// One event as a line in `format`; metadata sorted by key.
    static func line(format: LoggingFlags.Format, time: Date, level: Logger.Level, label: String, message: String,
                     metadata: Logger.Metadata) -> String {
        let stamp = ISO8601DateFormatter().string(from: time)
        let pairs = metadata.sorted { $0.key < $1.key }.map { ($0.key, $0.value.description) }
        switch format {
        case .text:
            let fields = pairs.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
            return "\(stamp) \(level) \(label):\(fields.isEmpty ? "" : " " + fields) \(message)".replacingOccurrences(of: "\n", with: "\\n")
        case .logfmt:
            func value(_ text: String) -> String {
                let plain = !text.isEmpty && text.allSatisfy { !$0.isWhitespace && $0 != "\"" && $0 != "=" && $0 != "\\" }
                return plain ? text : JSON.string(text).rendered()
            }
            return (["time=\(stamp)", "level=\(level)", "logger=\(value(label))", "msg=\(value(message))"]
                + pairs.map { "\($0.0)=\(value($0.1))" }).joined(separator: " ")
        case .json:
            var members: JSONObject = ["time": .string(stamp), "level": .string(level.rawValue), "logger": .string(label), "msg": .string(message)]
            for (key, value) in pairs where members[key] == nil { members[key] = .string(value) }
            // Canonical JSON sorts keys; time, level, logger and msg read first when they lead.
            let head = ["time", "level", "logger", "msg"].map { "\(JSON.string($0).rendered()):\(members[$0]!.rendered())" }
            let rest = pairs.filter { !["time", "level", "logger", "msg"].contains($0.0) }
                .map { "\(JSON.string($0.0).rendered()):\(JSON.string($0.1).rendered())" }
            return "{" + (head + rest).joined(separator: ",") + "}"
        }
    }
}
