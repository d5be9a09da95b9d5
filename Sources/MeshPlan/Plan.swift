import MeshSnapshot

/// What applying the desired state does to one resource.
public enum ChangeAction: String, Sendable, CaseIterable {
    /// Desired, not running.
    case create
    /// Both sides, different versions.
    case update
    /// Running, no longer desired.
    case delete
    /// Both sides, same version.
    case unchanged

    /// The mark in text plans: `+`, `~`, `-`, blank for unchanged.
    public var mark: String {
        switch self {
        case .create: "+"
        case .update: "~"
        case .delete: "-"
        case .unchanged: " "
        }
    }
}

/// One resource of one proxy, paired across desired and running.
public struct ResourceChange: Sendable, Equatable {
    /// Cluster, endpoints, listener or route configuration.
    public var type: EnvoyKind
    /// The resource's name (`cluster_name` for endpoints).
    public var name: String
    /// What applying does to it.
    public var action: ChangeAction
    /// The running resource (nil when created).
    public var running: EnvoyResource?
    /// The desired resource (nil when deleted).
    public var desired: EnvoyResource?
    /// Short human lines saying what changes inside the resource (routes,
    /// endpoints, changed fields); empty for unchanged resources and deletions
    /// of non-route types.
    public var details: [String]
}

/// The plan for one proxy: its resources paired, sorted by type order then name.
public struct ProxyPlan: Sendable, Equatable {
    /// The proxy's name.
    public var proxy: String
    /// `create` (only desired), `delete` (only running), `update` (both sides, something
    /// changes) or `unchanged` (nothing changes, also for a proxy without resources).
    public var action: ChangeAction
    /// Every paired resource, unchanged ones included.
    public var changes: [ResourceChange]

    /// Whether applying would touch this proxy's resources.
    public var hasChanges: Bool { changes.contains { $0.action != .unchanged } }

    /// How many resources take `action`.
    public func count(_ action: ChangeAction) -> Int { changes.filter { $0.action == action }.count }
}

/// Desired versus running for every proxy on either side, sorted by proxy name.
public struct Plan: Sendable, Equatable {
    /// Every proxy on either side, unchanged ones included.
    public var proxies: [ProxyPlan]

    /// Whether applying would change anything (`meshc plan` exits 2 then).
    public var hasChanges: Bool { proxies.contains { $0.hasChanges } }

    /// How many resources over all proxies take `action`.
    public func count(_ action: ChangeAction) -> Int { proxies.reduce(0) { $0 + $1.count(action) } }

    /// How many proxies applying would touch.
    public var changedProxies: Int { proxies.filter(\.hasChanges).count }
}
