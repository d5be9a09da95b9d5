import MeshValidate

/// Istio durations (Go `time.ParseDuration` syntax: `1.5s`, `500ms`, `1h30m`,
/// `0`) in milliseconds, read by the same parser field validation uses.
enum GoDuration {
    /// Milliseconds `text` stands for, rounded; nil when it is not a duration.
    static func milliseconds(_ text: String) -> Int? {
        Durations.nanoseconds(text).map { Int(($0 + 500_000) / 1_000_000) }
    }
}
