/// Protocol buffers' binary wire format, written: varints, tags,
/// length-delimited fields. Just what `ProtoJSON` needs to turn the JSON
/// meshc renders into the bytes Envoy parses from a `.pb` file.
package struct ProtoWriter {
    package private(set) var bytes: [UInt8] = []

    package init() {}

    package mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    /// Wire types: 0 varint, 1 64-bit, 2 length-delimited.
    package mutating func tag(_ field: Int, _ wireType: UInt64) { varint(UInt64(field) << 3 | wireType) }

    package mutating func varintField(_ field: Int, _ value: UInt64) {
        tag(field, 0)
        varint(value)
    }

    package mutating func doubleField(_ field: Int, _ value: Double) {
        tag(field, 1)
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    package mutating func bytesField(_ field: Int, _ body: some Collection<UInt8>) {
        tag(field, 2)
        varint(UInt64(body.count))
        bytes.append(contentsOf: body)
    }

    package mutating func stringField(_ field: Int, _ text: String) {
        var text = text
        text.withUTF8 { bytesField(field, $0) }
    }

    /// A length-delimited field whose body `write` produces (a sub-message).
    package mutating func messageField<E: Error>(_ field: Int, _ write: (inout ProtoWriter) throws(E) -> Void) throws(E) {
        var body = ProtoWriter()
        try write(&body)
        bytesField(field, body.bytes)
    }
}
