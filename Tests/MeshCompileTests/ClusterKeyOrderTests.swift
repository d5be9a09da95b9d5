@testable import MeshCompile
import Testing

/// `sortedUnique`, the order a proxy's cluster list is built in: by name,
/// each key once, the same whether the keys are few (one sort) or many
/// (two halves sorted on two cores, then merged).
@Suite struct ClusterKeyOrderTests {
    @Test(arguments: [0, 1, 7, 4_095, 4_096, 9_001])
    func sortedByNameEachOnce(count: Int) {
        var random = SystemRandomNumberGenerator()
        let shared = (0..<max(1, count / 3)).map { ClusterKey(host: "svc-\($0).ns.svc.cluster.local", port: 80 + $0 % 3, subset: $0 % 2 == 0 ? "v1" : nil) }
        // Keys used by several hosts come as equal copies (other objects) and as the same object.
        let keys = (0..<count).map { i -> ClusterKey in
            let key = shared[Int.random(in: 0..<shared.count, using: &random)]
            return i % 2 == 0 ? key : ClusterKey(host: key.host, port: key.port, subset: key.subset)
        }
        let result = keys.sortedUnique()
        let expected = Set(keys.map(\.name)).sorted()
        #expect(result.map(\.name) == expected)
    }
}
