import MeshDiagnostics

/// A Kubernetes ConfigMap, read for the Istio settings some analyzers need:
/// the sidecar injector's `istio-sidecar-injector[-<revision>]` ConfigMap,
/// whose `values` key holds the Helm values it was installed with (JSON).
/// Other ConfigMaps are decoded and left alone.
package final class ConfigMapSpec: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["apiVersion", "kind", "metadata", "data", "binaryData", "immutable"]
    /// The injector ConfigMap's name without a revision (`istio-sidecar-injector-<revision>` with one).
    package static let injectorName = "istio-sidecar-injector"

    package let data: StringMap?

    package init(_ o: ObjectReader) {
        data = o.stringMap("data")
    }

    /// The injector ConfigMap's name for `revision` ("" or `default`: the unrevisioned one), as istioctl names it.
    package static func injectorName(revision: String) -> String {
        revision.isEmpty || revision == "default" ? injectorName : "\(injectorName)-\(revision)"
    }
}
