import Foundation
import MeshCompile
import MeshEmit
import MeshPipeline
import MeshSnapshot
import Testing

/// The emit cache (issue 15) reuses renders keyed by IR values: whatever a
/// pipeline built before, its output must be byte for byte what a fresh
/// pipeline without the cache gives.
@Suite struct EmitCacheTests {
    static func options() -> CompileOptions {
        var options = CompileOptions()
        options.portOffset = 10000
        options.adminPort = 19000
        return options
    }

    static func snapshots(_ pipeline: Pipeline, _ name: String) throws -> [ProxySnapshot] {
        let input = CompileGoldenTests.goldens.appendingPathComponent(name).appendingPathComponent("input.yaml")
        let report = try pipeline.lint(sources: [.bytes(Array(try Data(contentsOf: input)), name: "Golden/\(name)/input.yaml")])
        return try pipeline.build(report).get().proxies.map(\.snapshot)
    }

    @Test func aWarmPipelineBuildsWhatAFreshOneBuilds() throws {
        let warm = Pipeline(options: Self.options(), useEmitCache: true)
        // Every golden case after every other: each build finds the previous one's renders in the cache.
        var previous: String?
        for name in CompileGoldenTests.cases + CompileGoldenTests.cases.reversed() {
            let fresh = try Self.snapshots(Pipeline(options: Self.options()), name)
            let cached = try Self.snapshots(warm, name)
            #expect(cached == fresh, "Golden/\(name) after \(previous ?? "nothing") differs from a fresh build")
            previous = name
        }
    }

    @Test func aSecondBuildOfTheSameInputRendersNothingAgain() throws {
        let pipeline = Pipeline(options: Self.options(), useEmitCache: true)
        let name = try #require(CompileGoldenTests.cases.first { $0 == "sidecars" } ?? CompileGoldenTests.cases.first)
        _ = try Self.snapshots(pipeline, name)
        let cache = try #require(pipeline.emitCache)
        let before = cache.statistics
        _ = try Self.snapshots(pipeline, name)
        let after = cache.statistics
        #expect(after.lookups > before.lookups)
        #expect(after.hits - before.hits == after.lookups - before.lookups, "every lookup of the second build is a hit: \(before) → \(after)")
    }
}
