import Foundation
import MeshDiagnostics
import MeshTestSupport
import Testing

/// `JSON.parse`: strict RFC 8259, offsets in errors, depth limit, and byte-exact round trips with the renderer.
@Suite struct JSONParseTests {
    @Test(arguments: [
        ("null", JSON.null),
        (" true ", .bool(true)),
        ("false", .bool(false)),
        ("0", .int(0)),
        ("-0", .int(0)),
        ("-12", .int(-12)),
        ("9223372036854775807", .int(Int.max)),
        ("1.5", .double(1.5)),
        ("2.0", .int(2)),
        ("1e2", .int(100)),
        ("-2.5E-3", .double(-0.0025)),
        ("1e15", .double(1e15)),
        ("92233720368547758070", .double(9.223372036854775807e19)),
        (#""a\"\\\/\b\f\n\r\t""#, .string("a\"\\/\u{8}\u{c}\n\r\t")),
        (#""\u00e9\u20AC\ud83d\ude00""#, .string("é€😀")),
        ("\"é😀\"", .string("é😀")),
        ("[]", .array([])),
        ("[1, [2, {}]]", .array([.int(1), .array([.int(2), .object([:])])])),
        (#"{"b": null, "a": [true]}"#, .object(["a": .array([.bool(true)]), "b": .null])),
        ("\n\t{ }\r\n", .object([:])),
    ])
    func parsesValid(text: String, expected: JSON) throws {
        #expect(try JSON.parse(text) == expected)
    }

    @Test(arguments: [
        ("", 0, "expected a value, found the end of the input"),
        ("   ", 3, "expected a value, found the end of the input"),
        ("nul", 0, "expected `null`"),
        ("[1,]", 3, "expected a value, found `]`"),
        ("[1 2]", 3, "expected `,` or `]` in the array"),
        (#"{"a" 1}"#, 5, "expected `:` after the object key"),
        (#"{"a":1,}"#, 7, "expected a string key in the object"),
        (#"{a:1}"#, 1, "expected a string key in the object"),
        (#"{"a":1,"a":2}"#, 7, "duplicate key \"a\" in the object"),
        (#"{"b":1,"a":2,"a":3,"b":4}"#, 13, "duplicate key \"a\" in the object"),
        ("01", 0, "leading zero in a number"),
        ("-", 1, "expected a digit"),
        ("1.", 2, "expected a digit after the decimal point"),
        ("1e+", 3, "expected a digit in the exponent"),
        (".5", 0, "expected a value, found `.`"),
        ("1e999", 0, "number out of range"),
        ("\"abc", 0, "unterminated string"),
        ("\"a\u{1}b\"", 2, "control character byte 0x1 in a string; escape it"),
        (#""\x""#, 1, "unknown escape after `\\`: `x`"),
        (#""\u12G4""#, 5, "expected four hex digits after \\u"),
        (#""\ud800x""#, 1, "high surrogate without its low surrogate"),
        (#""\udc00""#, 1, "lone low surrogate in \\u escape"),
        ("true false", 5, "unexpected text after the value"),
        ("\u{FEFF}{}", 0, "expected a value, found byte 0xEF"),
        ("// no\n{}", 0, "expected a value, found `/`"),
    ])
    func rejectsInvalid(text: String, offset: Int, message: String) {
        #expect(throws: JSON.ParseError(offset: offset, message: message)) { try JSON.parse(text) }
    }

    @Test func rejectsInvalidUTF8AtTheStringsStart() {
        let bytes: [UInt8] = Array("[\"ok\", \"".utf8) + [0xC3, 0x28] + Array("\"]".utf8)
        #expect(throws: JSON.ParseError(offset: 7, message: "the string is not valid UTF-8")) { try JSON.parse(bytes) }
    }

    @Test func refusesADepthBombWithoutRecursingIntoIt() {
        let bomb = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSON.ParseError(offset: 256, message: "nesting deeper than 256 levels")) { try JSON.parse(bomb) }
        let deep = String(repeating: "{\"a\":", count: 10) + "1" + String(repeating: "}", count: 10)
        #expect(throws: JSON.ParseError(offset: 45, message: "nesting deeper than 9 levels")) { try JSON.parse(deep, maxDepth: 9) }
        #expect((try? JSON.parse(deep, maxDepth: 10)) != nil)
    }

    @Test func errorsSayWhereInPlainWords() {
        #expect(JSON.ParseError(offset: 3, message: "expected a value").description == "invalid JSON at byte 3: expected a value")
    }

    @Test(arguments: [
        JSON.object(["name": .string("x\u{1}\"\\é"), "n": .array([.int(-3), .double(0.1), .double(2.0), .double(1.5e300), .double(-1e-7)])]),
        JSON.array([.null, .bool(false), .object([:]), .array([]), .string("")]),
    ])
    func rendererOutputParsesBackToTheSameBytes(value: JSON) throws {
        for pretty in [false, true] {
            let text = value.rendered(pretty: pretty)
            #expect(try JSON.parse(text).rendered(pretty: pretty) == text)
        }
    }

    /// Every Envoy file the compile goldens hold parses and renders back to the same bytes.
    @Test func goldenEnvoyFilesRoundTrip() throws {
        let golden = Repository.url("Tests/MeshCompileTests/Golden")
        let files = FileManager.default.enumerator(atPath: golden.path)!.compactMap { $0 as? String }.filter { $0.hasSuffix(".json") }.sorted()
        #expect(files.count >= 20)
        for file in files {
            let text = try String(contentsOf: golden.appendingPathComponent(file), encoding: .utf8)
            #expect(try JSON.parse(text).rendered(pretty: true) + "\n" == text, "\(file)")
        }
    }
}
