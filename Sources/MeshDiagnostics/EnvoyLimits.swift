/// Limits of Envoy as meshc configures it, shared by lint (which reports
/// what Envoy would refuse) and the bootstraps (which set them).
package enum EnvoyLimits {
    /// RE2 program size above which Envoy refuses a regex
    /// (`re2.max_program_size.error_level`): Istio's bootstrap value, not Envoy's default 100.
    package static let regexProgramSize = 32768
}
