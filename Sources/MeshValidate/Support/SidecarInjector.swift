import MeshDiagnostics
import MeshModel

/// What the repository says about Istio's sidecar injector: its settings
/// (the `istio-sidecar-injector[-<revision>]` ConfigMap's `values`, the Helm
/// values it was installed with, as JSON) and its webhooks (Istio's
/// MutatingWebhookConfigurations), with Istio's defaults where the
/// repository holds neither.
struct SidecarInjector {
    /// A webhook's selectors: nil selects everything, as in Kubernetes.
    struct Webhook {
        var name: String
        var namespaceSelector: FullLabelSelector?
        var objectSelector: FullLabelSelector?

        func selects(namespace: [String: String], pod: [String: String]) -> Bool {
            (namespaceSelector?.matches(namespace) ?? true) && (objectSelector?.matches(pod) ?? true)
        }
    }

    /// The webhooks whose name ends in `istio.io` (istioctl's ImageAutoAnalyzer test).
    let webhooks: [Webhook]
    /// True when the repository declares them; false: Istio's default webhooks are assumed.
    let declared: Bool

    init(_ mesh: MeshIndex) {
        var found: [Webhook] = []
        for resource in mesh.resources(of: .mutatingWebhookConfiguration) {
            guard case .mutatingWebhookConfiguration(let spec) = resource.body else { continue }
            for hook in spec.webhooks {
                guard let name = hook.name?.value, name.hasSuffix("istio.io") else { continue }
                found.append(Webhook(name: name, namespaceSelector: hook.namespaceSelector, objectSelector: hook.objectSelector))
            }
        }
        declared = !found.isEmpty
        webhooks = declared ? found : Self.defaultWebhooks(enableNamespacesByDefault: Self.enableNamespacesByDefault(mesh, revision: ""))
    }

    /// True when some injector webhook takes pods with `pod` labels in a namespace labelled `namespace`.
    func injects(namespace: [String: String], pod: [String: String]) -> Bool {
        webhooks.contains { $0.selects(namespace: namespace, pod: pod) }
    }

    /// `sidecarInjectorWebhook.enableNamespacesByDefault` of the injector ConfigMap for
    /// `revision` (istioctl's `GetEnableNamespacesByDefaultFromInjectedConfigMap`); false
    /// when the repository has no such ConfigMap or its `values` are not that JSON.
    static func enableNamespacesByDefault(_ mesh: MeshIndex, revision: String) -> Bool {
        let name = ConfigMapSpec.injectorName(revision: revision)
        for resource in mesh.resources(of: .configMap) where resource.name == name {
            guard case .configMap(let spec) = resource.body, let text = spec.data?["values"],
                  let values = try? JSON.parse(text) else { return false }
            if case .bool(let enabled)? = values["sidecarInjectorWebhook"]?["enableNamespacesByDefault"] { return enabled }
            return false
        }
        return false
    }

    /// The four webhooks `istioctl install` and the istiod chart create for the
    /// default revision, with `istio.io/rev` matched by presence (the revisions
    /// a repository without webhooks installs are unknown, so any is assumed to
    /// exist). With `enableNamespacesByDefault` the namespace webhook takes every
    /// namespace not labelled `istio-injection: disabled`.
    static func defaultWebhooks(enableNamespacesByDefault: Bool) -> [Webhook] {
        func selector(_ requirements: LabelSelectorRequirement...) -> FullLabelSelector {
            FullLabelSelector(matchExpressions: requirements)
        }
        let notDisabled = LabelSelectorRequirement(key: "sidecar.istio.io/inject", operator: "NotIn", values: ["false"])
        let namespaceLabel = Injection.namespaceLabel, revisionLabel = Injection.revisionLabel
        let namespaceWebhook = enableNamespacesByDefault
            ? selector(LabelSelectorRequirement(key: namespaceLabel, operator: "NotIn", values: ["disabled"]),
                       LabelSelectorRequirement(key: revisionLabel, operator: "DoesNotExist"))
            : selector(LabelSelectorRequirement(key: namespaceLabel, operator: "In", values: ["enabled"]))
        return [
            Webhook(name: "rev.namespace.sidecar-injector.istio.io",
                    namespaceSelector: selector(LabelSelectorRequirement(key: revisionLabel, operator: "Exists"),
                                                LabelSelectorRequirement(key: namespaceLabel, operator: "DoesNotExist")),
                    objectSelector: selector(notDisabled)),
            Webhook(name: "rev.object.sidecar-injector.istio.io",
                    namespaceSelector: selector(LabelSelectorRequirement(key: revisionLabel, operator: "DoesNotExist"),
                                                LabelSelectorRequirement(key: namespaceLabel, operator: "DoesNotExist")),
                    objectSelector: selector(notDisabled, LabelSelectorRequirement(key: revisionLabel, operator: "Exists"))),
            Webhook(name: "namespace.sidecar-injector.istio.io", namespaceSelector: namespaceWebhook, objectSelector: selector(notDisabled)),
            Webhook(name: "object.sidecar-injector.istio.io",
                    namespaceSelector: selector(LabelSelectorRequirement(key: namespaceLabel, operator: "DoesNotExist"),
                                                LabelSelectorRequirement(key: revisionLabel, operator: "DoesNotExist")),
                    objectSelector: selector(LabelSelectorRequirement(key: "sidecar.istio.io/inject", operator: "In", values: ["true"]),
                                             LabelSelectorRequirement(key: revisionLabel, operator: "DoesNotExist"))),
        ]
    }
}
