import MeshDiagnostics

/// Which leaves of two JSON values differ, as `path: old → new` items
/// carrying both values whole (the text shortens them).
enum FieldDiff {
    /// One differing leaf (or list of another length): its path and both values (nil: absent).
    struct Change: Equatable {
        var path: String
        var before: JSON?
        var after: JSON?

        /// `path: old → new`, values as compact JSON shortened to 60 characters.
        var text: String { "\(FieldDiff.display(path)): \(FieldDiff.show(before)) → \(FieldDiff.show(after))" }
    }

    /// At most `limit` items, then `… N more changed fields`; paths like
    /// `filter_chains[0].filters[0].name`.
    static func items(_ old: JSON, _ new: JSON, limit: Int = 3) -> [ChangeItem] {
        let items = changes(old, new).map { change in
            ChangeItem(.field, change.text, identity: ["path": .string(change.path)],
                       before: change.before, after: change.after)
        }
        return ChangeItem.capped(items, limit: limit, "changed fields")
    }

    /// Every differing leaf, in path order.
    static func changes(_ old: JSON, _ new: JSON) -> [Change] {
        var changes: [Change] = []
        collect(old, new, path: "", into: &changes)
        return changes
    }

    /// The changes joined on one line (at most two, then `… N more`), for a route's settings.
    static func summary(_ old: JSON, _ new: JSON) -> String {
        items(old, new, limit: 2).map(\.text).joined(separator: "; ")
    }

    private static func collect(_ old: JSON?, _ new: JSON?, path: String, into changes: inout [Change]) {
        if old == new { return }
        switch (old, new) {
        case (.object(let a)?, .object(let b)?):
            for key in Set(a.keys).union(b.keys).sorted() {
                collect(a[key], b[key], path: path.isEmpty ? key : "\(path).\(key)", into: &changes)
            }
        case (.array(let a)?, .array(let b)?) where a.count == b.count:
            for index in a.indices { collect(a[index], b[index], path: "\(path)[\(index)]", into: &changes) }
        default:
            changes.append(Change(path: path, before: old, after: new))
        }
    }

    /// The path as shown: `value` for the whole item.
    static func display(_ path: String) -> String { path.isEmpty ? "value" : path }

    static func show(_ value: JSON?) -> String {
        guard let value else { return "(none)" }
        let text = value.rendered()
        return text.count > 60 ? text.prefix(59) + "…" : text
    }
}
