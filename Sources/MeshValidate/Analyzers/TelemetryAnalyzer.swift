import MeshDiagnostics
import MeshModel

/// Telemetry, as istioctl's telemetry analyzers check it:
///
/// - IST0160 MultipleTelemetriesWithoutWorkloadSelectors: more than one
///   Telemetry without `selector` in a namespace; each is reported.
/// - IST0159 ConflictingTelemetryWorkloadSelectors: Telemetries whose
///   selectors pick the same workload of their namespace.
/// - IST0101 (as istioctl does): a selector that picks no workload.
/// - IST0157 InvalidTelemetryProvider: an `accessLogging` entry without
///   `providers` while MeshConfig has no `defaultProviders.accessLogging`:
///   it is ignored.
/// - MSH0012 UnknownExtensionProvider: a provider name no MeshConfig
///   declares (Istio's built-in `envoy` access log excepted); nothing is
///   reported to it.
struct TelemetryAnalyzer: Analyzer {
    let codes = [
        Codes.multipleTelemetriesWithoutWorkloadSelectors, Codes.conflictingTelemetryWorkloadSelectors,
        Codes.referencedResourceNotFound, Codes.invalidTelemetryProvider, Codes.unknownExtensionProvider,
    ]

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        let telemetries = mesh.resources(of: .telemetry).compactMap { resource -> (Resource, TelemetrySpec)? in
            guard case .telemetry(let spec) = resource.body else { return nil }
            return (resource, spec)
        }
        guard !telemetries.isEmpty else { return }
        reportSelectorless(telemetries, &sink)
        reportOverlapping(telemetries, mesh, &sink)
        reportProviders(telemetries, mesh, &sink)
    }

    private func reportSelectorless(_ telemetries: [(Resource, TelemetrySpec)], _ sink: inout DiagnosticSink) {
        var byNamespace: [String: [Resource]] = [:]
        for (resource, spec) in telemetries where spec.selector == nil && spec.targetRefs.isEmpty {
            byNamespace[resource.namespace, default: []].append(resource)
        }
        for (namespace, group) in byNamespace where group.count > 1 {
            let names = group.map(\.name).sorted().joined(separator: ", ")
            for resource in group {
                sink.report(Codes.multipleTelemetriesWithoutWorkloadSelectors, resource, at: resource.nameMark, path: "metadata.name",
                            "the Telemetries \(names) in namespace \(namespace) have no workload selector, which can lead to undefined behavior",
                            hint: "keep one namespace-wide Telemetry and give the others a selector")
            }
        }
    }

    private func reportOverlapping(_ telemetries: [(Resource, TelemetrySpec)], _ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        var selected: [Int: [Int]] = [:]
        var byWorkload: [Int: [Int]] = [:]
        for (index, (resource, spec)) in telemetries.enumerated() {
            guard let labels = spec.selector?.matchLabels, !labels.isEmpty else { continue }
            let matches = mesh.workloadIndices(in: resource.namespace, matching: labels)
            if matches.isEmpty {
                sink.report(Codes.referencedResourceNotFound, resource, at: labels.mark, path: "spec.selector.matchLabels",
                            "the selector matches no workload in namespace \(resource.namespace)",
                            hint: "fix the labels so they match a workload in this namespace, or remove the Telemetry")
            }
            selected[index] = matches
            for workload in matches { byWorkload[workload, default: []].append(index) }
        }
        for index in selected.keys.sorted() {
            let (resource, spec) = telemetries[index]
            guard let labels = spec.selector?.matchLabels,
                  let shared = selected[index]?.first(where: { byWorkload[$0, default: []].count > 1 }) else { continue }
            let names = byWorkload[shared, default: []].map { telemetries[$0].0.name }.sorted().joined(separator: ", ")
            let workload = mesh.workloads[shared]
            sink.report(Codes.conflictingTelemetryWorkloadSelectors, resource, at: labels.mark, path: "spec.selector.matchLabels",
                        "the Telemetries \(names) in namespace \(resource.namespace) select the same workload \(workload.kind) \(workload.name), "
                            + "which can lead to undefined behavior",
                        hint: "narrow the selectors so each workload is selected by one Telemetry, or merge them")
        }
    }

    private func reportProviders(_ telemetries: [(Resource, TelemetrySpec)], _ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        var declared: Set<String> = ["envoy"]
        var defaultAccessLogging = false
        for resource in mesh.resources(of: .meshConfig) {
            guard case .meshConfig(let spec) = resource.body else { continue }
            declared.formUnion(spec.extensionProviders.compactMap { $0.name?.value })
            if !(spec.defaultProviders?.accessLogging.isEmpty ?? true) { defaultAccessLogging = true }
        }
        for (resource, spec) in telemetries {
            for (i, entry) in spec.accessLogging.enumerated() where entry.providers.isEmpty && !defaultAccessLogging {
                sink.report(Codes.invalidTelemetryProvider, resource, at: entry.mark, path: "spec.accessLogging[\(i)].providers",
                            "the Telemetry \(resource.name) in namespace \(resource.namespace) with empty providers will be ignored",
                            hint: "name a provider (envoy, or one of MeshConfig's extensionProviders), or set MeshConfig defaultProviders.accessLogging")
            }
            let sections: [(String, [[TelemetryProviderRef]])] = [
                ("accessLogging", spec.accessLogging.map(\.providers)), ("tracing", spec.tracing.map(\.providers)), ("metrics", spec.metrics.map(\.providers)),
            ]
            for (section, entries) in sections {
                for (i, providers) in entries.enumerated() {
                    for (j, ref) in providers.enumerated() {
                        guard let name = ref.name, !name.value.isEmpty, !declared.contains(name.value),
                              section != "metrics" || name.value != "prometheus" else { continue }
                        sink.report(Codes.unknownExtensionProvider, resource, at: name.mark, path: "spec.\(section)[\(i)].providers[\(j)].name",
                                    "no MeshConfig declares extension provider \"\(name.value)\", so nothing is reported to it",
                                    hint: "declare it in a MeshConfig's extensionProviders (kind: MeshConfig, meshc.dev/v1alpha1), or fix the name")
                    }
                }
            }
        }
    }
}
