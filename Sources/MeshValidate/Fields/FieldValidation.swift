import MeshDiagnostics
import MeshModel

/// Per-resource field rules, as Istio's admission webhook applies them
/// (IST0106 SchemaValidationError with the exact field path).
public enum FieldValidation {
    /// Checks one resource's fields; needs no other resource.
    public static func validate(_ resource: Resource, _ sink: inout DiagnosticSink) {
        // Per-kind validators are dispatched here.
    }
}
