import Foundation
import Logging
import MeshDiagnostics
import MeshPipeline
import MeshSource

/// `meshc reconcile`'s loop: at every wake-up (the interval, a webhook, a
/// retry coming due) it resolves the ref, builds a commit it has not seen
/// (a bad one is recorded, never applied: the last good state stays), and
/// runs an `ApplyRound`, which also catches drift on agents. Keeps no local
/// state: a restarted reconciler reads the agents and converges.
package actor Reconciler {
    /// Settings of the loop.
    package struct Settings: Sendable {
        /// Seconds between polls.
        package var interval: Double
        /// The logger (key=value metadata: commit, proxy, outcome).
        package var logger: Logger

        /// Settings with `interval` seconds between polls.
        package init(interval: Double, logger: Logger) {
            self.interval = interval
            self.logger = logger
        }
    }

    private let source: GitSource
    private let pipeline: Pipeline
    private let round: ApplyRound
    /// Certificates (with `--ca-dir`), before each snapshot round; nil without a CA.
    private let identity: IdentityRound?
    private let settings: Settings
    private let metrics: ReconcileMetrics
    private let wakeup = Wakeup()
    /// The proxies' records; `/status` reads it while a round runs.
    package nonisolated let core = SharedCore()

    private var commit: GitCommit?
    private var builtCommit: ObjectID?
    private var lastGood: DesiredState?
    private var lastError: String?
    private var appliedCommitTime: Date?
    /// The last commit every proxy served.
    private var servedCommit: String?

    /// A reconciler of `source` pushing through `round`, issuing certificates through `identity`.
    package init(source: GitSource, pipeline: Pipeline, round: ApplyRound, identity: IdentityRound? = nil,
                 settings: Settings, metrics: ReconcileMetrics) {
        self.source = source
        self.pipeline = pipeline
        self.round = round
        self.identity = identity
        self.settings = settings
        self.metrics = metrics
    }

    /// Asks for a round now (`POST /hooks/git`).
    package nonisolated func trigger() { wakeup.signal() }

    /// Runs rounds until the task is cancelled.
    package func run() async {
        while !Task.isCancelled {
            await reconcileOnce()
            if Task.isCancelled { break }
            let now = Date()
            var wait = settings.interval
            if let retry = core.value.nextRetry(after: now) { wait = min(wait, max(0.01, retry.timeIntervalSince(now))) }
            if let identity, let check = core.value.nextCertificateCheck(after: now, recheck: identity.recheck, point: identity.renewalPoint) {
                wait = min(wait, max(0.01, check.timeIntervalSince(now)))
            }
            await wakeup.wait(seconds: wait)
        }
    }

    /// One wake-up: poll the ref, build a new commit, push.
    package func reconcileOnce() async {
        let started = ContinuousClock.now
        var logger = settings.logger
        poll(&logger)
        guard let desired = lastGood else { return }
        if let identity {
            for (proxy, text) in await identity.run(desired, core: core) {
                var proxyLogger = logger
                proxyLogger[metadataKey: "proxy"] = "\(proxy)"
                proxyLogger.info("\(Bounded.text(text, Bounded.reason))")
            }
        }
        let outcomes = await round.run(desired, core: core)
        if Task.isCancelled { return }
        for outcome in outcomes where outcome.text != "unchanged" && !outcome.waiting {
            var proxyLogger = logger
            proxyLogger[metadataKey: "proxy"] = "\(outcome.proxy)"
            proxyLogger[metadataKey: "outcome"] = "\(Bounded.text(outcome.text, Bounded.reason))"
            proxyLogger[metadataKey: "push_ms"] = "\(outcome.pushMilliseconds)"
            if outcome.ok { proxyLogger.info("applied") } else { proxyLogger.warning("not converged") }
        }
        metrics.count(outcomes)
        if core.value.converged { servedCommit = desired.source.id }
        if core.value.converged, let time = desired.source.time, appliedCommitTime != time {
            appliedCommitTime = time
            metrics.appliedCommit(time: time)
            logger.info("every proxy runs the commit")
        }
        let elapsed = ContinuousClock.now - started
        metrics.roundFinished(seconds: elapsed.seconds)
    }

    /// Resolves the ref; builds the commit when it is new.
    private func poll(_ logger: inout Logger) {
        let head: ObjectID
        do {
            head = try source.head()
            commit = try source.repository.commit(head)
        } catch {
            lastError = Bounded.text(String(describing: error), Bounded.report)
            logger.error("cannot read the source", metadata: ["error": "\(Bounded.text(String(describing: error), Bounded.report))"])
            return
        }
        logger[metadataKey: "commit"] = "\(head.short)"
        guard head != builtCommit else { return }
        builtCommit = head
        let result: Result<DesiredState, PipelineError>
        let building = ContinuousClock.now
        var split: [String] = []
        do {
            let snapshot = try source.snapshot(head)
            split.append("source \(ApplyRound.milliseconds(ContinuousClock.now - building))")
            result = pipeline.desired(snapshot) { stage, seconds in
                if seconds >= 0.001 { split.append("\(stage) \(Int(seconds * 1000))") }
            }
        } catch {
            result = .failure(.source(String(describing: error)))
        }
        logger[metadataKey: "build_ms"] = "\(ApplyRound.milliseconds(ContinuousClock.now - building))"
        logger.debug("build split (ms): \(split.joined(separator: ", "))")
        switch result {
        case .success(let desired):
            lastGood = desired
            lastError = nil
            core.with {
                $0.desire(desired.proxies.map { ($0.name, $0.agentAddress, $0.snapshotVersion) })
                $0.commit = desired.source.id
            }
            logger.info("new commit", metadata: ["proxies": "\(desired.proxies.count)"])
        case .failure(let error):
            lastError = Bounded.text("commit \(head.short): \(error)", Bounded.report)
            metrics.badCommit()
            logger.error("commit not applied", metadata: ["error": "\(Bounded.text(String(describing: error), Bounded.report))", "lastGood": "\(lastGood?.source.id.prefix(12) ?? "none")"])
        }
    }

    /// `/status`.
    package func status() -> ReconcileStatus {
        ReconcileStatus(commit: commit?.id.hex, commitTime: commit.map { ReconcileStatus.iso8601($0.time) },
                        lastGoodCommit: servedCommit, lastBuiltCommit: lastGood?.source.id, lastError: lastError,
                        proxies: ReconcileStatus.proxies(core.value.sortedRecords))
    }
}
