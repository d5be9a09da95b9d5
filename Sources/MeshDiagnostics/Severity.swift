/// How serious a finding is. Ordered: `info < warning < error`.
package enum Severity: Int, Comparable, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case info = 0
    case warning = 1
    case error = 2

    package static func < (a: Severity, b: Severity) -> Bool { a.rawValue < b.rawValue }

    /// Lower-case name, as printed in text output (`error`, `warning`, `info`).
    package var description: String {
        switch self {
        case .info: "info"
        case .warning: "warning"
        case .error: "error"
        }
    }

    /// Parses `error`, `warning` or `info` (any case).
    package init?(name: String) {
        switch name.lowercased() {
        case "error": self = .error
        case "warning", "warn": self = .warning
        case "info": self = .info
        default: return nil
        }
    }
}
