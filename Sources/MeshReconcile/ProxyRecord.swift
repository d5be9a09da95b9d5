import Foundation

/// Where one proxy stands, as `/status` shows it.
package enum ProxyPhase: String, Sendable, Codable, Equatable, CaseIterable {
    /// The agent runs the desired snapshot.
    case inSync
    /// A push is due or under way.
    case applying
    /// Envoy rejected it, validation failed, or the agent refused the bundle.
    case failed
    /// The agent did not answer.
    case unreachable
    /// Nothing to do: no agent address declared.
    case unmanaged
}

/// What an agent said when asked (`GET /v1/state`), or that it did not answer.
package enum Observation: Sendable, Equatable {
    /// The agent answered: the snapshot version it runs (nil before its first).
    case running(version: String?)
    /// The agent applied `version`, but Envoy does not serve it as applied
    /// (a delivery file edited by hand, a listener that failed to bind).
    case drifted(version: String?, reason: String)
    /// No answer, or an unexpected one.
    case unreachable(String)
}

/// How one push (or the check before it) ended.
package enum PushOutcome: Sendable, Equatable {
    /// The agent runs `version` now.
    case applied(version: String)
    /// Envoy refused it; the agent put the last good config back.
    case rejected(String)
    /// The agent refused the bundle itself (400).
    case malformed(String)
    /// Someone applied `current` since the agent was read.
    case stale(current: String?)
    /// No answer.
    case unreachable(String)
    /// `envoy --mode validate` refused the bootstrap: never pushed.
    case invalid(String)
}

/// The reconciler's memory of one proxy. No I/O: `ReconcileCore` changes it.
package struct ProxyRecord: Sendable, Equatable {
    /// The proxy's name.
    package var name: String
    /// `host:port` of its agent, nil when none is declared.
    package var agent: String?
    /// The snapshot version the repository wants.
    package var desiredVersion: String
    /// The version the agent last reported running (nil: nothing, or not known yet).
    package var runningVersion: String?
    /// The version this reconciler last applied successfully.
    package var appliedVersion: String?
    /// Where it stands.
    package var phase: ProxyPhase
    /// Why the last attempt failed, nil after a success.
    package var lastError: String?
    /// When a push last succeeded.
    package var lastApplied: Date?
    /// When the agent last told its running version (a read or a push answer).
    package var lastObserved: Date?
    /// The commit whose snapshot the agent was last seen serving (nil: not known).
    package var runningCommit: String?
    /// Failed attempts in a row (backoff input); 0 after a success.
    package var failures: Int
    /// No attempt before this time (backoff).
    package var retryAt: Date?
    /// A desired version `envoy --mode validate` refused: not retried until the repository changes.
    package var invalidVersion: String?
    /// Its workload certificate, as last seen or issued (`CertificateRules`).
    package var certificate = CertificateRecord()

    /// A proxy not yet observed.
    package init(name: String, agent: String?, desiredVersion: String) {
        self.name = name
        self.agent = agent
        self.desiredVersion = desiredVersion
        self.phase = agent == nil ? .unmanaged : .applying
        self.failures = 0
    }
}
