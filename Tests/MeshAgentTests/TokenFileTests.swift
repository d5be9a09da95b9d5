import Foundation
import MeshAgent
import Testing

/// Secret files: the owner's alone, not empty; short tokens warned about.
@Suite struct TokenFileTests {
    static let longToken = String(repeating: "0123456789abcdef", count: 4)

    /// Writes `text` with `mode` (set explicitly, whatever the umask) to a new temporary file.
    func tokenFile(_ text: String, mode: mode_t) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("meshc-token-\(UUID().uuidString)").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        #expect(chmod(path, mode) == 0)
        return path
    }

    @Test(arguments: [0o644, 0o640, 0o604, 0o660, 0o622] as [mode_t])
    func aFileOthersCanReachIsRefusedWithTheFix(mode: mode_t) throws {
        let path = try tokenFile(Self.longToken + "\n", mode: mode)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = try #require(throws: TokenFileError.self) { try TokenFile.read(path, purpose: "the agents' bearer token") }
        #expect(error.description.contains("chmod 600 \(path)"), "\(error)")
        #expect(error.description.contains("--token-file \(path)"))
        #expect(!error.description.contains(Self.longToken))
    }

    @Test(arguments: [0o600, 0o400] as [mode_t])
    func anOwnerOnlyFileIsRead(mode: mode_t) throws {
        let path = try tokenFile("  \(Self.longToken)\n", mode: mode)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var warnings: [String] = []
        #expect(try TokenFile.read(path, purpose: "the token", warn: { warnings.append($0) }) == Self.longToken)
        #expect(warnings.isEmpty)
    }

    @Test func aShortTokenIsReadWithAWarning() throws {
        let path = try tokenFile("agent-token\n", mode: 0o600)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var warnings: [String] = []
        #expect(try TokenFile.read(path, purpose: "the token", flag: "--git-token-file", warn: { warnings.append($0) }) == "agent-token")
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("--git-token-file \(path)") == true)
        #expect(warnings.first?.contains("at least 32") == true)
        #expect(warnings.first?.contains("agent-token") == false, "the warning never shows the token")
    }

    @Test(arguments: ["", "\n", "  \n\n"])
    func anEmptyFileIsRefused(text: String) throws {
        let path = try tokenFile(text, mode: 0o600)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = try #require(throws: TokenFileError.self) { try TokenFile.read(path, purpose: "the token") }
        #expect(error.description.contains("is empty"))
    }

    @Test func aMissingFileIsRefused() throws {
        let error = try #require(throws: TokenFileError.self) { try TokenFile.read("/nonexistent/meshc-token", purpose: "the token") }
        #expect(error.description.contains("cannot read --token-file /nonexistent/meshc-token"))
    }
}
