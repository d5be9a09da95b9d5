import Foundation

extension Plan {
    /// The marker a bot finds its earlier plan comment by, to update it in place.
    package static let markdownMarker = "<!-- meshc-plan -->"

    /// The plan as a pull-request comment (GitHub and GitLab markdown): a
    /// heading with the summary, then per changed proxy its name and a
    /// ```` ```diff ```` block with one `+`/`~`/`-` line per resource and
    /// its detail lines under it. A detail line that adds or removes
    /// something (`+ GET /bar* on *:80 → …`) keeps its mark in the first
    /// column, so the block colours it. Unchanged proxies are counted only.
    /// Notes are quoted under the heading.
    package func markdown() -> String {
        var out = Self.markdownMarker + "\n"
        guard hasChanges else {
            return out + "### meshc plan: no changes\n\n" + notesMarkdown
                + "The desired state matches the running one on every proxy (\(Self.proxies(proxies.count))).\n"
        }
        out += "### meshc plan: \(count(.create)) to create, \(count(.update)) to update, \(count(.delete)) to delete\n\n"
        out += notesMarkdown
        let unchanged = proxies.count - changedProxies
        out += "\(Self.proxies(changedProxies).capitalizedFirst) changed"
        out += unchanged > 0 ? ", \(Self.proxies(unchanged)) unchanged.\n" : ".\n"
        for proxy in proxies where proxy.hasChanges {
            let state = switch proxy.action {
            case .create: " (new)"
            case .delete: " (removed)"
            case .update, .unchanged: ""
            }
            out += "\n**proxy `\(Self.code(proxy.proxy))`**\(state)\n\n```diff\n"
            for change in proxy.changes {
                out += Self.fenced("\(change.action.mark) \(change.type.label) \(change.name)") + "\n"
                for line in change.details { out += Self.fenced(Self.detail(line)) + "\n" }
            }
            out += "```\n"
        }
        return out
    }

    /// Each note as a quote (`> **Note:** …`, its details as code spans in a list), then a blank line.
    private var notesMarkdown: String {
        notes.map { note in
            "> **Note:** \(note.text)\n" + (note.details.isEmpty ? "" : ">\n")
                + note.details.map { "> - `\(Self.code($0))`\n" }.joined() + "\n"
        }.joined()
    }

    /// A detail line in the diff block: `+`/`-` lines keep their mark in column one.
    private static func detail(_ line: String) -> String {
        if line.hasPrefix("+ ") || line.hasPrefix("- ") { return "\(line.prefix(1))     \(line.dropFirst(2))" }
        return "      \(line)"
    }

    /// `line` that cannot close the code block it is in.
    private static func fenced(_ line: String) -> String {
        line.replacingOccurrences(of: "```", with: "'''")
    }

    /// `name` safe inside a code span.
    private static func code(_ name: String) -> String {
        name.replacingOccurrences(of: "`", with: "'")
    }

    private static func proxies(_ n: Int) -> String { "\(n) \(n == 1 ? "proxy" : "proxies")" }
}

private extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
