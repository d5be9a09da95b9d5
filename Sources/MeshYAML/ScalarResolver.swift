/// Resolves plain scalars the way Kubernetes' YAML reader does (YAML 1.2 core
/// schema plus the YAML 1.1 booleans sigs.k8s.io/yaml still accepts).
package enum ScalarResolver {
    /// `true`/`false` and the YAML 1.1 spellings (`yes`, `on`, …).
    package static func bool(_ text: String) -> Bool? {
        switch text {
        case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y": return true
        case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N": return false
        default: return nil
        }
    }

    /// Decimal, `0x` hex and `0o` octal integers with an optional sign.
    package static func int(_ text: String) -> Int? {
        if let value = Int(text) { return value }
        var body = Substring(text)
        var negative = false
        if body.first == "-" || body.first == "+" {
            negative = body.first == "-"
            body = body.dropFirst()
        }
        let value: Int?
        if body.hasPrefix("0x") { value = Int(body.dropFirst(2), radix: 16) }
        else if body.hasPrefix("0o") { value = Int(body.dropFirst(2), radix: 8) }
        else { value = nil }
        guard let value else { return nil }
        return negative ? -value : value
    }
}
