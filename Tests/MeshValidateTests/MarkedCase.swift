import MeshDiagnostics

/// A table case whose YAML marks every line that must be reported with a
/// trailing `#! CODE` comment (several codes separated by spaces); every other
/// line must stay quiet.
struct MarkedCase: CustomStringConvertible, Sendable {
    var description: String
    var yaml: String
    /// Off-by-default checks the case enables (`Codes.optIn`).
    var optIn: Set<String>

    init(_ description: String, optIn: Set<String> = [], _ yaml: String) {
        self.description = description
        self.optIn = optIn
        self.yaml = yaml
    }

    /// `CODE@line` for each marker, in line order.
    var expected: [String] {
        yaml.split(separator: "\n", omittingEmptySubsequences: false).enumerated().flatMap { index, line in
            guard let marker = line.range(of: "#! ") else { return [String]() }
            return line[marker.upperBound...].split(separator: " ").map { "\($0)@\(index + 1)" }
        }
    }

    /// What meshc reports, as `CODE@line` in line order.
    var reported: [String] { codesAndLines(lintYAML(yaml, optIn: optIn)) }
}
