import Foundation
import MeshDiagnostics
import MeshModel

/// Applies command-line suppressions and the in-manifest annotation istioctl
/// honours, `galley.istio.io/analyze-suppress: "IST0102,IST0107"`.
enum Suppressions {
    static let annotation = "galley.istio.io/analyze-suppress"

    static func apply(_ suppressions: [Suppression], annotations resources: [Resource], to diagnostics: [Diagnostic]) -> [Diagnostic] {
        guard !diagnostics.isEmpty else { return diagnostics }
        var byResource: [ResourceRef: [String]] = [:]
        for resource in resources where !resource.metadata.annotations.isEmpty {
            guard let value = resource.metadata.annotations[annotation] else { continue }
            byResource[resource.ref, default: []] += value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        }
        if suppressions.isEmpty, byResource.isEmpty { return diagnostics }
        return diagnostics.filter { diagnostic in
            if suppressions.contains(where: { $0.matches(diagnostic) }) { return false }
            if let ref = diagnostic.resource, let codes = byResource[ref], codes.contains(where: { $0 == diagnostic.code.id || $0 == "*" }) {
                return false
            }
            return true
        }
    }
}
