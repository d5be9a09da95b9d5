import Foundation
import MeshTestSupport
import Testing

/// `--log-format` and `--log-level` (issue 12): one line per event, in the chosen format.
@Suite(.tags(.e2e), .enabled(if: Tools.envoy != nil, Tools.envoyMissing))
struct LogFormatTests {
    /// The agent's log lines (its standard error without the `meshc agent: listening on …` announcement).
    static func logLines(_ agent: AgentProcess) throws -> [String] {
        let text = try String(contentsOfFile: agent.process.stderrPath, encoding: .utf8)
        return text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("meshc agent: ") }
    }

    @Test func jsonLinesParseAndCarryTheFields() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let agent = try bed.agent(arguments: ["--log-format", "json", "--log-level", "debug"])
        let lines = try poll(seconds: 5) { ((try? Self.logLines(agent)) ?? []).count >= 1 } ? try Self.logLines(agent) : []
        #expect(!lines.isEmpty, "no log line:\n\(agent.context)")
        for line in lines {
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object != nil, "not one JSON object: \(line)")
            for key in ["time", "level", "logger", "msg"] { #expect(object?[key] is String, "\(key) missing: \(line)") }
        }
    }

    @Test func logfmtLinesHaveKeyValuePairs() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let agent = try bed.agent(arguments: ["--log-format", "logfmt"])
        let lines = try poll(seconds: 5) { ((try? Self.logLines(agent)) ?? []).count >= 1 } ? try Self.logLines(agent) : []
        #expect(!lines.isEmpty, "no log line:\n\(agent.context)")
        for line in lines {
            #expect(line.hasPrefix("time=") && line.contains(" level=") && line.contains(" logger=meshc.agent") && line.contains(" msg="), "\(line)")
        }
    }

    @Test func anUnknownLevelIsAUsageError() throws {
        let run = try Tools.meshc(["agent", "--proxy", "p", "--state-dir", "/nonexistent", "--token-file", "/nonexistent", "--admin-port", "15000", "--log-level", "loud"])
        #expect(run.status == 2, "\(run.stdout)\(run.stderr)")
        #expect(run.stderr.contains("--log-level must be one of"), "\(run.stderr)")
    }
}
