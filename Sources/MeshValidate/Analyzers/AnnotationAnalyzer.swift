import MeshDiagnostics
import MeshModel

/// IST0108: an annotation in Istio's domain (`*.istio.io/…`) that Istio does
/// not know — almost always a typo that silently does nothing.
///
/// Like istioctl's `annotations.K8sAnalyzer`, with two differences: every
/// kind's `metadata.annotations` is read (istioctl reads Namespaces, Services,
/// Pods and Deployments), and so are the pod-template annotations of
/// controllers, where sidecar settings are usually written. Known annotations
/// on the wrong kind are Istio's IST0107 MisplacedAnnotation, which meshc does
/// not report.
struct AnnotationAnalyzer: Analyzer {
    let codes = [Codes.unknownAnnotation]

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        for resource in mesh.resources {
            check(resource.metadata.annotations, path: "metadata.annotations", resource, &sink)
            if case .workload(let spec) = resource.body, let template = spec.templateAnnotations {
                check(template, path: "spec.template.metadata.annotations", resource, &sink)
            }
        }
    }

    private func check(_ annotations: StringMap, path: String, _ resource: Resource, _ sink: inout DiagnosticSink) {
        for entry in annotations.entries
        where KnownAnnotations.isIstioNamespaced(entry.key) && !KnownAnnotations.isKnown(entry.key) {
            let hint = KnownAnnotations.suggestion(for: entry.key).map { "did you mean \"\($0)\"?" }
                ?? "remove it, or check the name against https://istio.io/latest/docs/reference/config/annotations/"
            sink.report(Codes.unknownAnnotation, resource, at: entry.value.mark, path: "\(path)[\(entry.key)]",
                        "unknown Istio annotation \"\(entry.key)\"; Istio ignores it", hint: hint)
        }
    }
}
