import MeshDiagnostics
import MeshModel

/// Istio's annotations, checked as istioctl's `annotations.K8sAnalyzer` does,
/// in its order, for each annotation whose domain ends in `istio.io`:
///
/// - IST0108 UnknownAnnotation: Istio does not know it — almost always a typo
///   that silently does nothing;
/// - IST0135 DeprecatedAnnotation: Istio marks it deprecated (not reported for
///   `sidecar.istio.io/inject` when the `sidecar.istio.io/inject` label is set too);
/// - IST0107 MisplacedAnnotation: it is on a kind Istio does not read it from,
///   e.g. a pod annotation on a Deployment's own metadata or on a Service;
/// - IST0125 InvalidAnnotation: the sidecar injector would refuse its value
///   (`AnnotationValues`). Misplaced annotations are not value-checked.
///
/// istioctl reads the metadata of Namespaces, Services, Pods and Deployments.
/// meshc reads every kind's, and the pod template of every controller, where
/// sidecar settings are usually written; a template counts as a Pod.
struct AnnotationAnalyzer: LocalAnalyzer {
    let codes = [Codes.unknownAnnotation, Codes.deprecatedAnnotation, Codes.misplacedAnnotation, Codes.invalidAnnotation]

    func analyze(_ resource: Resource, _ sink: inout DiagnosticSink) {
        for site in AnnotationSite.of(resource) { check(site, resource, &sink) }
    }

    private func check(_ site: AnnotationSite, _ resource: Resource, _ sink: inout DiagnosticSink) {
        for entry in site.annotations.entries where KnownAnnotations.isIstioNamespaced(entry.key) {
            let key = entry.key, value = entry.value
            let path = "\(site.path)[\(key)]"
            guard let definition = KnownAnnotations.definition(key) else {
                let hint = KnownAnnotations.suggestion(for: key).map { "did you mean \"\($0)\"?" }
                    ?? "remove it, or check the name against https://istio.io/latest/docs/reference/config/annotations/"
                sink.report(Codes.unknownAnnotation, resource, at: value.mark, path: path,
                            "unknown Istio annotation \"\(key)\"; Istio ignores it", hint: hint)
                continue
            }
            if definition.deprecated, !(key == Self.injectName && site.labels[Self.injectName] != nil) {
                let replacement = Self.replacements[key]
                sink.report(Codes.deprecatedAnnotation, resource, at: value.mark, path: path,
                            "annotation \"\(key)\" has been deprecated\(replacement?.favoring ?? "") and may not work in future Istio versions",
                            hint: replacement?.hint(site, value.value) ?? "remove it before upgrading Istio; the release notes name any replacement")
            }
            guard !definition.resources.contains("Any") else { continue }
            guard definition.applies(to: site.kind) else {
                reportMisplaced(key, definition, site, value.mark, path, resource, &sink)
                continue
            }
            if let problem = AnnotationValues.problem(key, value.value) {
                sink.report(Codes.invalidAnnotation, resource, at: value.mark, path: path,
                            "invalid annotation \"\(key)\": \(problem.message); the sidecar injector rejects it", hint: problem.hint)
            }
        }
    }

    private func reportMisplaced(_ key: String, _ definition: KnownAnnotations.Definition, _ site: AnnotationSite, _ mark: Mark,
                                 _ path: String, _ resource: Resource, _ sink: inout DiagnosticSink) {
        let kinds = definition.resources.joined(separator: ", ")
        var onController = false
        if case .workload(let spec) = resource.body { onController = spec.isTemplate && !site.isPodTemplate }
        let forPods = definition.resources.contains(ResourceKind.pod.rawValue)
        let hint = onController && forPods ? "move it to spec.template.metadata.annotations, where the pods get it"
            : forPods ? "put it on the pods instead (a controller's spec.template.metadata.annotations), or remove it"
            : "put it on a \(kinds) instead, or remove it"
        sink.report(Codes.misplacedAnnotation, resource, at: mark, path: path,
                    "annotation \"\(key)\" can only be applied to \(kinds), not to a \(site.kind); Istio ignores it here", hint: hint)
    }

    static let injectName = "sidecar.istio.io/inject"

    /// What replaces a deprecated annotation, where Istio names it.
    struct Replacement {
        /// Appended to "has been deprecated", as istioctl words it.
        var favoring: String
        var hint: (AnnotationSite, String) -> String
    }

    static let replacements: [String: Replacement] = [
        injectName: Replacement(favoring: " in favor of the \"\(injectName)\" label") { site, value in
            let labels = site.path.replacingOccurrences(of: "annotations", with: "labels")
            return "make it a label: move \(injectName): \"\(value)\" to \(labels)"
        },
        "sidecar.istio.io/statsInclusionPrefixes": statsMatcher,
        "sidecar.istio.io/statsInclusionSuffixes": statsMatcher,
        "sidecar.istio.io/statsInclusionRegexps": statsMatcher,
        "sidecar.istio.io/discoveryAddress": Replacement(favoring: "") { _, _ in
            "set discoveryAddress in the proxy.istio.io/config annotation (ProxyConfig) instead"
        },
        "sidecar.istio.io/extraStatTags": Replacement(favoring: "") { _, _ in
            "set extraStatTags in the proxy.istio.io/config annotation (ProxyConfig) instead"
        },
    ]

    private static let statsMatcher = Replacement(favoring: "") { _, _ in
        "use proxyStatsMatcher (inclusionPrefixes, inclusionSuffixes, inclusionRegexps) in the proxy.istio.io/config annotation instead"
    }
}
