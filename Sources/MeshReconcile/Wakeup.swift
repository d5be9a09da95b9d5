import Foundation
import Synchronization

/// A sleep another task can cut short (the webhook).
final class Wakeup: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
        var generation = 0
    }

    private let state = Mutex(State())

    /// Wakes the current (or the next) `wait`.
    func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else { state.pending = true; return nil }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns after `seconds`, at a `signal`, or when the task is cancelled.
    func wait(seconds: Double) async {
        let token: Int? = state.withLock { state in
            if state.pending { state.pending = false; return nil }
            state.generation += 1
            return state.generation
        }
        guard let token else { return }
        let timer = Task { [weak self] in
            try? await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1e9))
            self?.wake(token)
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow: Bool = state.withLock { state in
                    if state.pending || state.generation != token { state.pending = false; return true }
                    state.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: { [weak self] in
            self?.signal()
        }
        timer.cancel()
        state.withLock { $0.generation += 1 } // a late timer of this wait wakes nothing
    }

    /// Ends wait number `token` if it is still the current one.
    private func wake(_ token: Int) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard state.generation == token else { return nil }
            guard let waiter = state.waiter else { state.pending = true; return nil }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }
}
