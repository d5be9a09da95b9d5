import Foundation
import MeshLint

/// The manifest files of one commit or of one folder on disk: the unit the
/// reconciler and `meshc plan` lint and compile.
package struct SourceSnapshot: Sendable {
    /// Where the files came from.
    package enum Origin: Hashable, Sendable {
        case commit(GitCommit)
        /// A folder on disk (the root given to `directory(_:under:)`).
        case directory(String)
    }

    /// The commit or folder the files came from.
    package let origin: Origin
    /// Sorted by path.
    package let files: [SourceFile]

    /// A snapshot of `files` (sorted by path) from `origin`.
    package init(origin: Origin, files: [SourceFile]) {
        self.origin = origin
        self.files = files
    }

    /// The manifest files (`.yaml`, `.yml`, `.json`, hidden entries
    /// skipped) of the folder `root`, or of its sub-folder `folder`, named
    /// by their path from `root` as a commit names them from the repository
    /// root: a clean checkout and its commit give equal snapshots and share
    /// cache entries. Content ids are git blob ids (`git hash-object`).
    /// Paths `ignoring` names (relative to `root`) are left out.
    package static func directory(_ root: String, under folder: String? = nil, ignoring rules: IgnoreRules = .none) throws -> SourceSnapshot {
        let relativeFolder = GitRepository.normalizedFolder(folder)
        let base = root.hasSuffix("/") || root.isEmpty ? root : root + "/"
        let start = relativeFolder.isEmpty ? root : base + relativeFolder
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: start, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw SourceError.missingPath(path: relativeFolder.isEmpty ? root : relativeFolder, at: root)
        }
        let paths = try SourceFiles.expand([start], filter: rules.isEmpty ? .none : ManifestFilter(root: root, rules: rules))
        // Hashing reads every byte: on every core.
        var hashed = [Result<SourceFile, Error>?](repeating: nil, count: paths.count)
        hashed.withUnsafeMutableBufferPointer { slots in
            let slots = slots
            DispatchQueue.concurrentPerform(iterations: paths.count) { index in
                slots[index] = Result { try file(at: paths[index], named: String(paths[index].dropFirst(base.count))) }
            }
        }
        let files = try hashed.map { try $0!.get() }
        return SourceSnapshot(origin: .directory(root), files: files.sorted { $0.path < $1.path })
    }

    /// The snapshot without the files `rules` ignore (paths are from the
    /// snapshot's root: the repository root for a commit).
    package func excluding(_ rules: IgnoreRules) -> SourceSnapshot {
        guard !rules.isEmpty else { return self }
        return SourceSnapshot(origin: origin, files: files.filter { !rules.ignores($0.path) })
    }

    /// The file at `path`: its size and blob id now, its bytes on demand.
    private static func file(at path: String, named name: String) throws -> SourceFile {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw SourceError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        let id = try Git.blobID(ofFile: path)
        return SourceFile(path: name, id: id, size: Int(info.st_size)) { try readVerified(path, id: id) }
    }

    /// The file's bytes, checked against the id taken when the snapshot was
    /// made so the cache never files new bytes under an old id.
    private static func readVerified(_ path: String, id: ObjectID) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SourceError.unreadable(path: path, reason: "it vanished or is not readable")
        }
        let bytes = [UInt8](data)
        guard Git.blobID(of: bytes) == id else { throw SourceError.changedWhileReading(path: path) }
        return bytes
    }
}

/// One manifest file of a snapshot.
package struct SourceFile: Sendable {
    /// Path from the snapshot's root, `/`-separated; diagnostics use it.
    package let path: String
    /// The git blob id of the bytes: the parse cache's key.
    package let id: ObjectID
    /// Size in bytes, known without reading the bytes.
    package let size: Int
    private let load: @Sendable () throws -> [UInt8]

    /// A file whose bytes `load` reads (they must hash to `id`).
    package init(path: String, id: ObjectID, size: Int, load: @escaping @Sendable () throws -> [UInt8]) {
        self.path = path
        self.id = id
        self.size = size
        self.load = load
    }

    /// Reads the bytes (from the object database or the disk).
    package func bytes() throws -> [UInt8] { try load() }

    /// The file as the linter reads it: bytes loaded inside the parallel
    /// per-file phase, after the size limit check.
    var lintSource: LintSource { .loader(name: path, size: size, load: load) }
}
