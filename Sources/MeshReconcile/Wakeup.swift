import Foundation

/// A sleep another task can cut short (the webhook).
final class Wakeup: @unchecked Sendable {
    private let lock = NSLock()
    private var pending = false
    private var waiter: CheckedContinuation<Void, Never>?
    private var generation = 0

    /// Wakes the current (or the next) `wait`.
    func signal() {
        lock.lock()
        if let waiter {
            self.waiter = nil
            lock.unlock()
            waiter.resume()
        } else {
            pending = true
            lock.unlock()
        }
    }

    /// Returns after `seconds`, at a `signal`, or when the task is cancelled.
    func wait(seconds: Double) async {
        let token: Int? = lock.withLock {
            if pending { pending = false; return nil }
            generation += 1
            return generation
        }
        guard let token else { return }
        let timer = Task { [weak self] in
            try? await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1e9))
            self?.wake(token)
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow: Bool = lock.withLock {
                    if pending || generation != token { pending = false; return true }
                    waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: { [weak self] in
            self?.signal()
        }
        timer.cancel()
        lock.withLock { generation += 1 } // a late timer of this wait wakes nothing
    }

    /// Ends wait number `token` if it is still the current one.
    private func wake(_ token: Int) {
        lock.lock()
        guard generation == token else { lock.unlock(); return }
        guard let waiter else { pending = true; lock.unlock(); return }
        self.waiter = nil
        lock.unlock()
        waiter.resume()
    }
}
