import CRE2
import MeshDiagnostics

/// Asks RE2, the regex engine Envoy uses, whether it accepts a pattern.
package enum RE2 {
    /// Nil when RE2 compiles `pattern` within Envoy's program size limit; the reason otherwise.
    package static func error(in pattern: String) -> String? {
        var pattern = pattern
        return pattern.withUTF8 { bytes -> String? in
            var message = [CChar](repeating: 0, count: 256)
            let ok = bytes.withMemoryRebound(to: CChar.self) { chars in
                meshc_re2_check(chars.baseAddress, chars.count, &message, message.count)
            }
            if ok == 1 {
                let size = bytes.withMemoryRebound(to: CChar.self) { meshc_re2_program_size($0.baseAddress, $0.count) }
                guard size > EnvoyLimits.regexProgramSize else { return nil }
                return "the regex compiles to an RE2 program of size \(size), over the \(EnvoyLimits.regexProgramSize) Envoy allows "
                    + "(re2.max_program_size, as Istio sets it)"
            }
            return String(cString: message)
        }
    }
}
