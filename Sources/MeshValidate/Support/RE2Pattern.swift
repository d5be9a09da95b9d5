import CRE2

/// A pattern compiled once by RE2, for matching many values.
package final class RE2Pattern: @unchecked Sendable {
    package let source: String
    private let handle: UnsafeMutableRawPointer

    /// Throws RE2's reason when the pattern does not compile.
    package init(_ source: String) throws {
        self.source = source
        var message = [CChar](repeating: 0, count: 256)
        var text = source
        let handle = text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { meshc_re2_new($0.baseAddress, $0.count, &message, message.count) }
        }
        guard let handle else { throw PatternError(reason: String(cString: message)) }
        self.handle = handle
    }

    deinit { meshc_re2_free(handle) }

    /// True when some part of `text` matches (anchor with ^…$ for a whole match).
    package func matches(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { meshc_re2_partial_match(handle, $0.baseAddress, $0.count) == 1 }
        }
    }

    package struct PatternError: Error, CustomStringConvertible {
        package var reason: String
        package var description: String { reason }
    }
}
