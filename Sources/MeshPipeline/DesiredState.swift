import Foundation
import MeshIR
import MeshSnapshot

/// One proxy as the repository wants it: its snapshot and where its agent listens.
package struct DesiredProxy: Sendable {
    /// The proxy's snapshot: resources, references, version.
    package var snapshot: ProxySnapshot
    /// `host:port` of its agent's API, from the `kind: Proxy` manifest; nil when none is declared.
    package var agentAddress: String?
    /// Namespace and service account of its identity (what its certificate may name).
    package var identity: WorkloadIdentity

    /// The proxy's name (the agent's `--proxy`).
    package var name: String { snapshot.proxy }
    /// What the agent reports once it runs this.
    package var snapshotVersion: String { snapshot.version }

    /// A desired proxy reached at `agentAddress`.
    package init(snapshot: ProxySnapshot, agentAddress: String?,
                 identity: WorkloadIdentity = WorkloadIdentity(namespace: "default", serviceAccount: "default")) {
        self.snapshot = snapshot
        self.agentAddress = agentAddress
        self.identity = identity
    }
}

/// Every proxy of one commit (or folder), sorted by name.
package struct DesiredState: Sendable {
    /// What the files came from: a commit or a folder.
    package var source: SourceLabel
    /// Sorted by name.
    package var proxies: [DesiredProxy]
    /// The compiler's notes (parts of the manifests it does not lower yet).
    package var notes: [String]

    /// A desired state from its parts (proxies sorted by name here).
    package init(source: SourceLabel, proxies: [DesiredProxy], notes: [String] = []) {
        self.source = source
        self.proxies = proxies.sorted { $0.name < $1.name }
        self.notes = notes
    }
}

/// Names the origin of a desired state in status and logs.
package struct SourceLabel: Sendable, Equatable, Codable {
    /// The full commit sha, or the folder path.
    package var id: String
    /// The commit time; nil for a folder.
    package var time: Date?
    /// The commit's summary line; nil for a folder.
    package var summary: String?

    /// A label from its parts.
    package init(id: String, time: Date? = nil, summary: String? = nil) {
        self.id = id
        self.time = time
        self.summary = summary
    }
}
