import Testing
@testable import MeshReconcile

/// The outcome lines `meshc apply` prints, one per proxy.
struct OutcomeLineTests {
    @Test(arguments: [
        (PushOutcome.applied(version: "v2"), false, "gw: applied", true),
        (.applied(version: "v2"), true, "gw: stale: retried, applied", true),
        (.stale(current: "v9"), true, "gw: stale: retried", false),
        (.rejected("Address already in use"), false, "gw: rejected: Address already in use", false),
        (.malformed("\"version\" must be a non-empty string"), false, "gw: rejected: \"version\" must be a non-empty string", false),
        (.unreachable("127.0.0.1:1: Connection refused"), false, "gw: unreachable: 127.0.0.1:1: Connection refused", false),
        (.invalid("Unable to parse JSON"), false, "gw: invalid: Unable to parse JSON", false),
    ])
    func lines(outcome: PushOutcome, retried: Bool, line: String, ok: Bool) {
        let result = ApplyRound.outcome("gw", outcome, retried: retried)
        #expect(result.line == line)
        #expect(result.ok == ok && result.applied == ok)
    }
}
