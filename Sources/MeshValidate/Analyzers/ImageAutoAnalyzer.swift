import MeshDiagnostics
import MeshModel

/// IST0146 ImageAutoWithoutInjectionWarning and IST0147
/// ImageAutoWithoutInjectionError: a pod template (IST0146) or a Pod (IST0147)
/// has an `istio-proxy` container with `image: auto`, the placeholder Istio's
/// sidecar injector replaces, but no injector webhook selects its pods; the
/// image `auto` cannot be pulled and the pods never start. The usual way to
/// deploy a gateway is exactly such a Deployment in an injected namespace.
///
/// istioctl's `injection.ImageAutoAnalyzer`: a webhook whose name ends in
/// `istio.io` selects the pods when its `namespaceSelector` matches the
/// Namespace's labels and its `objectSelector` the pod labels. The repository's
/// MutatingWebhookConfigurations are used when it has Istio's; otherwise
/// meshc assumes the webhooks Istio installs for its default revision
/// (`SidecarInjector.defaultWebhooks`), where istioctl, given no webhooks,
/// reports every such Deployment.
///
/// Where meshc differs: istioctl reports IST0147 for every Pod with
/// `image: auto` (a running Pod that still has it was not injected); a Pod in
/// a repository is yet to be created, so meshc applies the webhook test to it
/// too. istioctl checks Deployments only; meshc every pod template
/// (StatefulSet, DaemonSet, …). A namespace without a Namespace manifest is
/// skipped: its labels are unknown.
struct ImageAutoAnalyzer: Analyzer {
    let codes = [Codes.imageAutoWithoutInjectionWarning, Codes.imageAutoWithoutInjectionError]
    let reads: Set<ResourceKind>? = ResourceKind.workloadKinds.union(ResourceKind.injectorKinds).union([.namespace])

    /// The injector's container name, and the image it replaces.
    static let proxyContainer = "istio-proxy", autoImage = "auto"

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        var namespaces: [String: StringMap] = [:]
        for namespace in mesh.resources(of: .namespace) { namespaces[namespace.name] = namespace.labels }
        var injector: SidecarInjector?
        for resource in mesh.resources {
            guard case .workload(let spec) = resource.body,
                  let index = spec.containers.firstIndex(where: { $0.name?.value == Self.proxyContainer && $0.image?.value == Self.autoImage }),
                  let namespaceLabels = namespaces[resource.namespace] else { continue }
            if injector == nil { injector = SidecarInjector(mesh) }
            let podLabels = spec.templateLabels ?? resource.labels
            guard let injector, !injector.injects(namespace: namespaceLabels.dictionary, pod: podLabels.dictionary) else { continue }
            let code = spec.isTemplate ? Codes.imageAutoWithoutInjectionWarning : Codes.imageAutoWithoutInjectionError
            let containers = spec.isTemplate ? "spec.template.spec.containers" : "spec.containers"
            let image = spec.containers[index].image
            sink.report(code, resource, at: image?.mark ?? resource.nameMark, path: "\(containers)[\(index)].image",
                        "\(resource.kind.rawValue) \(resource.name) contains `image: auto` but does not match any Istio injection webhook "
                            + "selectors (\(injector.declared ? "the repository's webhooks" : "Istio's default webhooks")), "
                            + "so the image is never replaced and its pods cannot start",
                        hint: "enable injection for the pods: label the Namespace istio-injection: enabled (istio.io/rev: <revision> "
                            + "with revisions), or the pod\(spec.isTemplate ? " template" : "") sidecar.istio.io/inject: \"true\"")
        }
    }
}
