import MeshDiagnostics

extension Plan {
    /// The plan for machines, as canonical JSON (sorted keys, pretty):
    /// `{"has_changes", "summary": {"create", "update", "delete", "unchanged",
    /// "proxies_changed"}, "proxies": [{"proxy", "action", "unchanged",
    /// "changes": [{"action", "type", "name", "running_version",
    /// "desired_version", "details"}]}]}`. Every proxy is listed (in name
    /// order); unchanged resources only counted.
    package func json() -> JSON {
        .object([
            "has_changes": .bool(hasChanges),
            "summary": .object([
                "create": .int(count(.create)),
                "update": .int(count(.update)),
                "delete": .int(count(.delete)),
                "unchanged": .int(count(.unchanged)),
                "proxies_changed": .int(changedProxies),
            ]),
            "proxies": .array(proxies.map { proxy in
                .object([
                    "proxy": .string(proxy.proxy),
                    "action": .string(proxy.action.rawValue),
                    "unchanged": .int(proxy.count(.unchanged)),
                    "changes": .array(proxy.changes.filter { $0.action != .unchanged }.map(Self.json)),
                ])
            }),
        ])
    }

    /// `json()` rendered with two-space indents and a final newline.
    package func jsonText() -> String { json().rendered(pretty: true) + "\n" }

    private static func json(_ change: ResourceChange) -> JSON {
        var members: [String: JSON] = [
            "action": .string(change.action.rawValue),
            "type": .string(change.type.label),
            "name": .string(change.name),
            "details": .array(change.details.map(JSON.string)),
        ]
        if let running = change.running { members["running_version"] = .string(running.version) }
        if let desired = change.desired { members["desired_version"] = .string(desired.version) }
        return .object(members)
    }
}
