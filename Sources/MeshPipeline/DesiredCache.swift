import Foundation
import MeshCompile
import MeshDiagnostics
import MeshSnapshot
import MeshSource

/// `meshc plan`'s on-disk cache: the desired proxies (and compiler notes) of
/// a commit that built, keyed by everything they depend on: meshc's version
/// and build, the compile options, and every manifest file of the commit by
/// path and git blob id. A key that matches is the same input, so the entry
/// is what a build would give; a CI job that restores the folder plans both
/// refs of a rerun without parsing or compiling.
///
/// Safe to delete (a miss builds, then writes); written atomically (a
/// temporary file renamed); a damaged or foreign entry is a miss; bounded:
/// after a write only the `keep` most recently used entries stay.
package struct DesiredCache: Sendable {
    package let folder: String
    package let keep: Int

    /// `$XDG_CACHE_HOME/meshc/plan`, or `~/.cache/meshc/plan`.
    package static var defaultFolder: String { GitRepository.cacheFolder("plan") }

    package init(folder: String = DesiredCache.defaultFolder, keep: Int = 16) {
        self.folder = folder
        self.keep = keep
    }

    /// The key of a build of `files` (path, blob id) with `options` by this meshc (`build`: version, commit, binary).
    package static func key(build: String, options: CompileOptions, files: [(path: String, blob: String)]) -> String {
        var lines = [
            "meshc \(build)",
            "options port-offset=\(options.portOffset) admin-port=\(options.adminPort) listen=\(options.listenAddress) strict=\(options.strict)",
            "proxies \(options.proxies.map { $0.sorted().joined(separator: ",") } ?? "*")",
            "mesh root=\(options.config.rootNamespace) trust-domain=\(options.config.trustDomain) domain=\(options.config.domainSuffix)"
                + " enabled=\(options.config.enabledOptInCodes.sorted().joined(separator: ","))",
        ]
        lines += files.sorted { $0.path < $1.path }.map { "\($0.blob) \($0.path)" }
        return lines.joined(separator: "\n")
    }

    /// The entry for `key`, or nil.
    package func lookup(_ key: String) -> (proxies: [DesiredProxy], notes: [String])? {
        let path = file(key)
        // Mapped, not read: two 74 MB entries per plan are ~0.1 s of copying. Safe because
        // entries are never changed in place (written to a temporary file and renamed;
        // eviction unlinks, and a mapped file outlives its name).
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped),
              let found = DesiredCoding.decode(data, key: key) else { return nil }
        // Used now: eviction keeps the most recently used entries.
        try? FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: path)
        return found
    }

    /// Writes the entry for `key`; a failure only costs the next run a build.
    package func store(_ key: String, proxies: [DesiredProxy], notes: [String]) {
        let bytes = DesiredCoding.encode(key: key, proxies: proxies, notes: notes)
        let manager = FileManager.default
        do {
            try manager.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let temporary = folder + "/.\(UUID().uuidString).tmp"
            guard manager.createFile(atPath: temporary, contents: Data(bytes), attributes: [.posixPermissions: 0o600]) else { return }
            if rename(temporary, file(key)) != 0 { try? manager.removeItem(atPath: temporary) }
        } catch {
            return
        }
        evict()
    }

    /// The entry's file: the key's FNV-1a (the key itself is inside, compared on lookup).
    private func file(_ key: String) -> String { folder + "/" + FNV1a64.hex(key) + ".desired" }

    /// Keeps the `keep` most recently used entries.
    private func evict() {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: folder) else { return }
        let entries = names.filter { $0.hasSuffix(".desired") }.map { name -> (String, Date) in
            let path = folder + "/" + name
            let date = (try? manager.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? .distantPast
            return (path, date)
        }
        guard entries.count > keep else { return }
        for (path, _) in entries.sorted(by: { $0.1 > $1.1 }).dropFirst(keep) { try? manager.removeItem(atPath: path) }
    }
}
