import Foundation

/// The package this test code belongs to.
package enum Repository {
    /// The package root, from this file's path (`<root>/Tests/MeshTestSupport/Repository.swift`).
    package static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `relative` (e.g. `samples/s1-ingress`) under the package root.
    package static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }
}
