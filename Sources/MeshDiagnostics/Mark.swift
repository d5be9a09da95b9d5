/// A 1-based line and column in a source file.
package struct Mark: Hashable, Comparable, Sendable {
    package var line: Int32
    package var column: Int32

    @inlinable
    package init(line: Int, column: Int) {
        self.line = Int32(truncatingIfNeeded: line)
        self.column = Int32(truncatingIfNeeded: column)
    }

    /// The position used when nothing better is known: the start of the file.
    package static let start = Mark(line: 1, column: 1)

    @inlinable
    package static func < (a: Mark, b: Mark) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }
}
