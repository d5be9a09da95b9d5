import MeshDiagnostics

/// admissionregistration.k8s.io/v1 MutatingWebhookConfiguration, read for
/// which pods Istio's sidecar injector webhooks (`*.istio.io`) select: each
/// webhook's name, `namespaceSelector` and `objectSelector`.
package final class MutatingWebhookConfigurationSpec: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["apiVersion", "kind", "metadata", "webhooks"]
    package let webhooks: [MutatingWebhook]

    package init(_ o: ObjectReader) {
        webhooks = o.list("webhooks")
    }
}

/// One webhook of a MutatingWebhookConfiguration (the parts meshc reads).
package struct MutatingWebhook: Sendable, ObjectDecodable {
    package static let fields: Set<String> = [
        "name", "clientConfig", "rules", "failurePolicy", "matchPolicy", "namespaceSelector", "objectSelector",
        "sideEffects", "timeoutSeconds", "admissionReviewVersions", "reinvocationPolicy", "matchConditions",
    ]
    package var name: Located<String>?
    /// nil: every namespace (Kubernetes' default, the empty selector).
    package var namespaceSelector: FullLabelSelector?
    /// nil: every object.
    package var objectSelector: FullLabelSelector?

    package init(_ o: ObjectReader) {
        name = o.string("name")
        namespaceSelector = o.object("namespaceSelector")
        objectSelector = o.object("objectSelector")
    }
}

/// A Kubernetes `LabelSelector` with its `matchExpressions` (`In`, `NotIn`,
/// `Exists`, `DoesNotExist`), as webhooks write them.
package struct FullLabelSelector: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["matchLabels", "matchExpressions"]
    package var matchLabels: StringMap
    package var matchExpressions: [LabelSelectorRequirement]

    package init(_ o: ObjectReader) {
        matchLabels = o.stringMap("matchLabels") ?? StringMap(mark: o.mark)
        matchExpressions = o.list("matchExpressions")
    }

    package init(matchLabels: StringMap = StringMap(), matchExpressions: [LabelSelectorRequirement] = []) {
        self.matchLabels = matchLabels
        self.matchExpressions = matchExpressions
    }

    /// Kubernetes' selector semantics: every `matchLabels` entry and every
    /// expression holds. An unknown operator matches nothing, as Kubernetes
    /// refuses such a selector.
    package func matches(_ labels: [String: String]) -> Bool {
        matchLabels.entries.allSatisfy { labels[$0.key] == $0.value.value } && matchExpressions.allSatisfy { $0.matches(labels) }
    }
}

/// One `matchExpressions` entry.
package struct LabelSelectorRequirement: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["key", "operator", "values"]
    package var key: String
    package var `operator`: String
    package var values: [String]

    package init(_ o: ObjectReader) {
        key = o.string("key")?.value ?? ""
        `operator` = o.string("operator")?.value ?? ""
        values = o.strings("values").map(\.value)
    }

    package init(key: String, operator: String, values: [String] = []) {
        self.key = key
        self.operator = `operator`
        self.values = values
    }

    package func matches(_ labels: [String: String]) -> Bool {
        switch `operator` {
        case "In": labels[key].map(values.contains) ?? false
        case "NotIn": labels[key].map { !values.contains($0) } ?? true
        case "Exists": labels[key] != nil
        case "DoesNotExist": labels[key] == nil
        default: false
        }
    }
}
