import CRE2

/// Asks RE2, the regex engine Envoy uses, whether it accepts a pattern.
package enum RE2 {
    /// Nil when RE2 compiles `pattern`; RE2's reason otherwise.
    package static func error(in pattern: String) -> String? {
        var pattern = pattern
        return pattern.withUTF8 { bytes -> String? in
            var message = [CChar](repeating: 0, count: 256)
            let ok = bytes.withMemoryRebound(to: CChar.self) { chars in
                meshc_re2_check(chars.baseAddress, chars.count, &message, message.count)
            }
            if ok == 1 { return nil }
            return String(cString: message)
        }
    }
}
