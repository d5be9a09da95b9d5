import Foundation
import MeshDiagnostics
import MeshTestSupport
import Testing

/// `JSON.quote` skips plain text eight bytes at a time: whatever the
/// string (every control character, quotes and backslashes at every offset
/// of a word, non-ASCII), it writes what escaping one character at a time
/// writes, and a JSON parser reads the string back.
@Suite struct JSONQuoteTests {
    @Test func quotedStringsAreEscapedAsOneCharacterAtATimeWould() throws {
        var random = SeededGenerator(seed: 15)
        let pieces: [String] = ["a", "outbound|80||svc.ns.svc.cluster.local", "\"", "\\", "\n", "\r", "\t", "\u{01}", "\u{1F}", " ", "~",
                                "\u{7F}", "é", "名前", "🙂", "/", "<", "\u{2028}"]
        var cases = [""] + pieces
        // A character that needs escaping at every position of the first words, after plain text of every length.
        for length in 0..<20 {
            for special in ["\"", "\\", "\n", "\u{00}", "\u{1F}"] { cases.append(String(repeating: "x", count: length) + special + "tail-of-it") }
        }
        for _ in 0..<2_000 {
            cases.append((0..<Int.random(in: 0...12, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined())
        }
        for text in cases {
            var bytes: [UInt8] = []
            JSON.quote(text, into: &bytes)
            let quoted = String(decoding: bytes, as: UTF8.self)
            #expect(quoted == Self.reference(text), "\(Array(text.utf8))")
            let parsed = try JSONSerialization.jsonObject(with: Data(("[" + quoted + "]").utf8)) as? [String]
            #expect(parsed == [text], "\(quoted)")
        }
    }

    /// One character at a time: `"` and `\` escaped, control characters as `\n`, `\r`, `\t` or `\u00XX`.
    static func reference(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
