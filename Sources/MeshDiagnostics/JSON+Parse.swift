extension JSON {
    /// Why a text is not JSON: what was expected and the 0-based byte offset where it went wrong.
    package struct ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        /// 0-based byte offset into the input.
        package var offset: Int
        /// What was expected or is wrong there.
        package var message: String

        /// An error at `offset` saying `message`.
        package init(offset: Int, message: String) {
            self.offset = offset
            self.message = message
        }

        package var description: String { "invalid JSON at byte \(offset): \(message)" }
    }

    /// Nesting deeper than this is refused rather than recursed into.
    package static let defaultMaxDepth = 256

    /// Parses strict RFC 8259 JSON: one value, optional white space around
    /// it, no BOM, no comments, no trailing commas, no duplicate object keys,
    /// valid UTF-8 and escapes (no lone surrogates). A number becomes `.int`
    /// when it has no fraction or exponent and fits, or when the renderer
    /// would write its value as an integer anyway; otherwise `.double`. So
    /// `parse(x.rendered())` renders to the same bytes as `x`.
    package static func parse(_ bytes: some Collection<UInt8>, maxDepth: Int = defaultMaxDepth) throws -> JSON {
        var parser = JSONParser(bytes: Array(bytes), maxDepth: maxDepth)
        parser.skipWhiteSpace()
        let value = try parser.value(depth: 0)
        parser.skipWhiteSpace()
        if parser.index < parser.bytes.count { throw parser.error("unexpected text after the value") }
        return value
    }

    /// Parses `text` as strict JSON; see `parse(_:maxDepth:)` for bytes.
    package static func parse(_ text: String, maxDepth: Int = defaultMaxDepth) throws -> JSON {
        try parse(Array(text.utf8), maxDepth: maxDepth)
    }
}

/// A recursive-descent reader over the input bytes.
private struct JSONParser {
    let bytes: [UInt8]
    let maxDepth: Int
    var index = 0

