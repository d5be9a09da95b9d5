import MeshDiagnostics
import MeshEmit
@testable import MeshPlan
import MeshSnapshot
import Testing

/// Updated route configurations are described from the virtual hosts that
/// differ only; the lines must be those of the whole configurations.
@Suite struct VirtualHostTrimTests {
    typealias L = RouteLinesTests

    /// Hosts h0…h(count-1), each routing `/` to its own cluster; `changed` routes to `other` instead.
    static func config(count: Int, changed: Int? = nil) -> EnvoyResource {
        L.config((0..<count).map { index in
            (name: "h\(index)", domains: ["h\(index).example.com", "h\(index).example.com:80"],
             routes: [L.route(L.prefix, L.cluster(index == changed ? "other" : "c\(index)"))])
        })
    }

    @Test func onlyTheDifferingHostsAreKept() throws {
        let old = Self.config(count: 5), new = Self.config(count: 5, changed: 3)
        let trimmed = try #require(VirtualHostTrim.trimmed(running: old, desired: new))
        #expect(trimmed.running["virtual_hosts"] == .array([try old.json()["virtual_hosts"]!.arrayItems[3]]))
        #expect(trimmed.desired["virtual_hosts"] == .array([try new.json()["virtual_hosts"]!.arrayItems[3]]))
        #expect(trimmed.desired["name"] == .string("rc"), "the rest of the configuration is kept")
        // The plan's items (trimmed) equal those of the whole configurations, values and all.
        #expect(L.items(from: old, to: new) == ChangeDetails.items(.route, running: try old.json(), desired: try new.json()))
        #expect(L.lines(from: old, to: new).count == 1)
    }

    @Test func addedAndRemovedHostsSurviveTheTrim() throws {
        let old = Self.config(count: 3), new = Self.config(count: 4)
        #expect(L.items(from: old, to: new) == ChangeDetails.items(.route, running: try old.json(), desired: try new.json()))
        #expect(L.items(from: new, to: old) == ChangeDetails.items(.route, running: try new.json(), desired: try old.json()))
    }

    @Test func stringsWithBracketsAndEscapesDoNotCutAHost() throws {
        let tricky = L.config([(name: "a\"],[{", domains: ["x"], routes: [L.route(L.prefix, L.cluster("c,]"))]),
                               (name: "b", domains: ["y"], routes: [L.route(L.prefix, L.cluster("c"))])])
        #expect(tricky.virtualHosts.map(\.name) == ["a\"],[{", "b"])
        let kept = try #require(VirtualHostTrim.rebuilt(tricky) { $0.name == "b" })
        #expect(kept["virtual_hosts"] == .array([try tricky.json()["virtual_hosts"]!.arrayItems[1]]))
    }
}

private extension JSON {
    subscript(_ key: String) -> JSON? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    var arrayItems: [JSON] {
        if case .array(let items) = self { return items }
        return []
    }
}
