import Foundation
import MeshDiagnostics
import MeshModel
import MeshTestSupport
import MeshValidate
import MeshYAML
import Testing

/// An index built over a previous one (`MeshIndex(_:config:previous:)`, as
/// the reconciler's parse cache builds it: unchanged files keep their
/// resource objects) must answer exactly as one built from scratch, and the
/// analyzers over it, taking over the last findings where their `reads`
/// allow (`Validation.analysis(_:analyzers:previous:)`), must find exactly
/// what they find from scratch. The mesh here is every catalogue example at
/// once, so each analyzer has findings to lose; random commits drop files,
/// bring them back and re-read them (new objects with the same text), and
/// each commit is analysed over the last.
@Suite struct IndexUpdateTests {
    /// One file of the catalogue, decodable again on demand.
    struct File {
        var path: String
        var text: String
        func decode() -> [Resource] { ResourceDecoder.decode(YAMLParser.parse(text, path: path)).resources }
    }

    /// Each document of every catalogue example, as a file of its own: a
    /// commit then drops or re-reads one Gateway, Service or DestinationRule
    /// while the VirtualServices naming it stay, which is what stale findings need to show.
    static let files: [File] = CatalogueTests.folders.flatMap { folder in
        ["failing.yaml", "passing.yaml"].flatMap { name -> [File] in
            let path = CatalogueTests.root.appendingPathComponent(folder).appendingPathComponent(name).path
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
            return text.components(separatedBy: "\n---\n").enumerated().map { File(path: "\(folder)/\(name)#\($0)", text: $1) }
        }
    }

    static var config: MeshConfig {
        var config = MeshConfig()
        config.enabledOptInCodes = Codes.optIn
        return config
    }

    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func anUpdatedIndexAnswersAsAFreshOne(seed: UInt64) throws {
        try #require(Self.files.count > 40, "the catalogue examples are found")
        var random = SeededGenerator(seed: seed)
        // The current commit: per file, its resources (nil: the file is deleted).
        var commit: [[Resource]?] = Self.files.map { $0.decode() }
        var previous = Validation.analysis(MeshIndex(commit.flatMap { $0 ?? [] }, config: Self.config))
        var reused = 0, keptFindings = 0, perVirtualService = 0
        for step in 1...40 {
            for _ in 0...(random.next() % 3) {
                let at = Int(random.next() % UInt64(commit.count))
                switch random.next() % 3 {
                case 0: commit[at] = commit[at] == nil ? Self.files[at].decode() : nil
                default: commit[at] = Self.files[at].decode() // the same text, new objects: an edited file
                }
            }
            let resources = commit.flatMap { $0 ?? [] }
            let updated = MeshIndex(resources, config: Self.config, previous: previous.index)
            let fresh = MeshIndex(resources, config: Self.config)
            let analysis = Validation.analysis(updated, previous: previous)
            #expect(Self.findings(updated) == Self.findings(fresh), "step \(step): the updated index's findings differ")
            #expect(analysis.diagnostics.sorted(by: Diagnostic.ordered) == Self.findings(fresh),
                    "step \(step): findings taken over from the last analysis differ from a fresh one")
            keptFindings += analysis.ran.keptFindings
            perVirtualService += analysis.ran.newVirtualServices
            #expect(updated.destinationRulesByHost.mapValues { $0.map(ObjectIdentifier.init) }
                == fresh.destinationRulesByHost.mapValues { $0.map(ObjectIdentifier.init) }, "step \(step)")
            #expect(updated.workloads.map(\.name) == fresh.workloads.map(\.name), "step \(step)")
            if updated.kept.virtualServices > 0 || updated.kept.services { reused += 1 }
            previous = analysis
        }
        #expect(reused > 0, "some updates took parts over (else this tests nothing)")
        #expect(keptFindings > 0 && perVirtualService > 0, "some analyzers kept their findings, some ran on new VirtualServices only")
    }

    @Test func anIndexUnderAnotherConfigIsNotTakenOver() {
        let resources = Self.files.prefix(20).flatMap { $0.decode() }
        let previous = MeshIndex(resources, config: Self.config)
        var other = Self.config
        other.domainSuffix = "example.internal"
        let updated = MeshIndex(resources, config: other, previous: previous)
        #expect(updated.kept == MeshIndex.Kept())
        #expect(Self.findings(updated) == Self.findings(MeshIndex(resources, config: other)))
        #expect(updated.destinationRulesByHost.keys.sorted() == MeshIndex(resources, config: other).destinationRulesByHost.keys.sorted())
    }

    static func findings(_ mesh: MeshIndex) -> [Diagnostic] {
        Validation.analyze(mesh).sorted(by: Diagnostic.ordered)
    }
}
