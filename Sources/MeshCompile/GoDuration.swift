/// Istio durations (Go `time.ParseDuration` syntax: `1.5s`, `500ms`, `1h30m`, `0`) in milliseconds.
enum GoDuration {
    /// Milliseconds `text` stands for, rounded; nil when it is not a duration.
    static func milliseconds(_ text: String) -> Int? {
        var rest = Substring(text)
        if rest == "0" { return 0 }
        guard !rest.isEmpty else { return nil }
        var total = 0.0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
            guard let scale = units[String(unit)] else { return nil }
            rest = rest.dropFirst(unit.count)
            total += value * scale
        }
        return Int(total.rounded())
    }

    /// Milliseconds per unit.
    private static let units: [String: Double] = [
        "ns": 1e-6, "us": 1e-3, "µs": 1e-3, "μs": 1e-3, "ms": 1, "s": 1e3, "m": 60e3, "h": 3600e3,
    ]
}
