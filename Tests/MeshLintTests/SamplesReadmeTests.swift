import Foundation
import MeshTestSupport
import Testing

/// What samples/README.md says meshc prints is what meshc prints: every
/// indented `$ meshc …` example is run from the package root and its lines
/// compared (a line ending in `...` is a prefix), the clean folders of its
/// table lint clean at every level, and the exit codes it states hold.
@Suite struct SamplesReadmeTests {
    static let readme = (try? String(contentsOf: Repository.url("samples/README.md"), encoding: .utf8)) ?? ""

    /// One `$ meshc ARGUMENTS` example and the output lines under it.
    struct Example: CustomTestStringConvertible, Sendable {
        var arguments: [String]
        var lines: [String]
        var testDescription: String { "meshc " + arguments.joined(separator: " ") }
    }

    /// The examples: an indented `$ meshc …` line, then the indented lines up to the next blank one.
    static let examples: [Example] = {
        var examples: [Example] = []
        var inExample = false
        for line in readme.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("    $ meshc ") {
                examples.append(Example(arguments: words(String(line.dropFirst("    $ meshc ".count))), lines: []))
                inExample = true
            } else if inExample, line.hasPrefix("    "), !line.allSatisfy(\.isWhitespace) {
                examples[examples.count - 1].lines.append(String(line.dropFirst(4)))
            } else {
                inExample = false
            }
        }
        return examples
    }()

    /// `text` split as a shell splits it, for the quoting the README uses ('…').
    static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current: String?
        var quoted = false
        for character in text {
            switch character {
            case "'":
                quoted.toggle()
                current = current ?? ""
            case " " where !quoted:
                if let word = current { words.append(word) }
                current = nil
            default:
                current = (current ?? "") + String(character)
            }
        }
        if let word = current { words.append(word) }
        return words
    }

    @Test func theReadmeHasExamples() {
        #expect(Self.examples.count >= 2)
        #expect(Self.examples.allSatisfy { !$0.lines.isEmpty })
    }

    @Test(arguments: examples)
    func exampleOutputIsReal(_ example: Example) throws {
        let run = try Tools.meshc(example.arguments)
        let got = run.stdout.split(separator: "\n").map(String.init)
        #expect(got.count == example.lines.count, "\(run.stdout)")
        for (line, expected) in zip(got, example.lines) {
            if expected.hasSuffix("...") {
                #expect(line.hasPrefix(String(expected.dropLast(3))), "\(line)\nis not\n\(expected)")
            } else {
                #expect(line == expected)
            }
        }
    }

    /// The folders in the first cell of each row of "The clean folders" table
    /// (`s6-canary/w100-0/`, `w90-10/` … name folders beside the first).
    static let cleanFolders: [String] = {
        guard let start = readme.range(of: "## The clean folders"), let end = readme.range(of: "\n## ", range: start.upperBound..<readme.endIndex) else { return [] }
        var folders: [String] = []
        for row in readme[start.upperBound..<end.lowerBound].split(separator: "\n") where row.hasPrefix("| `") {
            let cell = row.dropFirst(2).prefix { $0 != "|" }
            let names = cell.split(separator: "`", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
            guard let first = names.first else { continue }
            let parent = (first.hasSuffix("/") ? String(first.dropLast()) : first).split(separator: "/").dropLast().joined(separator: "/")
            folders.append(first)
            folders += names.dropFirst().map { parent.isEmpty ? $0 : "\(parent)/\($0)" }
        }
        return folders
    }()

    @Test func cleanFoldersLintCleanAtEveryLevel() throws {
        #expect(Self.cleanFolders.count >= 14, "\(Self.cleanFolders)")
        for folder in Self.cleanFolders {
            let run = try Tools.meshc(["lint", "--fail-on", "info", "samples/\(folder)"])
            #expect(run.status == 0 && run.stdout.isEmpty, "\(folder): \(run.stdout)\(run.stderr)")
        }
    }

    @Test func theStatedExitCodesHold() throws {
        #expect(Self.readme.contains("`--fail-on warning` exits 1 (two warnings), and so does `--fail-on info`"))
        #expect(try Tools.meshc(["lint", "samples/s5-lint-errors"]).status == 0)
        let warning = try Tools.meshc(["lint", "--fail-on", "warning", "samples/s5-lint-errors"])
        #expect(warning.status == 1 && warning.stderr.contains("2 warnings"), "\(warning.stderr)")
        #expect(try Tools.meshc(["lint", "--fail-on", "info", "samples/s5-lint-errors"]).status == 1)
    }
}
