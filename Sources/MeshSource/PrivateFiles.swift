import Foundation

/// Folders and files only their owner can reach. Mirrors hold manifests
/// that may be private, and libgit2 creates files with whatever the umask
/// allows, so modes are set explicitly instead of left to the umask.
enum PrivateFiles {
    /// Makes the folder `path` and every missing parent, each created
    /// 0700 (folders that exist already are left as they are).
    static func makeFolder(_ path: String) throws {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, 0o700) == 0 {
                chmod(current, 0o700)
            } else if errno != EEXIST {
                throw SourceError.unreadable(path: current, reason: "cannot make the folder: \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Takes group and other permissions away from `path` and everything
    /// below it: folders become 0700, files 0600 (git's read-only objects
    /// 0400). Symbolic links are neither changed nor followed.
    static func restrict(_ path: String) {
        restrictOne(path)
        guard let entries = FileManager.default.enumerator(atPath: path) else { return }
        for case let entry as String in entries {
            restrictOne(path + "/" + entry)
        }
    }

    /// The mode a folder or file below a private folder gets.
    static func privateMode(_ mode: mode_t) -> mode_t {
        mode & S_IFMT == S_IFDIR ? 0o700 : mode & 0o700
    }

    private static func restrictOne(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT != S_IFLNK else { return }
        let wanted = privateMode(info.st_mode)
        if info.st_mode & 0o7777 != wanted { chmod(path, wanted) }
    }
}
