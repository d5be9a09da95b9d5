/// A check's identity: Istio's code and name where istioctl analyze makes the
/// same check (IST…), meshc's own otherwise (MSH…), or a user policy's.
public struct DiagnosticCode: Hashable, Sendable, CustomStringConvertible {
    public let id: String
    public let name: String
    public let severity: Severity

    public init(_ id: String, _ name: String, _ severity: Severity) {
        self.id = id
        self.name = name
        self.severity = severity
    }

    public var description: String { id }
}
