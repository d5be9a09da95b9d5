import MeshDiagnostics

/// One thing that changes inside a resource: a route, an endpoint list, a
/// field. People read `text` (the line a text plan prints under the
/// resource); machines read `before` and `after`, the values on each side
/// (nil: absent on that side), and `identity`, which route, cluster, field
/// or virtual host the item is about.
package struct ChangeItem: Sendable, Equatable {
    /// What an item is about, and so what its values hold.
    package enum Kind: String, Sendable, CaseIterable {
        /// A route (`identity`: `virtual_host`, `match`; `part`: `route` when
        /// added or removed, values the route without its name and metadata;
        /// `target` when its cluster, split, redirect or response changed;
        /// `settings` when the rest changed (timeouts, retries, faults…)).
        case route
        /// The `address:port` list of an endpoint list or of a STATIC cluster's inline endpoints (`identity`: `cluster`).
        case endpoints
        /// One field of the resource, a leaf or a whole list (`identity`: `path`).
        case field
        /// The domains of a virtual host on both sides (`identity`: `virtual_host`).
        case domains
        /// The order of a virtual host's routes, as match labels (`identity`: `virtual_host`); the first match wins.
        case order
        /// Only route names or metadata changed (metadata: a running route written by another tool or an older meshc); no values.
        case note
        /// Items left out of a long list (`identity`: `count`); no values.
        case more
    }

    /// What the item is about.
    package var kind: Kind
    /// The line a text plan prints (`+ * /bar* on *:80 → bar.default:80`).
    package var text: String
    /// Members naming the item (see `Kind`), added to its JSON object as they are.
    package var identity: JSONObject = [:]
    /// The value on the running side (nil: absent there).
    package var before: JSON?
    /// The value on the desired side (nil: absent there).
    package var after: JSON?

    package init(_ kind: Kind, _ text: String, identity: JSONObject = [:], before: JSON? = nil, after: JSON? = nil) {
        self.kind = kind
        self.text = text
        self.identity = identity
        self.before = before
        self.after = after
    }

    /// `… N more <what>`: what a capped list leaves out.
    static func more(_ count: Int, _ what: String) -> ChangeItem {
        ChangeItem(.more, "… \(count) more \(what)", identity: ["count": .int(count)])
    }

    /// `items` with at most `limit` kept and the rest counted in one `more` item.
    static func capped(_ items: [ChangeItem], limit: Int, _ what: String) -> [ChangeItem] {
        guard items.count > limit else { return items }
        return Array(items.prefix(limit)) + [more(items.count - limit, what)]
    }

    /// `{"kind", "text", "before", "after"}` plus the identity members;
    /// an absent side is `null`.
    package var json: JSON {
        var members = identity
        members["kind"] = .string(kind.rawValue)
        members["text"] = .string(text)
        members["before"] = before ?? .null
        members["after"] = after ?? .null
        return .object(members)
    }
}
