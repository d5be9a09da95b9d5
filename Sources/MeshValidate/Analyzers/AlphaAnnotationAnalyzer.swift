import MeshDiagnostics
import MeshModel

/// IST0136: an Istio annotation that belongs to an alpha-phase feature
/// (Istio's annotation metadata), which may change or go away between
/// releases. istioctl's `annotations.AlphaAnalyzer`, with its exceptions:
/// `sidecar.istio.io/status` is never reported, and on pods without an
/// `istio-init` container (every pod in a repository: the injector adds it)
/// neither are the four annotations the injector writes itself.
///
/// Off by default, as in istioctl: its `maturity.AlphaAnalyzer` is left out
/// of `analyzers.All()` ("too much noise for users, with annotations that are
/// set by default"), so `istioctl analyze` never reports IST0136. It runs when
/// the lint options enable it (`Codes.optIn`, `MeshConfig.enabledOptInCodes`).
/// Like AnnotationAnalyzer it reads every kind's metadata and controllers' pod
/// templates.
struct AlphaAnnotationAnalyzer: Analyzer {
    let codes = [Codes.alphaAnnotation]

    /// Set by the injector on pods it injects (`ignoredAnnotations` in istioctl).
    static let injectorDefaults: Set<String> = [
        "sidecar.istio.io/interceptionMode", "traffic.sidecar.istio.io/includeInboundPorts",
        "traffic.sidecar.istio.io/excludeInboundPorts", "traffic.sidecar.istio.io/includeOutboundIPRanges",
    ]

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        guard mesh.config.isEnabled(Codes.alphaAnnotation.id) else { return }
        for resource in mesh.resources {
            for site in AnnotationSite.of(resource) {
                let isPod = site.kind == ResourceKind.pod.rawValue
                for entry in site.annotations.entries where KnownAnnotations.isIstioNamespaced(entry.key) {
                    guard KnownAnnotations.definition(entry.key)?.status == .alpha, entry.key != "sidecar.istio.io/status",
                          !(isPod && Self.injectorDefaults.contains(entry.key)) else { continue }
                    sink.report(Codes.alphaAnnotation, resource, at: entry.value.mark, path: "\(site.path)[\(entry.key)]",
                                "annotation \"\(entry.key)\" is part of an alpha-phase Istio feature and may be incompletely supported",
                                hint: "keep it only if you accept that it may change or go away in a later Istio release; "
                                    + "silence this finding with -S \"IST0136=\(resource.kind.rawValue) \(resource.name).\(resource.namespace)\"")
                }
            }
        }
    }
}
