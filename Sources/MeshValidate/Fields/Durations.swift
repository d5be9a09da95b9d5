/// Istio durations as written in YAML: Go `time.ParseDuration` syntax
/// (`1.5s`, `500ms`, `1h30m`, `0`), the form Istio's CRD decoding accepts.
package enum Durations {
    /// Hint shared by every duration diagnostic.
    package static let hint = "use a duration like 2s, 500ms or 1m"

    /// Nanoseconds `text` stands for; nil when it is not a duration.
    package static func nanoseconds(_ text: String) -> Int64? {
        Names.withBytes(text) { nanoseconds($0[...]) }
    }

    private static func nanoseconds(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Int64? {
        var chars = bytes
        var negative = false
        if let sign = chars.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            negative = sign == UInt8(ascii: "-")
            chars = chars.dropFirst()
        }
        if chars.count == 1, chars.first == UInt8(ascii: "0") { return 0 }
        if chars.isEmpty { return nil }
        var total = 0.0
        while !chars.isEmpty {
            var whole = 0.0, fraction = 0.0, scale = 1.0, digits = 0
            while let c = chars.first, c >= 48, c <= 57 {
                whole = whole * 10 + Double(c - 48); digits += 1; chars = chars.dropFirst()
            }
            if chars.first == UInt8(ascii: ".") {
                chars = chars.dropFirst()
                while let c = chars.first, c >= 48, c <= 57 {
                    scale /= 10; fraction += Double(c - 48) * scale; digits += 1; chars = chars.dropFirst()
                }
            }
            guard digits > 0 else { return nil }
            let unitEnd = chars.firstIndex { ($0 >= 48 && $0 <= 57) || $0 == UInt8(ascii: ".") } ?? chars.endIndex
            guard let unit = unitNanoseconds(chars[..<unitEnd]) else { return nil }
            chars = chars[unitEnd...]
            total += (whole + fraction) * unit
        }
        guard total < 9.2e18 else { return nil }
        let value = Int64(total.rounded())
        return negative ? -value : value
    }

    /// Go's unit suffixes, `µs` with either micro sign, as UTF-8.
    private static let units: [(bytes: [UInt8], nanoseconds: Double)] = [
        ("ns", 1), ("us", 1e3), ("µs", 1e3), ("μs", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 60e9), ("h", 3600e9),
    ].map { (Array($0.0.utf8), $0.1) }

    private static func unitNanoseconds(_ unit: Slice<UnsafeBufferPointer<UInt8>>) -> Double? {
        units.first { $0.bytes.count == unit.count && $0.bytes.elementsEqual(unit) }?.nanoseconds
    }

    /// What is wrong with a duration Istio checks with `ValidateDuration`
    /// (at least 1ms, millisecond precision); nil when it is fine.
    /// `allowZero` is for fields where `0s` disables the setting.
    static func error(in text: String, allowZero: Bool = false, secondsPrecision: Bool = false) -> String? {
        guard let ns = nanoseconds(text) else { return "\"\(text)\" is not a duration" }
        if ns == 0 && allowZero { return nil }
        if ns < 1_000_000 { return "duration \"\(text)\" must be at least 1ms" }
        if ns % 1_000_000 != 0 { return "duration \"\(text)\" is finer than a millisecond; only durations to ms precision are supported" }
        if secondsPrecision && ns % 1_000_000_000 != 0 { return "duration \"\(text)\" is accurate only to seconds precision" }
        return nil
    }
}
