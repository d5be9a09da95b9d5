import MeshSnapshot

/// What applying the desired state does to one resource.
package enum ChangeAction: String, Sendable, CaseIterable {
    /// Desired, not running.
    case create
    /// Both sides, different versions.
    case update
    /// Running, no longer desired.
    case delete
    /// Both sides, same version.
    case unchanged

    /// The mark in text plans: `+`, `~`, `-`, blank for unchanged.
    package var mark: String {
        switch self {
        case .create: "+"
        case .update: "~"
        case .delete: "-"
        case .unchanged: " "
        }
    }
}

/// One resource of one proxy, paired across desired and running.
package struct ResourceChange: Sendable, Equatable {
    /// Cluster, endpoints, listener or route configuration.
    package var type: EnvoyKind
    /// The resource's name (`cluster_name` for endpoints).
    package var name: String
    /// What applying does to it.
    package var action: ChangeAction
    /// The running resource (nil when created).
    package var running: EnvoyResource?
    /// The desired resource (nil when deleted).
    package var desired: EnvoyResource?
    /// What changes inside the resource (routes, endpoints, changed fields),
    /// each with its values on both sides; empty for deletions of non-route types.
    package var items: [ChangeItem]

    /// The items as the short lines text plans print under the resource.
    package var details: [String] { items.map(\.text) }
}

/// The plan for one proxy: its resources paired, sorted by type order then name.
package struct ProxyPlan: Sendable, Equatable {
    /// The proxy's name.
    package var proxy: String
    /// `create` (only desired), `delete` (only running), `update` (both sides, something
    /// changes) or `unchanged` (nothing changes, also for a proxy without resources).
    package var action: ChangeAction
    /// The resources applying creates, updates or deletes (unchanged ones
    /// are only counted: a 10,000-service proxy has some 40,000 of them).
    package var changes: [ResourceChange]
    /// How many resources are the same on both sides.
    package var unchanged: Int

    package init(proxy: String, action: ChangeAction, changes: [ResourceChange], unchanged: Int) {
        self.proxy = proxy
        self.action = action
        self.changes = changes
        self.unchanged = unchanged
    }

    /// Whether applying would touch this proxy's resources.
    package var hasChanges: Bool { !changes.isEmpty }

    /// How many resources take `action`.
    package func count(_ action: ChangeAction) -> Int { action == .unchanged ? unchanged : changes.filter { $0.action == action }.count }
}

/// Something a reader of the plan must know to read it right: a side that
/// is not what was asked for (a base that does not build).
package struct PlanNote: Sendable, Equatable {
    /// One sentence: what happened and what the plan shows instead.
    package var text: String
    /// The lines backing it up (the first errors, `file:line:col: severity CODE Name: message`).
    package var details: [String] = []

    package init(_ text: String, details: [String] = []) {
        self.text = text
        self.details = details
    }
}

/// Desired versus running for every proxy on either side, sorted by proxy name.
package struct Plan: Sendable, Equatable {
    /// Every proxy on either side, unchanged ones included.
    package var proxies: [ProxyPlan]
    /// What the reader must know first (none for a plan made as asked).
    package var notes: [PlanNote] = []

    /// Whether applying would change anything (`meshc plan` exits 2 then).
    package var hasChanges: Bool { proxies.contains { $0.hasChanges } }

    /// How many resources over all proxies take `action`.
    package func count(_ action: ChangeAction) -> Int { proxies.reduce(0) { $0 + $1.count(action) } }

    /// How many proxies applying would touch.
    package var changedProxies: Int { proxies.filter(\.hasChanges).count }
}
