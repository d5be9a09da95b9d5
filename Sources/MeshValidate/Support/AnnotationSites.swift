import MeshDiagnostics
import MeshModel

/// One place a resource carries annotations: its own `metadata`, or a
/// controller's pod template, whose annotations Istio reads as a Pod's.
struct AnnotationSite {
    var annotations: StringMap
    /// Field path of the annotations (`spec.template.metadata.annotations`).
    var path: String
    /// The kind Istio places annotations by: "Pod" for a pod template.
    var kind: String
    /// The labels written beside the annotations.
    var labels: StringMap
    /// True for a controller's pod template.
    var isPodTemplate: Bool

    /// A resource's annotation sites that carry annotations: its metadata,
    /// then its pod template if it has one. Most resources have none, and
    /// no array is made for them.
    static func of(_ resource: Resource) -> [AnnotationSite] {
        var sites: [AnnotationSite] = []
        if !resource.metadata.annotations.isEmpty {
            sites.append(AnnotationSite(annotations: resource.metadata.annotations, path: "metadata.annotations",
                                        kind: resource.kind.rawValue, labels: resource.labels, isPodTemplate: false))
        }
        if case .workload(let spec) = resource.body, spec.isTemplate, let template = spec.templateAnnotations, !template.isEmpty {
            sites.append(AnnotationSite(annotations: template, path: "spec.template.metadata.annotations",
                                        kind: ResourceKind.pod.rawValue, labels: spec.templateLabels ?? StringMap(), isPodTemplate: true))
        }
        return sites
    }
}
