#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which paths to leave out, in gitignore syntax: the lines of a
/// `.meshcignore` and `--exclude GLOB` patterns. Pure: paths are
/// `/`-separated and relative to the repository root; nothing is read here.
///
/// Supported: blank lines and `#` comments, `!` to re-include, a leading `/`
/// (or any `/` before the end) anchors the pattern at the root, otherwise it
/// matches a name at any depth; `*`, `?`, `[a-z]`, `**` for any number of
/// folders; a trailing `/` matches folders only. As in git, a file below an
/// excluded folder cannot be re-included, and the last matching line wins.
package struct IgnoreRules: Sendable, Equatable {
    /// One pattern line.
    package struct Rule: Sendable, Equatable {
        /// The pattern's `/`-separated parts (`**` kept as a part).
        var segments: [String]
        /// Matches from the root only (the pattern had a `/` before its end).
        var anchored: Bool
        /// The pattern ended in `/`: folders only.
        var folderOnly: Bool
        /// `!pattern`: re-includes what an earlier line excluded.
        var negated: Bool
    }

    /// The rules in file order.
    package private(set) var rules: [Rule]

    /// Rules from gitignore text (a `.meshcignore` file's contents).
    package init(text: String) {
        rules = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).compactMap { Self.rule(String($0)) }
    }

    /// Rules from single patterns (`--exclude GLOB`), each one line of gitignore syntax.
    package init(patterns: [String]) {
        rules = patterns.compactMap(Self.rule)
    }

    /// No rules: nothing is ignored.
    package static let none = IgnoreRules(patterns: [])

    /// `self`'s rules, then `other`'s (which win where both match).
    package func adding(_ other: IgnoreRules) -> IgnoreRules {
        var result = self
        result.rules += other.rules
        return result
    }

    /// True when there is no rule.
    package var isEmpty: Bool { rules.isEmpty }

    /// Whether `path` (relative to the root, `/`-separated) is left out:
    /// itself, or because a folder above it is.
    package func ignores(_ path: String, isFolder: Bool = false) -> Bool {
        guard !rules.isEmpty else { return false }
        let parts = path.split(separator: "/").filter { $0 != "." }.map(String.init)
        guard !parts.isEmpty else { return false }
        for end in parts.indices.dropLast() where decide(Array(parts[...end]), isFolder: true) { return true }
        return decide(parts, isFolder: isFolder)
    }

    /// The last matching rule's verdict on `parts` alone (folders above not considered).
    private func decide(_ parts: [String], isFolder: Bool) -> Bool {
        var ignored = false
        for rule in rules where !(rule.folderOnly && !isFolder) && rule.matches(parts) {
            ignored = !rule.negated
        }
        return ignored
    }

    /// One line of gitignore text as a rule; nil for blanks and comments.
    private static func rule(_ line: String) -> Rule? {
        var text = Substring(line)
        while let last = text.last, last == " " || last == "\t" || last == "\r", !text.hasSuffix("\\ ") { text = text.dropLast() }
        guard !text.isEmpty, !text.hasPrefix("#") else { return nil }
        var negated = false
        if text.hasPrefix("!") {
            negated = true
            text = text.dropFirst()
        } else if text.hasPrefix("\\!") || text.hasPrefix("\\#") {
            text = text.dropFirst()
        }
        var folderOnly = false
        while text.hasSuffix("/") {
            folderOnly = true
            text = text.dropLast()
        }
        guard !text.isEmpty else { return nil }
        let anchored = text.contains("/")
        let segments = text.split(separator: "/").map(String.init)
        guard !segments.isEmpty else { return nil }
        return Rule(segments: segments, anchored: anchored, folderOnly: folderOnly, negated: negated)
    }
}

extension IgnoreRules.Rule {
    /// Whether the rule names exactly `parts` (a file or folder path).
    func matches(_ parts: [String]) -> Bool {
        if anchored { return Self.match(segments[...], parts[...]) }
        // A single name without `/`: any depth, so only the last part counts.
        return Self.match(segments[...], parts[(parts.count - 1)...])
    }

    private static func match(_ pattern: ArraySlice<String>, _ parts: ArraySlice<String>) -> Bool {
        guard let first = pattern.first else { return parts.isEmpty }
        if first == "**" {
            let rest = pattern.dropFirst()
            // `**` takes zero or more parts; a trailing `**` needs at least one.
            if rest.isEmpty { return !parts.isEmpty }
            var tail = parts
            while true {
                if match(rest, tail) { return true }
                guard !tail.isEmpty else { return false }
                tail = tail.dropFirst()
            }
        }
        guard let part = parts.first, fnmatch(first, part, 0) == 0 else { return false }
        return match(pattern.dropFirst(), parts.dropFirst())
    }
}
