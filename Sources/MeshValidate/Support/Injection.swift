import MeshModel

/// The namespace and pod labels and annotations by which Istio decides
/// whether a workload gets a sidecar, or runs in ambient mode.
enum Injection {
    /// The legacy namespace injection label (`istio-injection: enabled`).
    static let namespaceLabel = "istio-injection"
    /// The revision label (`istio.io/rev: <revision>`).
    static let revisionLabel = "istio.io/rev"
    /// The ambient enrolment label (`istio.io/dataplane-mode: ambient`).
    static let dataplaneModeLabel = "istio.io/dataplane-mode"
    /// Set by Istio's CNI on pods it enrolled in ambient mode.
    static let ambientRedirectionAnnotation = "ambient.istio.io/redirection"

    /// istioctl's `NamespaceInAmbientMode`: `istio.io/dataplane-mode: ambient`,
    /// unless the namespace also asks for sidecars (`istio-injection: enabled`
    /// or a non-empty `istio.io/rev`).
    static func isAmbient(namespace: Resource) -> Bool {
        let labels = namespace.labels
        if labels[namespaceLabel] == "enabled" { return false }
        if let revision = labels[revisionLabel], !revision.isEmpty { return false }
        return labels[dataplaneModeLabel] == "ambient"
    }

    /// istioctl's `PodInAmbientMode`: the pod (or pod template) carries
    /// `ambient.istio.io/redirection: enabled`.
    static func isAmbient(_ workload: Workload) -> Bool {
        guard let resource = workload.resource, case .workload(let spec) = resource.body else { return false }
        let annotations = spec.isTemplate ? spec.templateAnnotations : resource.metadata.annotations
        return annotations?[ambientRedirectionAnnotation] == "enabled"
    }
}
