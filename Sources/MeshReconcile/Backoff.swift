import Foundation

/// Exponential backoff per proxy: `initial` after the first failure,
/// doubling each further one, never more than `maximum`.
package struct Backoff: Sendable, Equatable {
    /// Seconds after the first failure.
    package var initial: Double
    /// The ceiling, seconds.
    package var maximum: Double

    /// 0.5 s doubling to 30 s by default.
    package init(initial: Double = 0.5, maximum: Double = 30) {
        self.initial = initial
        self.maximum = maximum
    }

    /// Seconds to wait after `failures` failures in a row (0 for none).
    package func delay(afterFailures failures: Int) -> Double {
        guard failures > 0 else { return 0 }
        let doublings = Double(min(failures - 1, 62))
        return min(maximum, initial * pow(2, doublings))
    }
}
