import Foundation
import MeshDiagnostics

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
            guard isDirectory.boolValue else {
                if seen.insert(normalize(path)).inserted { files.append(path) }
                continue
            }
            // One folder named: its walk finds each file once, and nothing else can repeat one.
            if paths.count == 1 { return walk(path, filter: filter) }
            // A walk joins plain names to the folder, so a found file's canonical form is the folder's and the rest;
            // a folder named with `..` or `//` (which standardizing may resolve differently) is standardized file by file.
            let parts = path.split(separator: "/", omittingEmptySubsequences: false)
            let plain = path.hasSuffix("/") ? parts.dropLast() : parts[...]
            guard !plain.contains(".."), !plain.dropFirst().contains(""), plain.count > 1 || !path.hasPrefix("/") else {
                for file in walk(path, filter: filter) where seen.insert(normalize(file)).inserted { files.append(file) }
                continue
            }
            let folder = path.hasSuffix("/") ? path.utf8.count - 1 : path.utf8.count
            var canonical = normalize(path)
            if canonical.hasSuffix("/") { canonical.removeLast() }
            for file in walk(path, filter: filter) where seen.insert(canonical + String(decoding: file.utf8.dropFirst(folder), as: UTF8.self)).inserted {
                files.append(file)
            }
        }
        return files
    }

    /// Canonical form used to tell whether two spellings name one file.
    package static func normalize(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// The manifest files under `root`, sorted; each path is `root`
    /// (without a trailing slash) joined to names with "/". Entries are
    /// read with their types (`readdir`), so a file costs no `stat`; a
    /// symbolic link to a file is read, one to a folder is not walked (a
    /// hostile commit could make links loop). Read breadth first
    /// until there are folders enough to share, then each subtree on a core
    /// of its own (a mesh repository is mostly folders of files: a serial
    /// walk of 10,000 files kept one core idle while the other listed them).
    private static func walk(_ root: String, filter: ManifestFilter) -> [String] {
        var result: [String] = []
        var frontier = [root.hasSuffix("/") && root.count > 1 ? String(root.dropLast()) : root]
        while !frontier.isEmpty, frontier.count < 16 {
            var next: [String] = []
            for folder in frontier { list(folder, filter: filter, files: &result, folders: &next) }
            frontier = next
        }
        let parts = frontier.parallelMap(chunk: 1) { subtree in
            var files: [String] = []
            var pending = [subtree]
            while let folder = pending.popLast() { list(folder, filter: filter, files: &files, folders: &pending) }
            return files
        }
        for part in parts { result += part }
        return result.sorted()
    }

    /// Appends the manifest files of `folder` to `files` and its subfolders
    /// to `folders` (hidden entries and what `filter` excludes left out).
    private static func list(_ folder: String, filter: ManifestFilter, files: inout [String], folders: inout [String]) {
        guard let stream = opendir(folder) else { return }
        defer { closedir(stream) }
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard !name.hasPrefix(".") else { continue }
            let path = folder == "/" ? "/" + name : folder + "/" + name
            let type = entry.pointee.d_type
            let isFolder: Bool
            if type == UInt8(DT_DIR) {
                isFolder = true
            } else if type == UInt8(DT_REG) {
                isFolder = false
            } else {
                // A link or a file system that does not say: ask. A link to a file is read; a link to a
                // folder is not walked (as git and `find` do not): links could loop, or fan out exponentially.
                var info = stat()
                guard lstat(path, &info) == 0 else { continue }
                if (info.st_mode & S_IFMT) == S_IFLNK {
                    guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
                }
                isFolder = (info.st_mode & S_IFMT) == S_IFDIR
                if !isFolder, (info.st_mode & S_IFMT) != S_IFREG { continue }
            }
            if filter.excludes(path, isFolder: isFolder) { continue }
            if isFolder {
                folders.append(path)
            } else if isManifest(name) {
                files.append(path)
            }
        }
    }

    /// Whether a file name ends in `.yaml`, `.yml` or `.json`, in any case (no string made per file).
    package static func isManifest(_ name: String) -> Bool {
        let bytes = name.utf8
        guard let dot = bytes.lastIndex(of: UInt8(ascii: ".")) else { return false }
        let suffix = bytes[bytes.index(after: dot)...]
        return extensions.contains { $0.utf8.elementsEqual(suffix.lazy.map { $0 | ($0 >= 0x41 && $0 <= 0x5A ? 0x20 : 0) }) }
    }
}
