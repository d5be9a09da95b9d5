import Foundation
import MeshLint
import Testing

/// Golden files: the full text report (messages and hints included) of
/// every catalogue `failing.yaml`, one file per check under `Golden/`, so a
/// change to any message shows up as a reviewed diff.
///
/// `MESHC_UPDATE_GOLDENS=1 swift test` rewrites them and deletes orphans;
/// that run fails on purpose so a rewrite never passes unseen.
@Suite struct GoldenTests {
    static let goldens = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    static let updating = ProcessInfo.processInfo.environment["MESHC_UPDATE_GOLDENS"] == "1"

    @Test(arguments: CatalogueTests.folders)
    func failingExampleReport(folder: String) throws {
        let example = CatalogueTests.root.appendingPathComponent(folder).appendingPathComponent("failing.yaml")
        let report = try Linter.run(targets: [.file(example.path)])
        // Paths relative to the repository so the golden does not depend on the checkout.
        let repo = CatalogueTests.root.deletingLastPathComponent().path + "/"
        let text = report.text().replacingOccurrences(of: repo, with: "")
        let golden = Self.goldens.appendingPathComponent("\(folder).txt")
        if Self.updating {
            try FileManager.default.createDirectory(at: Self.goldens, withIntermediateDirectories: true)
            try text.write(to: golden, atomically: true, encoding: .utf8)
            Issue.record("rewrote Golden/\(folder).txt; review the diff and run again without MESHC_UPDATE_GOLDENS")
            return
        }
        let expected = try String(contentsOf: golden, encoding: .utf8)
        #expect(text == expected, "Golden/\(folder).txt differs; if intended, run MESHC_UPDATE_GOLDENS=1 swift test")
    }

    @Test func noOrphanGoldens() throws {
        let wanted = Set(CatalogueTests.folders.map { "\($0).txt" })
        let present = Set(try FileManager.default.contentsOfDirectory(atPath: Self.goldens.path).filter { $0.hasSuffix(".txt") })
        let orphans = present.subtracting(wanted)
        if Self.updating {
            for orphan in orphans { try FileManager.default.removeItem(at: Self.goldens.appendingPathComponent(orphan)) }
            if !orphans.isEmpty { Issue.record("removed orphan goldens: \(orphans.sorted())") }
            return
        }
        #expect(orphans.isEmpty, "orphan goldens: \(orphans.sorted()); run MESHC_UPDATE_GOLDENS=1 swift test")
    }
}
