import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How much the agent API holds at once, so a flood of connections or bodies
/// cannot exhaust file descriptors or memory nor lock the reconciler out.
package struct ServerLimits: Sendable {
    /// Connections kept open; at the cap a new one closes the one idle
    /// longest without a complete request (`ConnectionTable`).
    package var maxConnections = 1024
    /// A new connection must send a complete request head within this.
    package var headerTimeout: Duration = .seconds(10)
    /// A kept-alive connection with no request is closed after this
    /// (longer than AsyncHTTPClient's 60 s pool idle timeout, so the
    /// reconciler closes first).
    package var idleTimeout: Duration = .seconds(75)
    /// The largest `PUT /v1/snapshot` body (413 beyond).
    package var maxBodyBytes = 256 << 20
    /// Bytes of request bodies being read or applied at once; a request
    /// that would pass it gets 503 with `Retry-After`.
    package var bodyBytesInFlight = 512 << 20
    /// The listen socket's accept queue. Short on purpose: the queue is
    /// first in, first out, so under a flood a new connection waits about
    /// backlog ÷ accept rate before the agent sees it (4096 measured 3–5 s
    /// in a debug build, 256 under 0.4 s, with no more SYNs dropped).
    package var backlog = 256

    package init() {}

    /// File descriptors kept free of connections: Envoy's pipes, state files, the admin client.
    static let reservedDescriptors = 256

    /// `maxConnections` lowered to fit under an open-file limit of `fileLimit`.
    package func fitting(fileLimit: Int) -> ServerLimits {
        var limits = self
        limits.maxConnections = max(16, min(maxConnections, fileLimit - Self.reservedDescriptors))
        return limits
    }

    /// Raises this process's soft RLIMIT_NOFILE to the hard limit; returns the soft limit now in force.
    @discardableResult
    package static func raiseFileLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        return Int(clamping: min(limit.rlim_cur, rlim_t(Int32.max))) // RLIM_INFINITY is the largest rlim_t
    }
}
