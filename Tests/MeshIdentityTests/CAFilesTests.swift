import Foundation
@testable import MeshIdentity
import Testing

/// `CAFiles.writeAtomically`: the whole text or nothing, with its mode, and the system's reason when it cannot.
@Suite struct CAFilesTests {
    @Test func writesTheWholeTextWithItsMode() throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        try FileManager.default.createDirectory(atPath: folder.path, withIntermediateDirectories: true)
        let text = String(repeating: "-----BEGIN EC PRIVATE KEY-----\n", count: 4_000)
        try CAFiles.writeAtomically(text, to: folder.file("ca-key.pem"), mode: 0o600)
        #expect(try String(contentsOfFile: folder.file("ca-key.pem"), encoding: .utf8) == text)
        #expect(try folder.mode("ca-key.pem") == 0o600)
    }

    /// A folder where the file should go: named with the system's reason, and no staging file left beside it.
    @Test func aPathThatCannotTakeTheFileIsNamed() throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        try FileManager.default.createDirectory(atPath: folder.file("ca-cert.pem"), withIntermediateDirectories: true)
        try folder.write("ca-cert.pem/inside", "")
        #expect(throws: IdentityError.caFile(folder.file("ca-cert.pem"), "it cannot be written (Is a directory)")) {
            try CAFiles.writeAtomically("cert", to: folder.file("ca-cert.pem"), mode: 0o644)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["ca-cert.pem"])
    }
}
