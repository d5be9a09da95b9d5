import Foundation
import MeshSnapshot

/// One proxy as the repository wants it: its snapshot and where its agent listens.
public struct DesiredProxy: Sendable {
    /// The proxy's snapshot: resources, references, version.
    public var snapshot: ProxySnapshot
    /// `host:port` of its agent's API, from the `kind: Proxy` manifest; nil when none is declared.
    public var agentAddress: String?

    /// The proxy's name (the agent's `--proxy`).
    public var name: String { snapshot.proxy }
    /// What the agent reports once it runs this.
    public var snapshotVersion: String { snapshot.version }

    /// A desired proxy reached at `agentAddress`.
    public init(snapshot: ProxySnapshot, agentAddress: String?) {
        self.snapshot = snapshot
        self.agentAddress = agentAddress
    }
}

/// Every proxy of one commit (or folder), sorted by name.
public struct DesiredState: Sendable {
    /// What the files came from: a commit or a folder.
    public var source: SourceLabel
    /// Sorted by name.
    public var proxies: [DesiredProxy]
    /// The compiler's notes (parts of the manifests it does not lower yet).
    public var notes: [String]

    /// A desired state from its parts (proxies sorted by name here).
    public init(source: SourceLabel, proxies: [DesiredProxy], notes: [String] = []) {
        self.source = source
        self.proxies = proxies.sorted { $0.name < $1.name }
        self.notes = notes
    }
}

/// Names the origin of a desired state in status and logs.
public struct SourceLabel: Sendable, Equatable, Codable {
    /// The full commit sha, or the folder path.
    public var id: String
    /// The commit time; nil for a folder.
    public var time: Date?
    /// The commit's summary line; nil for a folder.
    public var summary: String?

    /// A label from its parts.
    public init(id: String, time: Date? = nil, summary: String? = nil) {
        self.id = id
        self.time = time
        self.summary = summary
    }
}
