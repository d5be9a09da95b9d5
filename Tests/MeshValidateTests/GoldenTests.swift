import Foundation
import MeshLint
import MeshTestSupport
import Testing

/// Golden files: the full text report (messages and hints included) of
/// every catalogue `failing.yaml`, one file per check under `Golden/`, so a
/// change to any message shows up as a reviewed diff.
///
/// `MESHC_UPDATE_GOLDENS=1 swift test` rewrites them and deletes orphans;
/// that run fails on purpose so a rewrite never passes unseen. The goldens
/// are read from and written to the source folder (`#filePath`), not the
/// copy the test bundle carries as a resource.
@Suite struct GoldenTests {
    static let golden = Golden(URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden"), label: "Golden")

    @Test(arguments: CatalogueTests.folders)
    func failingExampleReport(folder: String) throws {
        let example = CatalogueTests.root.appendingPathComponent(folder).appendingPathComponent("failing.yaml")
        let report = try Linter.run(targets: [.file(example.path)], options: CatalogueTests.options(for: String(folder.prefix { $0 != "-" })))
        // Paths relative to the repository so the golden does not depend on the checkout.
        let text = report.text().replacingOccurrences(of: Repository.root.path + "/", with: "")
        try Self.golden.check(text, "\(folder).txt")
    }

    @Test func noOrphanGoldens() throws {
        try Self.golden.checkOrphans(produced: Set(CatalogueTests.folders.map { "\($0).txt" }))
    }
}