    init(bytes: [UInt8], maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    func error(_ message: String, at offset: Int? = nil) -> JSON.ParseError {
        JSON.ParseError(offset: offset ?? index, message: message)
    }

    var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func skipWhiteSpace() {
        while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
    }

    mutating func value(depth: Int) throws -> JSON {
        guard let byte = current else { throw error("expected a value, found the end of the input") }
        switch byte {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw error("expected a value, found \(Self.show(byte))")
        }
    }

    mutating func literal(_ word: String) throws {
        let start = index
        for expected in word.utf8 {
            guard current == expected else { throw error("expected `\(word)`", at: start) }
            index += 1
        }
    }

    mutating func enter(_ depth: Int) throws {
        if depth > maxDepth { throw error("nesting deeper than \(maxDepth) levels") }
        index += 1
    }

    mutating func object(depth: Int) throws -> JSON {
        try enter(depth)
        var members: [JSONObject.Element] = []
        var keyOffsets: [Int] = []
        skipWhiteSpace()
        if current == UInt8(ascii: "}") { index += 1; return .object(JSONObject()) }
        while true {
            skipWhiteSpace()
            let keyOffset = index
            guard current == UInt8(ascii: "\"") else { throw error("expected a string key in the object") }
            let key = try string()
            skipWhiteSpace()
            guard current == UInt8(ascii: ":") else { throw error("expected `:` after the object key") }
            index += 1
            skipWhiteSpace()
            members.append((key: key, value: try value(depth: depth)))
            keyOffsets.append(keyOffset)
            skipWhiteSpace()
            switch current {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                switch JSONObject.unique(members) {
                case .success(let object): return .object(object)
                case .failure(let repeated):
                    throw error("duplicate key \"\(members[repeated.index].key)\" in the object", at: keyOffsets[repeated.index])
                }
            default: throw error("expected `,` or `}` in the object")
            }
        }
    }

    mutating func array(depth: Int) throws -> JSON {
        try enter(depth)
        var items: [JSON] = []
        skipWhiteSpace()
        if current == UInt8(ascii: "]") { index += 1; return .array(items) }
        while true {
            skipWhiteSpace()
            items.append(try value(depth: depth))
            skipWhiteSpace()
            switch current {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; return .array(items)
            default: throw error("expected `,` or `]` in the array")
            }
        }
    }

    /// A string literal; `index` is at the opening quote. Most strings hold
    /// no escape: they are made from the input bytes at once.
    mutating func string() throws -> String {
        let start = index
        var end = start + 1
        while end < bytes.count {
            let byte = bytes[end]
            if byte == UInt8(ascii: "\"") {
                guard let text = String(validating: bytes[(start + 1)..<end], as: UTF8.self) else {
                    throw error("the string is not valid UTF-8", at: start)
                }
                index = end + 1
                return text
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            end += 1
        }
        index += 1
        var out: [UInt8] = []
        while true {
            guard let byte = current else { throw error("unterminated string", at: start) }
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                guard let text = String(validating: out, as: UTF8.self) else { throw error("the string is not valid UTF-8", at: start) }
                return text
            case UInt8(ascii: "\\"):
                try escape(into: &out)
            case 0..<0x20:
                throw error("control character \(Self.show(byte)) in a string; escape it")
            default:
                out.append(byte)
                index += 1
            }
        }
    }

    mutating func escape(into out: inout [UInt8]) throws {
        let start = index
        index += 1
        guard let byte = current else { throw error("unterminated escape", at: start) }
        index += 1
        let simple: UInt8? = switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): byte
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "t"): 0x09
        default: nil
        }
        if let simple { out.append(simple); return }
        guard byte == UInt8(ascii: "u") else { throw error("unknown escape after `\\`: \(Self.show(byte))", at: start) }
        var scalar = try hex4()
        if (0xDC00...0xDFFF).contains(scalar) { throw error("lone low surrogate in \\u escape", at: start) }
        if (0xD800...0xDBFF).contains(scalar) {
            guard current == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") else {
                throw error("high surrogate without its low surrogate", at: start)
            }
            index += 2
            let low = try hex4()
            guard (0xDC00...0xDFFF).contains(low) else { throw error("high surrogate without its low surrogate", at: start) }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        }
        out.append(contentsOf: String(Unicode.Scalar(scalar)!).utf8)
    }

    mutating func hex4() throws -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = current, let digit = Self.hexDigit(byte) else { throw error("expected four hex digits after \\u") }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    static func hexDigit(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    mutating func number() throws -> JSON {
        let start = index
        if current == UInt8(ascii: "-") { index += 1 }
        if current == UInt8(ascii: "0") {
            index += 1
            if let byte = current, Self.isDigit(byte) { throw error("leading zero in a number", at: start) }
        } else {
            guard digits() > 0 else { throw error("expected a digit", at: index) }
        }
        var integral = true
        if current == UInt8(ascii: ".") {
            index += 1
            integral = false
            guard digits() > 0 else { throw error("expected a digit after the decimal point") }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            index += 1
            integral = false
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { throw error("expected a digit in the exponent") }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if integral, let value = Int(text) { return .int(value) }
        guard let value = Double(text), value.isFinite else { throw error("number out of range", at: start) }
        // The renderer writes such doubles as integers; parse them back the same way.
        if value == value.rounded(), abs(value) < 1e15 { return .int(Int(value)) }
        return .double(value)
    }

    mutating func digits() -> Int {
        let start = index
        while let byte = current, Self.isDigit(byte) { index += 1 }
        return index - start
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// A byte for a message: the character when printable ASCII, else hex.
    static func show(_ byte: UInt8) -> String {
        (0x21..<0x7F).contains(byte) ? "`\(Character(Unicode.Scalar(byte)))`" : "byte 0x" + String(byte, radix: 16, uppercase: true)
    }
}
