/// A check's identity: Istio's code and name where istioctl analyze makes the
/// same check (IST…), meshc's own otherwise (MSH…), or a user policy's.
package struct DiagnosticCode: Hashable, Sendable, CustomStringConvertible {
    package let id: String
    package let name: String
    package let severity: Severity

    package init(_ id: String, _ name: String, _ severity: Severity) {
        self.id = id
        self.name = name
        self.severity = severity
    }

    package var description: String { id }
}
