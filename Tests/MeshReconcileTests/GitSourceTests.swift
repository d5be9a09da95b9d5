import Foundation
import MeshReconcile
import MeshTestSupport
import Testing

/// What the reconciler reads of a commit is what `plan` and `lint` read:
/// a file the commit's `.meshcignore` leaves out is left out here too.
@Suite struct GitSourceTests {
    @Test func aCommitsMeshcignoreLeavesTheSameFilesOut() throws {
        let repo = try GitFixture()
        defer { repo.remove() }
        let head = try repo.commit("two files and an ignore file", [
            "mesh/kept.yaml": "apiVersion: v1\nkind: Service\nmetadata: {name: kept, namespace: default}\nspec: {ports: [{port: 80}]}\n",
            "charts/values.yaml": "replicas: 2\n",
            ".meshcignore": "charts/\n",
        ])
        let source = try GitSource(location: repo.root, ref: "HEAD", under: nil)
        let paths = try source.snapshot(source.head()).files.map(\.path)
        #expect(paths == ["mesh/kept.yaml"], "\(paths) at \(head)")
    }
}
