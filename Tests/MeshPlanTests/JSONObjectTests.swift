import MeshDiagnostics
import Testing

/// `JSONObject` keeps its members sorted and unique whatever way they come in.
@Suite struct JSONObjectTests {
    @Test func literalsInAnyOrderAreTheSameObjectAndRenderSorted() {
        let a: JSONObject = ["name": .string("x"), "@type": .string("t"), "b": .int(1)]
        let b: JSONObject = ["b": .int(1), "name": .string("x"), "@type": .string("t")]
        #expect(a == b)
        #expect(a.keys == ["@type", "b", "name"])
        #expect(JSON.object(a).rendered() == #"{"@type":"t","b":1,"name":"x"}"#)
    }

    @Test func theLastOfEqualKeysWins() {
        let object = JSONObject([(key: "k", value: .int(1)), (key: "a", value: .int(2)), (key: "k", value: .int(3))])
        #expect(object.count == 2)
        #expect(object["k"] == .int(3))
    }

    @Test func settingAndRemovingKeepsTheOrder() {
        var object: JSONObject = ["m": .int(1)]
        object["z"] = .int(2)
        object["a"] = .int(3)
        object["m"] = .int(4)
        #expect(object.keys == ["a", "m", "z"])
        #expect(object["m"] == .int(4))
        object["m"] = nil
        #expect(object.removeValue(forKey: "z") == .int(2))
        #expect(object.removeValue(forKey: "nope") == nil)
        #expect(object.keys == ["a"])
        object["n", default: .array([])] = .bool(true)
        #expect(JSON.object(object).rendered() == #"{"a":3,"n":true}"#)
    }

    @Test func mergingAndMappingKeepTheKeys() {
        let base: JSONObject = ["a": .int(1), "c": .int(3)]
        let merged = base.merging(["b": .int(2), "c": .int(30)] as JSONObject) { mine, _ in mine }
        #expect(merged.keys == ["a", "b", "c"] && merged["c"] == .int(3))
        #expect(merged.mapValues { _ in .null }.values == [.null, .null, .null])
    }

    @Test func parsedObjectsEqualBuiltOnes() throws {
        let built: JSONObject = ["b": .array([.int(1)]), "a": .object(["y": .bool(false), "x": .null])]
        #expect(try JSON.parse(#"{"b":[1],"a":{"x":null,"y":false}}"#) == .object(built))
        #expect(try JSON.parse(JSON.object(built).rendered()) == .object(built))
    }
}
