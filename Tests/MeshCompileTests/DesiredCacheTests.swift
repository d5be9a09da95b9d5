import Foundation
import MeshCompile
@testable import MeshPipeline
import MeshSnapshot
import Testing

/// The plan cache's entries (issue 15): what is read back is the desired
/// state that was written, resource by resource, versions and virtual-host
/// digests included; anything else is a miss.
@Suite struct DesiredCacheTests {
    @Test(arguments: CompileGoldenTests.cases)
    func anEntryReadsBackAsWritten(_ name: String) throws {
        let pipeline = Pipeline(options: EmitCacheTests.options())
        let input = CompileGoldenTests.goldens.appendingPathComponent(name).appendingPathComponent("input.yaml")
        let report = try pipeline.lint(sources: [.bytes(Array(try Data(contentsOf: input)), name: "Golden/\(name)/input.yaml")])
        let build = try pipeline.build(report).get()
        let proxies = build.desired(source: SourceLabel(id: name)).proxies
        let notes = build.notes.map(\.description)
        let bytes = DesiredCoding.encode(key: "key \(name)", proxies: proxies, notes: notes)
        let read = try #require(DesiredCoding.decode(Data(bytes), key: "key \(name)"))
        #expect(read.proxies.map(\.snapshot) == proxies.map(\.snapshot))
        #expect(read.proxies.map(\.agentAddress) == proxies.map(\.agentAddress))
        #expect(read.proxies.map(\.identity) == proxies.map(\.identity))
        #expect(read.notes == notes)
        #expect(DesiredCoding.decode(Data(bytes), key: "another key") == nil, "another key is a miss")
        for cut in [0, 8, bytes.count / 3, bytes.count - 1] {
            #expect(DesiredCoding.decode(Data(bytes.prefix(cut)), key: "key \(name)") == nil, "cut at \(cut) of \(bytes.count)")
        }
    }
}
