import MeshDiagnostics

/// A protobuf message's fields by their JSON name: what `ProtoJSON` needs
/// of a `.proto` to write the binary form of JSON (`ProtoSchema`).
package struct ProtoField: Sendable {
    package enum Kind: Sendable {
        case string, bool, uint32, uint64, int32, int64, double
        /// Enum value names → numbers.
        case enumeration([String: Int])
        /// A message by its full name (`envoy.config.route.v3.Route`, `google.protobuf.Duration`).
        case message(String)
    }

    package enum Label: Sendable { case single, repeated, map }

    package let number: Int
    package let kind: Kind
    /// `.map`: `map<string, kind>` (every map meshc writes has string keys).
    package let label: Label

    package init(_ number: Int, _ kind: Kind, _ label: Label = .single) {
        self.number = number
        self.kind = kind
        self.label = label
    }
}

/// Why JSON has no binary form here: the field, by its path, and what is wrong.
package struct ProtoEncodingError: Error, CustomStringConvertible, Equatable {
    package let path: String
    package let reason: String
    package var description: String { "\(path.isEmpty ? "(top)" : path): \(reason)" }
}

/// Protobuf JSON (the canonical mapping, as meshc renders Envoy's config)
/// to the binary wire format, by a `ProtoSchema`. Anything the schema does
/// not name is an error, never dropped: the bytes must hold exactly what the
/// JSON says, or nothing is written.
package struct ProtoJSON: Sendable {
    package let schema: ProtoSchema

    package init(schema: ProtoSchema) { self.schema = schema }

    /// `json` as the binary form of message `name`.
    package func encode(_ json: JSON, as name: String, path: String = "") throws(ProtoEncodingError) -> [UInt8] {
        var out = ProtoWriter()
        try message(json, name, path, &out)
        return out.bytes
    }

    private func fail(_ path: String, _ reason: String) -> ProtoEncodingError { ProtoEncodingError(path: path, reason: reason) }

    private func message(_ json: JSON, _ name: String, _ path: String, _ out: inout ProtoWriter) throws(ProtoEncodingError) {
        switch name {
        case ProtoSchema.anyType:
            guard let members = json.members, let url = members["@type"]?.text else { throw fail(path, "an Any needs an object with \"@type\"") }
            let type = url.lastIndex(of: "/").map { String(url[url.index(after: $0)...]) }
            guard let type, schema.messages[type] != nil else { throw fail(path, "no binary form for type \(url)") }
            var body = members
            body.removeValue(forKey: "@type")
            out.stringField(1, url)
            try out.messageField(2) { (inner: inout ProtoWriter) throws(ProtoEncodingError) in try message(.object(body), type, path, &inner) }
        case ProtoSchema.durationType:
            guard let text = json.text, let (seconds, nanos) = Self.duration(text) else { throw fail(path, "a Duration is a string like \"1.5s\"") }
            if seconds != 0 { out.varintField(1, UInt64(bitPattern: seconds)) }
            if nanos != 0 { out.varintField(2, UInt64(bitPattern: Int64(nanos))) }
        case ProtoSchema.boolValueType: try value(json, 1, .bool, path, &out)
        case ProtoSchema.uint32ValueType: try value(json, 1, .uint32, path, &out)
        case ProtoSchema.structType:
            // `map<string, Value> fields = 1`.
            try field(json, ProtoField(1, .message(ProtoSchema.valueType), .map), path, &out)
        case ProtoSchema.valueType:
            switch json {
            case .null: out.varintField(1, 0)
            case .int(let number): out.doubleField(2, Double(number))
            case .double(let number): out.doubleField(2, number)
            case .string(let text): out.stringField(3, text)
            case .bool(let flag): out.varintField(4, flag ? 1 : 0)
            case .object: try out.messageField(5) { (inner: inout ProtoWriter) throws(ProtoEncodingError) in try message(json, ProtoSchema.structType, path, &inner) }
            case .array:
                // A ListValue: `repeated Value values = 1`.
                try out.messageField(6) { (list: inout ProtoWriter) throws(ProtoEncodingError) in
                    try field(json, ProtoField(1, .message(ProtoSchema.valueType), .repeated), path, &list)
                }
            }
        default:
            guard let fields = schema.messages[name] else { throw fail(path, "no binary form for message \(name)") }
            guard let members = json.members else { throw fail(path, "\(name) is an object") }
            for (key, item) in members where item != .null {
                let at = path.isEmpty ? key : path + "." + key
                guard let field = fields[key] else { throw fail(at, "\(name) has no field \"\(key)\" this agent can write in binary") }
                try self.field(item, field, at, &out)
            }
        }
    }

    private func field(_ json: JSON, _ field: ProtoField, _ path: String, _ out: inout ProtoWriter) throws(ProtoEncodingError) {
        switch field.label {
        case .single: try value(json, field.number, field.kind, path, &out)
        case .repeated:
            guard case .array(let items) = json else { throw fail(path, "a repeated field is an array") }
            switch field.kind {
            case .message, .string, .double:
                // One field per item (parsers take doubles unpacked as well).
                for (index, item) in items.enumerated() { try value(item, field.number, field.kind, "\(path)[\(index)]", &out) }
            default:
                // Packed, as proto3 writes repeated scalars.
                var packed = ProtoWriter()
                for (index, item) in items.enumerated() { try scalar(item, field.kind, "\(path)[\(index)]", &packed) }
                out.bytesField(field.number, packed.bytes)
            }
        case .map:
            guard let members = json.members else { throw fail(path, "a map is an object") }
            for (key, item) in members {
                try out.messageField(field.number) { (entry: inout ProtoWriter) throws(ProtoEncodingError) in
                    entry.stringField(1, key)
                    try value(item, 2, field.kind, path + "." + key, &entry)
                }
            }
        }
    }

    private func value(_ json: JSON, _ number: Int, _ kind: ProtoField.Kind, _ path: String, _ out: inout ProtoWriter) throws(ProtoEncodingError) {
        switch kind {
        case .string:
            guard let text = json.text else { throw fail(path, "expected a string") }
            out.stringField(number, text)
        case .message(let name):
            try out.messageField(number) { (inner: inout ProtoWriter) throws(ProtoEncodingError) in try message(json, name, path, &inner) }
        case .double:
            guard let number64 = Self.double(json) else { throw fail(path, "expected a number") }
            out.doubleField(number, number64)
        default:
            out.tag(number, 0)
            try scalar(json, kind, path, &out)
        }
    }

    /// A varint scalar's value alone (no tag).
    private func scalar(_ json: JSON, _ kind: ProtoField.Kind, _ path: String, _ out: inout ProtoWriter) throws(ProtoEncodingError) {
        switch kind {
        case .bool:
            guard case .bool(let flag) = json else { throw fail(path, "expected true or false") }
            out.varint(flag ? 1 : 0)
        case .uint32, .uint64:
            guard let number = Self.integer(json), number >= 0, kind != .uint32 || number <= Int(UInt32.max) else { throw fail(path, "expected an unsigned integer") }
            out.varint(UInt64(number))
        case .int32, .int64:
            guard let number = Self.integer(json), kind != .int32 || Int(Int32.min)...Int(Int32.max) ~= number else { throw fail(path, "expected an integer") }
            out.varint(UInt64(bitPattern: Int64(number)))
        case .enumeration(let values):
            if case .string(let name) = json, let number = values[name] { out.varint(UInt64(bitPattern: Int64(number))); return }
            if case .int(let number) = json, values.values.contains(number) { out.varint(UInt64(bitPattern: Int64(number))); return }
            throw fail(path, "\(json.rendered()) is not one of \(values.keys.sorted().joined(separator: ", "))")
        case .double, .string, .message: throw fail(path, "not a varint")
        }
    }

    /// An integer as protobuf JSON gives it: a number, or a string of one (64-bit fields).
    static func integer(_ json: JSON) -> Int? {
        switch json {
        case .int(let number): number
        case .double(let number): Int(exactly: number)
        case .string(let text): Int(text)
        default: nil
        }
    }

    static func double(_ json: JSON) -> Double? {
        switch json {
        case .int(let number): Double(number)
        case .double(let number): number
        default: nil
        }
    }

    /// A protobuf JSON Duration ("1.5s", "-0.250s", "3s") as seconds and
    /// nanoseconds of the same sign; nil when malformed or past nine decimals.
    static func duration(_ text: String) -> (Int64, Int32)? {
        guard text.hasSuffix("s") else { return nil }
        var body = Substring(text.dropLast())
        let negative = body.hasPrefix("-")
        if negative { body = body.dropFirst() }
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.allSatisfy(\.isASCIIDigit), let seconds = Int64(whole) else { return nil }
        var nanos: Int32 = 0
        if parts.count == 2 {
            let fraction = parts[1]
            guard !fraction.isEmpty, fraction.count <= 9, fraction.allSatisfy(\.isASCIIDigit),
                  let value = Int32(fraction + String(repeating: "0", count: 9 - fraction.count)) else { return nil }
            nanos = value
        }
        return negative ? (-seconds, -nanos) : (seconds, nanos)
    }
}

private extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

extension ProtoField.Kind: Equatable {
    package static func == (a: Self, b: Self) -> Bool {
        switch (a, b) {
        case (.string, .string), (.bool, .bool), (.uint32, .uint32), (.uint64, .uint64), (.int32, .int32), (.int64, .int64), (.double, .double): true
        case (.enumeration(let x), .enumeration(let y)): x == y
        case (.message(let x), .message(let y)): x == y
        default: false
        }
    }
}
