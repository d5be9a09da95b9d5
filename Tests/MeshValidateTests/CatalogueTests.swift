import Foundation
import MeshDiagnostics
import MeshLint
import MeshValidate
import MeshTestSupport
import Testing

/// `policies/` is the catalogue: one folder per code, each with a README, a
/// failing example that fires exactly its own code at the lines it says
/// (`# expect: CODE LINE`), and a passing example that fires nothing.
@Suite struct CatalogueTests {
    static let root = Repository.url("policies")

    static var folders: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    @Test func catalogueAndCodeListTheSameChecks() {
        let folderCodes = Set(Self.folders.map { String($0.prefix { $0 != "-" }) })
        #expect(folderCodes == Set(Codes.all.map(\.id)))
        for code in Codes.all {
            #expect(Self.folders.contains("\(code.id)-\(code.name)"), "policies/\(code.id)-\(code.name) is missing")
        }
    }

    @Test func everyCodeHasAnOwner() {
        let owned = Set(Analyzers.all.flatMap(\.codes).map(\.id))
        // IST0133 SchemaWarning comes from the field rules, with IST0106.
        let parseAndSchema: Set<String> = ["IST0106", "IST0133", "MSH0001", "MSH0002", "MSH0003", "MSH0004", "MSH0005"]
        #expect(owned.union(parseAndSchema) == Set(Codes.all.map(\.id)))
    }

    @Test func localAnalyzersAreListedApartFromCrossResourceOnes() {
        #expect(!Analyzers.crossResource.contains { $0 is any LocalAnalyzer }, "a LocalAnalyzer belongs in Analyzers.local")
        let names = Analyzers.all.map { _typeName(type(of: $0), qualified: false) }
        #expect(Set(names).count == names.count, "an analyzer is listed twice")
    }

    @Test(arguments: folders)
    func failingExampleFiresExactlyItsOwnCode(folder: String) throws {
        let code = String(folder.prefix { $0 != "-" })
        let dir = Self.root.appendingPathComponent(folder)
        for file in ["README.md", "failing.yaml", "passing.yaml"] {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(file).path), "\(folder)/\(file) is missing")
        }
        let failing = dir.appendingPathComponent("failing.yaml").path
        let expected = try Self.expectations(in: failing)
        #expect(!expected.isEmpty, "\(folder)/failing.yaml has no '# expect: CODE LINE' line")
        #expect(expected.allSatisfy { $0.hasPrefix(code + "@") }, "\(folder)/failing.yaml expects other codes")
        let report = try Linter.run(targets: [.file(failing)], options: Self.options(for: code))
        #expect(report.diagnostics.map { "\($0.code.id)@\($0.mark.line)" }.sorted() == expected.sorted(),
                "\(report.text())")
    }

    @Test(arguments: folders)
    func passingExampleIsClean(folder: String) throws {
        let passing = Self.root.appendingPathComponent(folder).appendingPathComponent("passing.yaml").path
        let report = try Linter.run(targets: [.file(passing)], options: Self.options(for: String(folder.prefix { $0 != "-" })))
        #expect(report.diagnostics.isEmpty, "\(report.text())")
    }

    /// Lint options for a folder's examples: an off-by-default check (`Codes.optIn`) is enabled for its own folder.
    static func options(for code: String) -> LintOptions {
        var options = LintOptions()
        if Codes.optIn.contains(code) { options.config.enabledOptInCodes = [code] }
        return options
    }

    @Test func optInChecksStayOffByDefault() throws {
        for code in Codes.optIn.sorted() {
            let folder = try #require(Self.folders.first { $0.hasPrefix(code + "-") })
            let failing = Self.root.appendingPathComponent(folder).appendingPathComponent("failing.yaml").path
            #expect(try Linter.run(targets: [.file(failing)]).diagnostics.isEmpty, "\(code) reported without being enabled")
        }
    }

    /// `# expect: IST0101 12` lines, as `IST0101@12`.
    static func expectations(in path: String) throws -> [String] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return text.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("# expect:") else { return nil }
            let parts = line.dropFirst("# expect:".count).split(separator: " ")
            guard parts.count == 2 else { return nil }
            return "\(parts[0])@\(parts[1])"
        }
    }
}
