import Foundation
import MeshDiagnostics
import Testing
@testable import MeshSnapshot

/// `AtomicFile` writes what it is given, text or bytes, read in place.
struct AtomicFileTests {
    @Test func textAndBytesLandWholeAndAReplacedFileKeepsItsMode() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("meshc-atomic-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/routes/http.80.pb"
        let bytes: [UInt8] = [0x0a, 0x00, 0xff] + Array(repeating: 0x2a, count: 300_000)
        try AtomicFile.write(bytes: bytes, to: path, mode: 0o600)
        #expect(FileManager.default.contents(atPath: path) == Data(bytes))
        let text = "{\"name\":\"ünïcode ✓\"}\n"
        try AtomicFile.write(text, to: path)
        #expect(FileManager.default.contents(atPath: path) == Data(text.utf8))
        #expect((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) == 0o600)
        try AtomicFile.write(bytes: [], to: path)
        #expect(FileManager.default.contents(atPath: path) == Data())
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/routes") == ["http.80.pb"], "no staging file is left")
    }

    /// A streamed text lands as its pieces joined, small ones gathered, ones
    /// larger than the buffer written as they are, in order.
    @Test func aStreamedTextLandsAsItsPiecesJoined() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("meshc-atomic-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/applied.json"
        let pieces = ["{", String(repeating: "a", count: 700_000), ",", String(repeating: "ü", count: 600_000), "", String(repeating: "b", count: 3 << 20), "}\n"]
        try AtomicFile.write(to: path) { file in
            for piece in pieces { file.write(piece) }
        }
        #expect(FileManager.default.contents(atPath: path) == Data(pieces.joined().utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["applied.json"], "no staging file is left")
    }

    /// Writers racing to one path (two builds into one folder) each stage
    /// their own file: what lands is one writer's text whole, never a mix,
    /// and no staging file is left.
    @Test func racingWritersLeaveOneWholeFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("meshc-atomic-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/clusters.json"
        let texts = (0..<8).map { String(repeating: String(UnicodeScalar(UInt8(ascii: "a") + UInt8($0))), count: 3 << 20) }
        let failures = texts.parallelMap(chunk: 1) { text -> String? in
            do {
                try AtomicFile.write(to: path, created: 0o644) { file in
                    for piece in stride(from: 0, to: text.utf8.count, by: 100_000) {
                        file.write(String(text.dropFirst(piece).prefix(100_000)))
                    }
                }
                return nil
            } catch { return "\(error)" }
        }
        #expect(failures.compactMap { $0 }.isEmpty, "\(failures)")
        let landed = try String(contentsOfFile: path, encoding: .utf8)
        #expect(texts.contains(landed), "a whole text of one writer")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["clusters.json"], "no staging file is left")
    }
}
