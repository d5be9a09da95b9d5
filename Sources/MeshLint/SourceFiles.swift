import Foundation

/// Finds the manifest files a lint run reads: files named on the command
/// line as they are, folders searched recursively for `.yaml`, `.yml` and
/// `.json`, in a sorted, deterministic order.
package enum SourceFiles {
    package static let extensions: Set<String> = ["yaml", "yml", "json"]

    package enum Failure: Error, CustomStringConvertible {
        case notFound(String)
        package var description: String {
            switch self {
            case .notFound(let path): "\(path): no such file or folder"
            }
        }
    }

    /// Expands `paths` into files. Folders are walked (hidden entries such
    /// as `.git` skipped); a missing path throws.
    package static func expand(_ paths: [String]) throws -> [String] {
        var files: [String] = []
        var seen = Set<String>()
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw Failure.notFound(path) }
            let found = isDirectory.boolValue ? walk(path) : [path]
            for file in found where seen.insert(normalize(file)).inserted { files.append(file) }
        }
        return files
    }

    /// Canonical form used to tell whether two spellings name one file.
    package static func normalize(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }

    private static func walk(_ root: String) -> [String] {
        var result: [String] = []
        var pending = [root]
        while let folder = pending.popLast() {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { continue }
            for name in names where !name.hasPrefix(".") {
                let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
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
