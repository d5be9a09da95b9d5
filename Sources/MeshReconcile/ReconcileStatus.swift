import Foundation

/// `GET /status`: the commit followed, the last one applied, and every proxy.
package struct ReconcileStatus: Codable, Sendable, Equatable {
    /// A proxy's workload certificate as its agent holds it (never a key).
    package struct Certificate: Codable, Sendable, Equatable {
        /// Serial number, lowercase hex.
        package var serial: String
        /// End of validity, ISO 8601.
        package var expiry: String
        /// The SPIFFE ID it names.
        package var identity: String?
    }

    /// One proxy's line.
    package struct Proxy: Codable, Sendable, Equatable {
        package var name: String
        /// `host:port` of its agent; null when none is declared.
        package var agent: String?
        /// The version this reconciler last saw running after a push.
        package var appliedSnapshotVersion: String?
        /// The version the last good commit gives.
        package var desiredSnapshotVersion: String
        /// inSync, applying, failed, unreachable or unmanaged.
        package var state: ProxyPhase
        package var lastError: String?
        /// ISO 8601, UTC.
        package var lastApplied: String?
        /// The commit whose snapshot the proxy serves, as last seen; null when not known.
        package var runningCommit: String?
        /// Its workload certificate (with `--ca-dir`); null when none is known.
        package var certificate: Certificate? = nil
        /// Why its certificate was not issued or renewed (`certificate not renewed: …`); null when fine.
        package var certificateError: String? = nil

        /// Every optional encoded, null when absent.
        package func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(agent, forKey: .agent)
            try c.encode(appliedSnapshotVersion, forKey: .appliedSnapshotVersion)
            try c.encode(desiredSnapshotVersion, forKey: .desiredSnapshotVersion)
            try c.encode(state, forKey: .state)
            try c.encode(lastError, forKey: .lastError)
            try c.encode(lastApplied, forKey: .lastApplied)
            try c.encode(runningCommit, forKey: .runningCommit)
            try c.encode(certificate, forKey: .certificate)
            try c.encode(certificateError, forKey: .certificateError)
        }
    }

    /// The commit the ref names now (sha).
    package var commit: String?
    /// Its committer time, ISO 8601.
    package var commitTime: String?
    /// The last commit every proxy served (pushed, confirmed by each Envoy).
    package var lastGoodCommit: String?
    /// The last commit that linted and compiled cleanly: what proxies are given
    /// (equal to `lastGoodCommit` once they all serve it).
    package var lastBuiltCommit: String?
    /// Why the current commit is not applied (lint errors with file:line…), or the last source error.
    package var lastError: String?
    package var proxies: [Proxy]

    /// Sorted-key JSON text.
    package var jsonText: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return (try? String(decoding: encoder.encode(self), as: UTF8.self)) ?? "{}"
    }

    /// Every optional encoded, null when absent.
    package func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(commit, forKey: .commit)
        try c.encode(commitTime, forKey: .commitTime)
        try c.encode(lastGoodCommit, forKey: .lastGoodCommit)
        try c.encode(lastBuiltCommit, forKey: .lastBuiltCommit)
        try c.encode(lastError, forKey: .lastError)
        try c.encode(proxies, forKey: .proxies)
    }

    /// The status of `records`.
    static func proxies(_ records: [ProxyRecord]) -> [Proxy] {
        records.map {
            Proxy(name: $0.name, agent: $0.agent, appliedSnapshotVersion: $0.appliedVersion ?? ($0.phase == .inSync ? $0.runningVersion : nil),
                  desiredSnapshotVersion: $0.desiredVersion, state: $0.phase, lastError: $0.lastError,
                  lastApplied: $0.lastApplied.map(iso8601), runningCommit: $0.runningCommit,
                  certificate: $0.certificate.held.map { Certificate(serial: $0.serial, expiry: $0.expiry, identity: $0.identity) },
                  certificateError: $0.certificate.error)
        }
    }

    static func iso8601(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }
}
