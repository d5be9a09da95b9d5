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
/// bring them back, re-read them (new objects with the same text) and
/// switch them to their other version, and each commit is analysed over the last.
@Suite struct IndexUpdateTests {
    /// One file of the mesh: a document of the catalogue, in one of its
    /// versions (the failing example's, and the passing example's document
    /// at the same position when it has one), decodable again on demand.
    struct File {
        var path: String
        var versions: [String]
        func decode(_ version: Int) -> [Resource] {
            ResourceDecoder.decode(YAMLParser.parse(versions[version % versions.count], path: path)).resources
        }
    }

    /// Each document of every catalogue example, as a file of its own: a
    /// commit then drops or re-reads one Gateway, Service or DestinationRule
    /// while the VirtualServices naming it stay, which is what stale findings
    /// need to show; and switching a document to its fixed version changes
    /// its content, usually under the same name at the same place.
    static let files: [File] = CatalogueTests.folders.flatMap { folder -> [File] in
        func documents(_ name: String) -> [String] {
            let path = CatalogueTests.root.appendingPathComponent(folder).appendingPathComponent(name).path
            return ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").components(separatedBy: "\n---\n")
        }
        let failing = documents("failing.yaml"), passing = documents("passing.yaml")
        return (0..<max(failing.count, passing.count)).map { index in
            File(path: "\(folder)#\(index)", versions: [failing, passing].compactMap { index < $0.count ? $0[index] : nil })
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
        var versions = [Int](repeating: 0, count: Self.files.count)
        var commit: [[Resource]?] = Self.files.map { $0.decode(0) }
        var previous = Validation.analysis(MeshIndex(commit.flatMap { $0 ?? [] }, config: Self.config))
        var reused = 0, keptFindings = 0, perVirtualService = 0
        for step in 1...40 {
            // Every other commit edits one file alone (its other version): the edit that keeps
            // names and places, which `readsIdentitiesOnly` analyzers must see through.
            let single = random.next() % 2 == 0
            for _ in 0...(single ? 0 : random.next() % 3) {
                let at = Int(random.next() % UInt64(commit.count))
                if single {
                    versions[at] += 1
                    commit[at] = Self.files[at].decode(versions[at])
                    continue
                }
                switch random.next() % 3 {
                case 0: commit[at] = commit[at] == nil ? Self.files[at].decode(versions[at]) : nil
                case 1: commit[at] = Self.files[at].decode(versions[at]) // the same text, new objects
                default: // the other version: an edited file
                    versions[at] += 1
                    commit[at] = Self.files[at].decode(versions[at])
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
        let resources = Self.files.prefix(20).flatMap { $0.decode(0) }
        let previous = MeshIndex(resources, config: Self.config)
        var other = Self.config
        other.domainSuffix = "example.internal"
        let updated = MeshIndex(resources, config: other, previous: previous)
        #expect(updated.kept == MeshIndex.Kept())
        #expect(Self.findings(updated) == Self.findings(MeshIndex(resources, config: other)))
        #expect(updated.destinationRulesByHost.keys.sorted() == MeshIndex(resources, config: other).destinationRulesByHost.keys.sorted())
    }

    /// An edit that keeps every name in its place (only a destination host
    /// changes) keeps the identity-only analyzers' findings and re-runs the
    /// rest: the dangling host is found, and a duplicate stays reported.
    @Test func anEditThatKeepsNamesAndPlacesIsAnalysedAgain() {
        func mesh(_ host: String) -> String {
            """
            apiVersion: v1
            kind: Service
            metadata: {name: reviews, namespace: default}
            spec: {ports: [{name: http, port: 80}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: reviews, namespace: default}
            spec: {ports: [{name: http, port: 80}]}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: routes, namespace: default}
            spec:
              hosts: [reviews]
              http:
              - route:
                - destination: {host: \(host)}
            """
        }
        func decode(_ text: String) -> [Resource] { ResourceDecoder.decode(YAMLParser.parse(text, path: "mesh.yaml")).resources }
        let before = decode(mesh("reviews")), after = decode(mesh("ratings"))
        // The Services are the same objects (an unchanged document); the VirtualService is new.
        let resources = Array(before.prefix(2)) + [after[2]]
        let previous = Validation.analysis(MeshIndex(before, config: Self.config))
        let analysis = Validation.analysis(MeshIndex(resources, config: Self.config, previous: previous.index), previous: previous)
        let fresh = Self.findings(MeshIndex(resources, config: Self.config))
        #expect(analysis.diagnostics.sorted(by: Diagnostic.ordered) == fresh)
        #expect(fresh.contains { $0.code == Codes.referencedResourceNotFound }, "\(fresh)")
        #expect(fresh.contains { $0.code == Codes.duplicateResource }, "\(fresh)")
        #expect(analysis.ran.keptFindings > 0)
    }

    /// IST0140 reads across VirtualServices: an edit of an ingress VirtualService keeps the findings
    /// about the other ones and checks the edited one alone; an edit of the mesh VirtualService that
    /// splits the host into subsets re-runs it whole. Either way the findings are a fresh lint's.
    @Test func ingressSubsetFindingsFollowOnlyTheVirtualServicesTheyRead() throws {
        func ingress(_ name: String, _ path: String) -> String {
            """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: \(name), namespace: default}
            spec:
              hosts: [\(name).example.com]
              gateways: [public]
              http:
              - match: [{uri: {prefix: \(path)}}]
                route: [{destination: {host: reviews}}]
            """
        }
        func mesh(_ subset: String) -> String {
            """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews, namespace: default}
            spec:
              hosts: [reviews]
              http:
              - route: [{destination: {host: reviews, subset: \(subset)}}]
            """
        }
        let service = """
            apiVersion: v1
            kind: Service
            metadata: {name: reviews, namespace: default}
            spec: {ports: [{name: http, port: 80}]}
            """
        func decode(_ texts: [String]) -> [Resource] {
            ResourceDecoder.decode(YAMLParser.parse(texts.joined(separator: "\n---\n"), path: "mesh.yaml")).resources
        }
        let analyzers = Analyzers.crossResource.filter { $0.codes == [Codes.ingressRouteRulesNotAffected] }
        try #require(analyzers.count == 1)
        let before = decode([service, mesh("v1"), ingress("a", "/"), ingress("b", "/")])
        let previous = Validation.analysis(MeshIndex(before, config: Self.config), analyzers: analyzers)
        #expect(previous.diagnostics.count == 2, "\(previous.diagnostics)")

        // Ingress `b` edited (a new object): `a`'s finding is kept, `b` is checked alone.
        let edited = Array(before.prefix(3)) + [decode([ingress("b", "/b")])[0]]
        let update = Validation.analysis(MeshIndex(edited, config: Self.config, previous: previous.index), analyzers: analyzers, previous: previous)
        #expect(update.ran.newVirtualServices == 1)
        #expect(update.diagnostics.sorted(by: Diagnostic.ordered)
                == Validation.analysis(MeshIndex(edited, config: Self.config), analyzers: analyzers).diagnostics.sorted(by: Diagnostic.ordered))

        // The mesh VirtualService edited: every ingress finding may change, the analyzer runs whole.
        let split = [before[0], decode([mesh("v2")])[0]] + Array(edited.suffix(2))
        let again = Validation.analysis(MeshIndex(split, config: Self.config, previous: update.index), analyzers: analyzers, previous: update)
        #expect(again.ran.whole == 1)
        let fresh = Validation.analysis(MeshIndex(split, config: Self.config), analyzers: analyzers).diagnostics.sorted(by: Diagnostic.ordered)
        #expect(again.diagnostics.sorted(by: Diagnostic.ordered) == fresh)
        #expect(fresh.count == 2 && fresh.allSatisfy { $0.message.contains("reviews") }, "\(fresh)")
    }

    /// `analyze(_:subjects:_:)` gives the findings about the subjects and no others: every
    /// cross-resource analyzer over the catalogue mesh, subjects every other VirtualService.
    @Test func findingsForSubjectsAreTheWholeRunsAboutThem() throws {
        let mesh = MeshIndex(Self.files.flatMap { $0.decode(0) }, config: Self.config)
        let chosen = mesh.resources(of: .virtualService).enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
        // Each file of this mesh is one document: a finding's file names the resource it is about
        // (names repeat across the catalogue examples).
        let subjects = Set(chosen.map(ObjectIdentifier.init)), files = Set(chosen.map(\.file))
        try #require(files.count == chosen.count)
        var compared = 0
        for analyzer in Analyzers.crossResource {
            var whole = DiagnosticSink(), some = DiagnosticSink()
            analyzer.analyze(mesh, &whole)
            analyzer.analyze(mesh, subjects: subjects, &some)
            let expected = whole.diagnostics.filter { files.contains($0.file) && $0.resource?.kind == "VirtualService" }
            #expect(some.diagnostics == expected, "\(type(of: analyzer))")
            compared += expected.count
        }
        #expect(compared > 0, "some analyzer reports on the chosen VirtualServices")
    }

    /// The same, one VirtualService at a time: an analyzer's own subjects
    /// path (IST0109, IST0140, MSH0013) finds exactly what its whole run
    /// finds about each, shadowed or shadowing, with a finding or without.
    @Test func findingsForEachVirtualServiceAloneAreTheWholeRunsAboutIt() throws {
        let mesh = MeshIndex(Self.files.flatMap { $0.decode(0) }, config: Self.config)
        var codes = Set<String>()
        for analyzer in Analyzers.crossResource where analyzer.reads?.contains(.virtualService) ?? true {
            var whole = DiagnosticSink()
            analyzer.analyze(mesh, &whole)
            for vs in mesh.resources(of: .virtualService) {
                var some = DiagnosticSink()
                analyzer.analyze(mesh, subjects: [ObjectIdentifier(vs)], &some)
                let expected = whole.diagnostics.filter { $0.file == vs.file && $0.resource?.kind == "VirtualService" }
                #expect(some.diagnostics == expected, "\(type(of: analyzer)) on \(vs.file)")
                codes.formUnion(expected.map(\.code.id))
            }
        }
        #expect(codes.isSuperset(of: ["IST0109", "IST0140", "MSH0013"]), "the catalogue's examples give each own subjects path findings: \(codes.sorted())")
    }

    static func findings(_ mesh: MeshIndex) -> [Diagnostic] {
        Validation.analyze(mesh).sorted(by: Diagnostic.ordered)
    }
}
