import Foundation
import MeshLint
import MeshTestSupport
import Testing

/// The bundled scenario samples: every step lints clean, and the seed's S5
/// constraints are reported at the lines samples/s5-lint-errors/expected.txt names.
@Suite struct SamplesTests {
    static let samples = Repository.url("samples")

    static var stepFolders: [String] {
        let files = (FileManager.default.enumerator(atPath: samples.path)?.compactMap { $0 as? String } ?? [])
            .filter { $0.hasSuffix(".yaml") }
        return Set(files.map { ($0 as NSString).deletingLastPathComponent }).sorted()
    }

    @Test func everyScenarioStepIsThere() {
        #expect(Self.stepFolders.count >= 14)
    }

    @Test(arguments: stepFolders)
    func step(_ folder: String) throws {
        let dir = Self.samples.appendingPathComponent(folder)
        let files = try SourceFiles.expand([dir.path])
        let report = try Linter.run(targets: files.map(LintSource.file))
        let expectedFile = dir.appendingPathComponent("expected.txt")
        guard FileManager.default.fileExists(atPath: expectedFile.path) else {
            #expect(report.diagnostics.isEmpty, "\(report.text())")
            return
        }
        let expected = try String(contentsOf: expectedFile, encoding: .utf8).split(separator: "\n")
            .filter { !$0.hasPrefix("#") }.map(String.init).sorted()
        let got = report.diagnostics.map { "\(($0.file as NSString).lastPathComponent):\($0.mark.line) \($0.code.id)" }.sorted()
        #expect(got == expected, "\(report.text())")
    }
}
