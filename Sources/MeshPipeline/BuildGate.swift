import MeshDiagnostics
import MeshLint

/// Which lint errors stop a build. Everything Istio's admission would
/// reject (field validation) and everything that cannot be compiled (a
/// route to a missing subset, host or Gateway) blocks `meshc build`,
/// `apply` and `reconcile`. Findings about runtime state — workloads the
/// repository does not declare (yet) — are reported and block only with
/// `--strict`: Istio applies such config and it starts working when the
/// pods come (bookinfo's `destination-rule-all.yaml` before every version runs).
package enum BuildGate {
    /// Errors that describe runtime state rather than the config itself.
    static func describesRuntimeState(_ diagnostic: Diagnostic) -> Bool {
        switch diagnostic.code.id {
        // A DestinationRule subset whose pods are not declared: its cluster is built, with no endpoints.
        case Codes.destinationRuleSubsetNotSelectPods.id: return true
        // A Gateway selector no declared workload carries: nothing serves it yet (the build notes it).
        case Codes.referencedResourceNotFound.id: return diagnostic.resource?.kind == "Gateway" && diagnostic.path == "spec.selector"
        default: return false
        }
    }

    /// The errors in `report` that stop a build (`strict`: all of them).
    package static func blocking(_ report: LintReport, strict: Bool) -> [Diagnostic] {
        report.diagnostics.filter { $0.severity == .error && (strict || !describesRuntimeState($0)) }
    }
}
