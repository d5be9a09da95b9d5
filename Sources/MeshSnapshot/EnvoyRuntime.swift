import MeshDiagnostics

/// The runtime every Envoy meshc configures starts with (the bootstrap's
/// `layered_runtime`: one static layer, no admin layer, so nothing changes
/// it at run time): Istio's own bootstrap values where they change what
/// Envoy accepts, so config Istio accepts loads here too.
package enum EnvoyRuntime {
    /// RE2 program size above which Envoy refuses a regex: Istio raises Envoy's 100 to 32768.
    package static let regexProgramSizeLimit = EnvoyLimits.regexProgramSize

    /// The bootstrap's `layered_runtime` value.
    package static let layeredRuntime: JSON = .object(["layers": .array([.object([
        "name": .string("meshc"),
        "static_layer": .object(["re2.max_program_size.error_level": .int(regexProgramSizeLimit)]),
    ])])])

    /// `layeredRuntime` rendered, for bootstraps spliced as text.
    package static let rendered = layeredRuntime.rendered()
}
