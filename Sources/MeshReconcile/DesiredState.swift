import Foundation
import MeshDiagnostics
import MeshEmit
import MeshPlan

/// One proxy as the repository wants it: the bundle its agent takes, the
/// resources a plan pairs, and the static bootstrap `envoy --mode validate` checks.
public struct DesiredProxy: Sendable {
    /// The proxy's name (the agent's `--proxy`).
    public var name: String
    /// `host:port` of its agent's API, from the `kind: Proxy` manifest; nil when none is declared.
    public var agentAddress: String?
    /// `EnvoySnapshot.snapshotVersion`: what the agent reports once it runs this.
    public var snapshotVersion: String
    /// `EnvoySnapshot.bundle()`, the body of `PUT /v1/snapshot`.
    public var bundle: JSON
    /// The resources, for plans.
    public var resources: ProxyResources
    /// The static bootstrap (routes and endpoints inline), compact JSON text.
    public var bootstrap: String

    /// A desired proxy from its parts.
    public init(name: String, agentAddress: String?, snapshotVersion: String, bundle: JSON, resources: ProxyResources, bootstrap: String) {
        self.name = name
        self.agentAddress = agentAddress
        self.snapshotVersion = snapshotVersion
        self.bundle = bundle
        self.resources = resources
        self.bootstrap = bootstrap
    }

    /// The proxy `snapshot` gives, reached at `agentAddress`.
    public init(_ snapshot: EnvoySnapshot, agentAddress: String?) {
        self.init(name: snapshot.proxy, agentAddress: agentAddress, snapshotVersion: snapshot.snapshotVersion,
                  bundle: snapshot.bundle(), resources: ProxyResources(snapshot),
                  bootstrap: snapshot.bootstrap.rendered())
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
