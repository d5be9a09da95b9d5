extension Plan {
    /// The plan for people, Terraform style: per changed proxy a header, one
    /// `+`/`~`/`-` line per created, updated or deleted resource with its
    /// detail lines indented under it, then the summary line
    /// `Plan: N to create, M to update, K to delete (P proxies changed).`
    /// or `No changes.` Unchanged proxies and resources are left out. Notes
    /// come first (`note: …`, their details indented under them).
    package func text() -> String {
        var out = ""
        for note in notes {
            out += "note: \(note.text)\n"
            for line in note.details { out += "  \(line)\n" }
            out += "\n"
        }
        for proxy in proxies where proxy.hasChanges {
            let state = switch proxy.action {
            case .create: " (new)"
            case .delete: " (removed)"
            case .update, .unchanged: ""
            }
            out += "proxy \(proxy.proxy)\(state):\n"
            for change in proxy.changes {
                out += "  \(change.action.mark) \(change.type.label) \(change.name)\n"
                for line in change.details { out += "      \(line)\n" }
            }
            out += "\n"
        }
        return out + summaryLine + "\n"
    }

    /// `Plan: 2 to create, 1 to update, 0 to delete (1 proxy changed).` or `No changes.`
    package var summaryLine: String {
        guard hasChanges else { return "No changes." }
        let changed = changedProxies
        return "Plan: \(count(.create)) to create, \(count(.update)) to update, \(count(.delete)) to delete "
            + "(\(changed) \(changed == 1 ? "proxy" : "proxies") changed)."
    }
}
