import Foundation
import MeshDiagnostics
import MeshModel

/// Applies command-line suppressions and the in-manifest annotation istioctl
/// honours, `galley.istio.io/analyze-suppress: "IST0102,IST0107"`.
enum Suppressions {
    static let annotation = "galley.istio.io/analyze-suppress"

    /// The codes each resource's annotation suppresses (resources without one left out).
    static func annotated(_ resources: [Resource]) -> [(ResourceRef, [String])] {
        var result: [(ResourceRef, [String])] = []
        for resource in resources where !resource.metadata.annotations.isEmpty {
            guard let value = resource.metadata.annotations[annotation] else { continue }
            result.append((resource.ref, value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }))
        }
        return result
    }

    /// `diagnostics` without those a suppression matches or their resource's
    /// annotation names (`annotated`: each file's `annotated(_:)`).
    static func apply(_ suppressions: [Suppression], annotated: [(ResourceRef, [String])], to diagnostics: [Diagnostic]) -> [Diagnostic] {
        guard !diagnostics.isEmpty, !suppressions.isEmpty || !annotated.isEmpty else { return diagnostics }
        var byResource: [ResourceRef: [String]] = [:]
        for (ref, codes) in annotated { byResource[ref, default: []] += codes }
        return diagnostics.filter { diagnostic in
            if suppressions.contains(where: { $0.matches(diagnostic) }) { return false }
            if let ref = diagnostic.resource, let codes = byResource[ref], codes.contains(where: { $0 == diagnostic.code.id || $0 == "*" }) {
                return false
            }
            return true
        }
    }
}
