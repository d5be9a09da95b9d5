import Foundation
import Testing

/// Golden files under one folder: output is compared with them, or, under
/// `MESHC_UPDATE_GOLDENS=1`, written to them. A rewritten golden and a
/// removed orphan each record an issue, so that run fails on purpose and a
/// rewrite never passes unseen.
package struct Golden: Sendable {
    /// True under `MESHC_UPDATE_GOLDENS=1`: rewrite goldens and delete orphans.
    package static let updating = ProcessInfo.processInfo.environment["MESHC_UPDATE_GOLDENS"] == "1"

    /// The folder the goldens live in.
    package let folder: URL
    /// How messages name the folder (`Golden/s1-single-route`).
    package let label: String

    package init(_ folder: URL, label: String) {
        self.folder = folder
        self.label = label
    }

    /// Expects `text` to be the golden at `path` (relative to the folder);
    /// when updating, writes it if it differs.
    package func check(_ text: String, _ path: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let golden = folder.appendingPathComponent(path)
        let old = try? String(contentsOf: golden, encoding: .utf8)
        guard Self.updating else {
            #expect(old != nil, "\(label)/\(path) is missing; run MESHC_UPDATE_GOLDENS=1 swift test", sourceLocation: sourceLocation)
            if let old {
                #expect(text == old, "\(label)/\(path) differs; if intended, run MESHC_UPDATE_GOLDENS=1 swift test", sourceLocation: sourceLocation)
            }
            return
        }
        guard old != text else { return }
        try FileManager.default.createDirectory(at: golden.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: golden)
        Issue.record("rewrote \(label)/\(path); review the diff and run again without MESHC_UPDATE_GOLDENS", sourceLocation: sourceLocation)
    }

    /// Every file under the folder, in every subfolder, as sorted relative paths (hidden files left out).
    package func files() -> [String] {
        let paths = FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String } ?? []
        return paths.filter { path in
            var isFolder: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path, isDirectory: &isFolder)
            return exists && !isFolder.boolValue && !path.split(separator: "/").contains { $0.hasPrefix(".") }
        }.sorted()
    }

    /// Expects no file anywhere under the folder but `produced` (relative
    /// paths); when updating, deletes the others and the folders they leave empty.
    package func checkOrphans(produced: Set<String>, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let orphans = files().filter { !produced.contains($0) }
        guard Self.updating else {
            #expect(orphans.isEmpty, "orphan goldens in \(label): \(orphans); run MESHC_UPDATE_GOLDENS=1 swift test", sourceLocation: sourceLocation)
            return
        }
        for orphan in orphans {
            var url = folder.appendingPathComponent(orphan)
            try FileManager.default.removeItem(at: url)
            url.deleteLastPathComponent()
            while url.standardizedFileURL.path.count > folder.standardizedFileURL.path.count,
                  (try? FileManager.default.contentsOfDirectory(atPath: url.path).isEmpty) == true {
                try FileManager.default.removeItem(at: url)
                url.deleteLastPathComponent()
            }
        }
        if !orphans.isEmpty { Issue.record("removed orphan goldens in \(label): \(orphans)", sourceLocation: sourceLocation) }
    }
}
