import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The unprivileged user Envoy runs as when the agent runs as root
/// (`--envoy-user`, default `nobody`). Envoy is started through util-linux
/// `setpriv` (glibc's posix_spawn cannot change the user, and fork is unsafe
/// in Swift): real and effective uid and gid set, supplementary groups
/// cleared, CAP_NET_BIND_SERVICE its one capability (listeners on ports
/// below 1024 keep working) when the agent holds it.
package struct EnvoyUser: Sendable, Equatable {
    /// The login name.
    package var name: String
    package var uid: uid_t
    /// The user's primary group: the state folder's group.
    package var gid: gid_t

    /// `name` from the user database.
    package static func named(_ name: String) throws -> EnvoyUser {
        guard let entry = getpwnam(name) else {
            throw AgentIOError("there is no user \(name) to run Envoy as: create it, or name another with --envoy-user")
        }
        return EnvoyUser(name: name, uid: entry.pointee.pw_uid, gid: entry.pointee.pw_gid)
    }

    /// Who Envoy runs as beside an agent configured with `name` (nil:
    /// `nobody`): nil when the agent does not run as root (Envoy runs as the
    /// agent does) or `name` is root.
    package static func forAgent(_ name: String?) throws -> EnvoyUser? {
        guard geteuid() == 0 else { return nil }
        let user = try named(name ?? "nobody")
        return user.uid == 0 ? nil : user
    }

    /// setpriv's arguments up to `--`, before the program it execs.
    var setprivArguments: [String] {
        var words = ["--reuid=\(uid)", "--regid=\(gid)", "--clear-groups"]
        if Self.holdsBindService { words += ["--inh-caps=+net_bind_service", "--ambient-caps=+net_bind_service"] }
        return words + ["--"]
    }

    /// The setpriv binary; throws when util-linux's is not installed.
    static func setpriv() throws -> String {
        guard let path = ["/usr/bin/setpriv", "/bin/setpriv", "/usr/sbin/setpriv"].first(where: FileManager.default.isExecutableFile(atPath:)) else {
            throw AgentIOError("running Envoy as another user needs setpriv (util-linux), found in none of /usr/bin, /bin, /usr/sbin: install util-linux, or keep Envoy as root with --envoy-user root")
        }
        return path
    }

    /// Whether this process holds CAP_NET_BIND_SERVICE (bit 10 of `CapPrm`), which it can then pass on.
    private static let holdsBindService: Bool = {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("CapPrm:") }),
              let mask = UInt64(line.dropFirst("CapPrm:".count).trimmingCharacters(in: .whitespaces), radix: 16) else { return false }
        return mask & (1 << 10) != 0
    }()

    /// Whether the user, with its primary group alone, has `bits` (of r=4,
    /// w=2, x=1) on the file or folder `info` describes.
    func may(_ bits: mode_t, _ info: stat) -> Bool {
        let shift: mode_t = info.st_uid == uid ? 6 : info.st_gid == gid ? 3 : 0
        return (info.st_mode >> shift) & bits == bits
    }

    /// Why this user cannot reach `path` (search permission on every folder
    /// above it) or, with `execute`, run it; nil when it can.
    package func problem(reaching path: String, execute: Bool = false) -> String? {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        var folder = url.deletingLastPathComponent()
        var folders: [String] = []
        while true {
            folders.insert(folder.path, at: 0)
            if folder.path == "/" { break }
            folder = folder.deletingLastPathComponent()
        }
        var info = stat()
        for folder in folders where stat(folder, &info) == 0 && !may(0o1, info) {
            return "the Envoy user \(name) cannot reach \(url.path): \(folder) does not let it through; give it a folder it can traverse"
        }
        if execute, stat(url.path, &info) == 0, !may(0o1, info) {
            return "the Envoy user \(name) cannot run \(url.path): make it executable for others, or pick another --envoy-user"
        }
        return nil
    }
}

extension DeliveryLayout {
    /// What Envoy reads in the state folder (through its group), and the folder it writes into.
    static let envoyReads: Set<String> = [bootstrap, clusters, listeners, "routes", "secrets", "certs"]
    static let envoyWrites = "logs"

    /// Opens the state folder to `user` and to it alone (run as root, before
    /// any delivery file is written):
    ///
    ///     <state>                 0750  root:<gid>   (checked: the user can reach it)
    ///     routes/, secrets/, certs/ 2750  root:<gid>   (files created there take the group)
    ///     logs/                   0750  <uid>:<gid>  (Envoy writes there; its entries become the user's)
    ///     bootstrap, cds, lds     0640  root:<gid>   (`AtomicFile.write(group:)`; replacements keep it)
    ///     everything else         others' bits cleared; group root if it was <gid>
    ///                             (applied.json 0640, envoy.pid 0600, envoy.log 0640, all root:root)
    package func grant(to user: EnvoyUser) throws {
        if let problem = user.problem(reaching: folder) { throw AgentIOError(problem) }
        try own(folder, uid: 0, gid: user.gid, mode: 0o750)
        for name in ["routes", "secrets", "certs"] { try own(path(name), uid: 0, gid: user.gid, mode: 0o2750) }
        try own(path(Self.envoyWrites), uid: user.uid, gid: user.gid, mode: 0o750)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: path(Self.envoyWrites))) ?? [] {
            lchown(path(Self.envoyWrites) + "/" + name, user.uid, user.gid)
        }
        for name in try FileManager.default.contentsOfDirectory(atPath: folder)
        where !Self.envoyReads.contains(name) && name != Self.envoyWrites {
            var info = stat()
            guard lstat(path(name), &info) == 0, info.st_mode & S_IFMT != S_IFLNK else { continue }
            if info.st_gid == user.gid { chown(path(name), 0, 0) }
            chmod(path(name), info.st_mode & 0o7770)
        }
    }

    private func own(_ path: String, uid: uid_t, gid: gid_t, mode: mode_t) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        guard chown(path, uid, gid) == 0, chmod(path, mode) == 0 else {
            throw AgentIOError("cannot give \(path) to uid \(uid), gid \(gid): \(String(cString: strerror(errno)))")
        }
    }
}
