import Foundation
import MeshDiagnostics
import MeshSnapshot

extension ProxySnapshot {
    /// One proxy's folder as `meshc build` writes it: `clusters.json`,
    /// `endpoints.json`, `listeners.json` (DiscoveryResponses; all three must
    /// be there) and the route configurations in `routes/<name>.json`
    /// (`BuildFolderFiles`). The proxy is named after the folder. Listeners
    /// are unbound from the folder (`RouteSource`), so builds with different
    /// `--out` compare equal.
    package static func folder(_ path: String) throws -> ProxySnapshot {
        let url = URL(fileURLWithPath: path)
        let responses: [EnvoyKind: JSON]
        do {
            responses = try BuildFolderFiles.responses(url, read: readJSON)
        } catch let error as SnapshotError {
            throw PlanInputError(error.description)
        }
        do {
            return try ProxySnapshot(proxy: url.standardizedFileURL.lastPathComponent, responses: responses, origin: path)
        } catch {
            throw PlanInputError(error.description)
        }
    }

    /// Every proxy in a `meshc build` output folder: each sub-folder holding
    /// any of the three DiscoveryResponse files, sorted by name. A folder without proxies gives
    /// none; a folder that does not exist is an error.
    package static func buildFolder(_ path: String) throws -> [ProxySnapshot] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
            throw PlanInputError("\(path): no such folder (expected the output of `meshc build --out \(path)`)")
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
        } catch {
            throw PlanInputError("\(path): cannot list the folder: \(error.localizedDescription)")
        }
        let base = URL(fileURLWithPath: path)
        return try names.compactMap { name in
            let folder = base.appendingPathComponent(name)
            let holdsProxy = EnvoyKind.allCases.filter { $0.isWrittenWhole && !$0.isOptional }.contains {
                FileManager.default.fileExists(atPath: folder.appendingPathComponent($0.fileName).path)
            }
            return holdsProxy ? try Self.folder(folder.path) : nil
        }
    }

    /// Reads and parses one JSON file, naming the file in every error.
    static func readJSON(_ path: String) throws -> JSON {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PlanInputError("\(path): missing or unreadable")
        }
        do {
            return try JSON.parse(data)
        } catch let error as JSON.ParseError {
            throw PlanInputError("\(path): \(error)")
        }
    }
}

/// A source of resources that cannot be read as a proxy's state: a missing
/// file, a file that is not JSON, a DiscoveryResponse of the wrong shape.
package struct PlanInputError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What cannot be read and where, e.g. `build/gw/clusters.json: missing or unreadable`.
    package var message: String

    /// An error saying `message`.
    package init(_ message: String) { self.message = message }

    package var description: String { message }
}
