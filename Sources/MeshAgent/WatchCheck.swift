import Foundation
import MeshDiagnostics
import MeshSnapshot
#if canImport(Glibc)
import Glibc
#endif

/// Checks, before anything is written, that Envoy can watch every file a
/// snapshot has it read. Envoy takes an inotify instance of its own for each
/// file config source it subscribes to (CDS, LDS, each route
/// configuration's file, each SDS secret's file); the kernel gives a user
/// `fs.inotify.max_user_instances` of them across all their processes (128
/// by default), and Envoy aborts when it cannot get one (`watcher_impl.cc:
/// assert failure: inotify_fd_ >= 0`): a commit serving 130 ports or HTTPS
/// servers from one gateway would otherwise bring every such Envoy down
/// (measured on Envoy 1.40: `meshc build` of a 130-port gateway, started
/// from its bootstrap, exits 134). A proxy with one route configuration holds three.
package enum WatchCheck {
    /// CDS and LDS: the bootstrap's two file subscriptions.
    static let bootstrapSources: Set<String> = ["meshc:" + DeliveryLayout.clusters, "meshc:" + DeliveryLayout.listeners]

    /// The file config sources Envoy subscribes to for `snapshot`: CDS, LDS,
    /// and every distinct placeholder path its listeners name (route
    /// configurations, gateway secrets, mesh mTLS secrets). Clusters may name
    /// only mesh mTLS's two secrets (`SnapshotPolicy`), counted whether or
    /// not one does, so the count is at most two over what Envoy takes.
    package static func sources(_ snapshot: ProxySnapshot) -> Set<String> {
        var found = bootstrapSources
        for listener in snapshot[.listener] { placeholders(in: listener.bytes, into: &found) }
        for name in SecretSource.names { found.insert(RouteSource.unbound + SecretSource.file(name)) }
        return found
    }

    /// Why Envoy could not watch the files `next` adds to what `current`
    /// has it watch, or nil. `limit`: the user's instances
    /// (`fs.inotify.max_user_instances`), `inUse`: how many that user's
    /// processes hold now (the running Envoy's included); nil when unknown:
    /// nothing is checked.
    package static func problem(from current: ProxySnapshot?, to next: ProxySnapshot, limit: Int?, inUse: Int?) -> String? {
        let (wanted, added) = watched(from: current, to: next)
        return problem(wanted: wanted, added: added, limit: limit, inUse: inUse)
    }

    /// Why `next` has Envoy watch more files than `budget` (the agent's
    /// `--max-watched-files`), or nil.
    package static func problem(_ next: ProxySnapshot, budget: Int) -> String? { problem(wanted: sources(next).count, budget: budget) }

    /// What to do about a `problem`.
    package static let fix = "raise fs.inotify.max_user_instances on this host (sysctl) and the agent's --max-watched-files if set, "
        + "or serve fewer route configurations (one per HTTP port and per HTTPS server) from this proxy"

    /// The problem for `next` on this host, Envoy running as `uid`, within `budget` files when given.
    package static func problem(from current: ProxySnapshot?, to next: ProxySnapshot, uid: uid_t, budget: Int? = nil) -> String? {
        let (wanted, added) = watched(from: current, to: next)
        if let budget, let problem = problem(wanted: wanted, budget: budget) { return problem }
        // Counting the host's instances reads /proc: only when the snapshot watches files the applied one does not.
        guard added > 0 else { return nil }
        return problem(wanted: wanted, added: added, limit: userLimit(), inUse: instances(ownedBy: uid))
    }

    /// How many files `next` has Envoy watch, and how many of them `current` does not.
    /// (Envoy keeps the subscriptions of both snapshots until the update is done.)
    private static func watched(from current: ProxySnapshot?, to next: ProxySnapshot) -> (wanted: Int, added: Int) {
        let wanted = sources(next)
        return (wanted.count, current.map { wanted.subtracting(sources($0)).count } ?? wanted.count)
    }

    private static func problem(wanted: Int, added: Int, limit: Int?, inUse: Int?) -> String? {
        guard let limit, let inUse, added > 0, added > limit - inUse else { return nil }
        return "this snapshot has Envoy watch \(wanted) files (\(added) more than now: route configurations and secrets each take "
            + "an inotify instance), and Envoy's user has \(max(0, limit - inUse)) of fs.inotify.max_user_instances = \(limit) free "
            + "(\(inUse) in use); Envoy aborts when it runs out"
    }

    private static func problem(wanted: Int, budget: Int) -> String? {
        guard wanted > budget else { return nil }
        return "this snapshot has Envoy watch \(wanted) files (route configurations and secrets each take an inotify instance), "
            + "over the agent's --max-watched-files \(budget)"
    }

    /// `fs.inotify.max_user_instances`, or nil when it cannot be read.
    package static func userLimit() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/sys/fs/inotify/max_user_instances", encoding: .utf8) else { return nil }
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// The inotify instances processes of `uid` hold (descriptors that are
    /// `anon_inode:inotify`), or nil when /proc cannot be read. Processes
    /// whose descriptors this one may not list are skipped: as another
    /// user, that undercounts, and the check lets through what Envoy may refuse.
    package static func instances(ownedBy uid: uid_t) -> Int? {
        guard let pids = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return nil }
        var count = 0
        for pid in pids where pid.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            var info = stat()
            guard stat("/proc/\(pid)", &info) == 0, info.st_uid == uid, let pid = Int32(pid) else { continue }
            count += instances(inProcess: pid) ?? 0
        }
        return count
    }

    /// The inotify instances process `pid` holds, or nil when its descriptors cannot be listed.
    package static func instances(inProcess pid: Int32) -> Int? {
        guard let fds = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd") else { return nil }
        var count = 0
        var link = [CChar](repeating: 0, count: 32)
        for fd in fds {
            let n = readlink("/proc/\(pid)/fd/\(fd)", &link, link.count - 1)
            guard n == 18 else { continue } // "anon_inode:inotify"
            link[n] = 0
            if String(cString: link) == "anon_inode:inotify" { count += 1 }
        }
        return count
    }

    /// Adds each `"path":"meshc:…"` string in `bytes` (a resource's canonical JSON) to `found`.
    static func placeholders(in bytes: String, into found: inout Set<String>) {
        let needle = Array(("\"path\":\"" + RouteSource.unbound).utf8)
        var text = bytes
        text.withUTF8 { haystack in
            var from = 0
            needle.withUnsafeBytes { needleBytes in
                while let offset = RouteSource.firstIndex(of: needleBytes, in: haystack, from: from) {
                    let start = offset + needle.count - RouteSource.unbound.utf8.count
                    var end = start
                    // Placeholder file names are escaped (`RouteSource.escaped`): no quote or backslash inside.
                    while end < haystack.count, haystack[end] != UInt8(ascii: "\"") { end += 1 }
                    found.insert(String(decoding: UnsafeBufferPointer(rebasing: haystack[start..<end]), as: UTF8.self))
                    from = end
                }
            }
        }
    }
}
