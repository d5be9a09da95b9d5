import MeshDiagnostics

extension Plan {
    /// The version of the JSON below; raised when a member changes meaning
    /// or goes away (`schemas/plan.schema.json` describes it).
    package static let jsonSchemaVersion = 1

    /// The plan for machines, as canonical JSON (sorted keys, pretty):
    /// `{"schemaVersion", "has_changes", "notes": [{"text", "details"}],
    /// "summary": {"create", "update", "delete", "unchanged",
    /// "proxies_changed"}, "proxies": [{"proxy", "action", "unchanged",
    /// "changes": [{"action", "type", "name", "running_version",
    /// "desired_version", "details": [ChangeItem.json]}]}]}`. Every proxy
    /// is listed (in name order); unchanged resources only counted.
    package func json() -> JSON {
        .object([
            "schemaVersion": .int(Self.jsonSchemaVersion),
            "has_changes": .bool(hasChanges),
            "notes": .array(notes.map { note in
                .object(["text": .string(note.text), "details": .array(note.details.map(JSON.string))])
            }),
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
                    "changes": .array(proxy.changes.map(Self.json)),
                ])
            }),
        ])
    }

    /// `json()` rendered with two-space indents and a final newline.
    package func jsonText() -> String { json().rendered(pretty: true) + "\n" }

    private static func json(_ change: ResourceChange) -> JSON {
        var members: JSONObject = [
            "action": .string(change.action.rawValue),
            "type": .string(change.type.label),
            "name": .string(change.name),
            "details": .array(change.items.map(\.json)),
        ]
        if let running = change.running { members["running_version"] = .string(running.version) }
        if let desired = change.desired { members["desired_version"] = .string(desired.version) }
        return .object(members)
    }
}
