import HTTPTypes
import Hummingbird
import Testing
@testable import MeshAgent

/// `Prefer: return=minimal` on `PUT`/`PATCH /v1/snapshot`: the reconciler reads
/// the applied version, not thousands of resource entries.
struct MinimalAnswerTests {
    let state = AgentState(proxy: "gw", snapshotVersion: "v2",
                           resources: (0..<3).map { AgentState.Resource(type: "clusters", name: "c\($0)", version: "h\($0)") },
                           envoy: .init(ready: true, pid: 7, restarts: 0), lastRejection: nil)

    @Test func thePreferenceIsReadAsRFC7240WritesIt() {
        func prefers(_ values: [String]) -> Bool {
            var fields = HTTPFields()
            for value in values { fields.append(HTTPField(name: AgentServer.preferField, value: value)) }
            return AgentServer.prefersMinimal(fields)
        }
        #expect(prefers(["return=minimal"]))
        #expect(prefers(["respond-async, return=minimal"]))
        #expect(prefers(["wait=5", "Return=Minimal"]))
        #expect(!prefers([]))
        #expect(!prefers(["return=representation"]))
    }

    @Test func aMinimalAnswerIsTheStateWithoutItsResources() throws {
        #expect(AgentServer.response(.applied(state)).headers[AgentServer.preferenceAppliedField] == nil)
        let minimal = AgentServer.response(.applied(state), minimal: true)
        #expect(minimal.headers[AgentServer.preferenceAppliedField] == "return=minimal")
        #expect(minimal.status == .ok && minimal.headers[.eTag] == "\"v2\"")
        var expected = state
        expected.resources = []
        #expect(AgentServer.shown(state, minimal: true) == expected)
        #expect(AgentServer.shown(state, minimal: false) == state)
    }
}
