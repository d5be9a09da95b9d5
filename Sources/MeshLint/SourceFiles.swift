import Foundation

/// Finds the manifest files a lint run reads: files named on the command
/// line as they are, folders searched recursively for `.yaml`, `.yml` and
/// `.json`, in a sorted, deterministic order.
package enum SourceFiles {
    package static let extensions: Set<String> = ["yaml", "yml", "json"]

    package enum Failure: Error, CustomStringConvertible {
        case notFound(String)
        case unreadable(String)
        package var description: String {
            switch self {
            case .notFound(let path): "\(path): no such file or folder"
            case .unreadable(let path): "\(path): cannot be read; check its permissions"
            }
        }
    }

    /// Expands `paths` into files. Folders are walked (hidden entries such
    /// as `.git` skipped); a missing path throws. What `filter` excludes is
    /// left out, files named on the command line too (as pre-commit passes them).
    package static func expand(_ paths: [String], filter: ManifestFilter = .none) throws -> [String] {
        var files: [String] = []
        var seen = Set<String>()
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw Failure.notFound(path) }
            if filter.excludes(path, isFolder: isDirectory.boolValue) { continue }
            let found = isDirectory.boolValue ? walk(path, filter: filter) : [path]
            for file in found where seen.insert(normalize(file)).inserted { files.append(file) }
        }
        return files
    }

    /// Canonical form used to tell whether two spellings name one file.
    package static func normalize(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }

    private static func walk(_ root: String, filter: ManifestFilter) -> [String] {
        var result: [String] = []
        var pending = [root]
        while let folder = pending.popLast() {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { continue }
            for name in names where !name.hasPrefix(".") {
                let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
                if filter.excludes(path, isFolder: isDirectory.boolValue) { continue }
                if isDirectory.boolValue {
                    pending.append(path)
                } else if let dot = name.lastIndex(of: "."), extensions.contains(name[name.index(after: dot)...].lowercased()) {
                    result.append(path)
                }
            }
        }
        return result.sorted()
    }
}
