import MeshDiagnostics
import Synchronization
import Testing

/// `parallelMap` hands back every result it made and keeps nothing: the
/// reconciler maps each commit's clusters and renders through it, so a
/// result left behind would grow its memory with every commit.
@Suite(.serialized) struct ParallelMapTests {
    /// Counts live instances.
    final class Tracked: Sendable {
        static let live = Atomic<Int>(0)
        let value: Int
        init(_ value: Int) {
            self.value = value
            Self.live.add(1, ordering: .relaxed)
        }
        deinit { Self.live.subtract(1, ordering: .relaxed) }
    }

    @Test(arguments: [(count: 10, chunk: 256), (count: 5_000, chunk: 256), (count: 37, chunk: 1)])
    func resultsInOrderAndEveryOneFreedWithTheArray(count: Int, chunk: Int) {
        let before = Tracked.live.load(ordering: .relaxed)
        do {
            let results = Array(0..<count).parallelMap(chunk: chunk) { Tracked($0) }
            #expect(results.map(\.value) == Array(0..<count))
            #expect(Tracked.live.load(ordering: .relaxed) - before == count)
        }
        #expect(Tracked.live.load(ordering: .relaxed) == before, "results outlived their array")
    }
}
