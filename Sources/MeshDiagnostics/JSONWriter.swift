/// Canonical JSON (`JSON.rendered()`'s bytes) written straight from a
/// builder, without a `JSON` tree between: for the resources an emit writes
/// by the ten thousand (clusters, endpoints), where building and freeing the
/// tree cost more than writing the bytes.
///
/// The writer does not sort: the caller gives each object's members in key
/// order (`@type` first, then byte order, `_` before letters). A test
/// renders every builder's output again through `JSON` to hold it to that.
package struct JSONWriter {
    /// What has been written.
    package private(set) var bytes: [UInt8] = []
    /// A value was just completed at this level: the next one needs a comma.
    private var separate = false

    package init(capacity: Int = 512) { bytes.reserveCapacity(capacity) }

    /// The bytes as text.
    package var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Opens an object (as a value).
    package mutating func openObject() { startValue(); bytes.append(UInt8(ascii: "{")); separate = false }

    /// Closes the innermost object.
    package mutating func closeObject() { bytes.append(UInt8(ascii: "}")); separate = true }

    /// Opens an array (as a value).
    package mutating func openArray() { startValue(); bytes.append(UInt8(ascii: "[")); separate = false }

    /// Closes the innermost array.
    package mutating func closeArray() { bytes.append(UInt8(ascii: "]")); separate = true }

    /// A member's key; its value comes next. Keys are plain ASCII names
    /// written as given (no escaping).
    package mutating func key(_ name: StaticString) {
        if separate { bytes.append(UInt8(ascii: ",")) }
        // Byte by byte and from the literal's own storage: an array literal
        // per key and the generic `append(contentsOf:)` were most of a key's cost.
        bytes.append(UInt8(ascii: "\""))
        append(name)
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        separate = false
    }

    /// A member's key given at run time (a filter's name), escaped as JSON
    /// needs. Labelled: an unlabelled `String` overload would take every
    /// literal key from the `StaticString` one (a literal is a `String` first).
    package mutating func key(quoting name: String) {
        if separate { bytes.append(UInt8(ascii: ",")) }
        JSON.quote(name, into: &bytes)
        bytes.append(UInt8(ascii: ":"))
        separate = false
    }

    package mutating func string(_ value: String) { startValue(); JSON.quote(value, into: &bytes); separate = true }

    /// A string known to need no escaping (enum names a function gives as
    /// `StaticString`); a literal argument is a `String` and is quoted.
    package mutating func string(_ value: StaticString) {
        startValue()
        bytes.append(UInt8(ascii: "\""))
        append(value)
        bytes.append(UInt8(ascii: "\""))
        separate = true
    }

    package mutating func int(_ value: Int) { startValue(); Self.digits(value, into: &bytes); separate = true }

    package mutating func bool(_ value: Bool) {
        startValue()
        append(value ? "true" : "false")
        separate = true
    }

    /// A protobuf Duration as JSON text (`JSON.duration(milliseconds:)`): `10s`, `0.250s`.
    package mutating func duration(milliseconds ms: Int) {
        startValue()
        bytes.append(UInt8(ascii: "\""))
        Self.digits(ms / 1000, into: &bytes)
        let rest = ms % 1000
        if rest != 0 {
            bytes.append(UInt8(ascii: "."))
            if rest < 100 { bytes.append(UInt8(ascii: "0")) }
            if rest < 10 { bytes.append(UInt8(ascii: "0")) }
            Self.digits(rest, into: &bytes)
        }
        bytes.append(UInt8(ascii: "s"))
        bytes.append(UInt8(ascii: "\""))
        separate = true
    }

    /// A value built as a tree (the rarer parts of a resource), rendered in place.
    package mutating func value(_ json: JSON) {
        startValue()
        json.write(into: &bytes)
        separate = true
    }

    /// Members written elsewhere (`a:1,b:2`, no braces), spliced into the
    /// open object after what this writer holds; they must sort after it.
    package mutating func rawMembers(_ members: [UInt8]) {
        guard !members.isEmpty else { return }
        if separate { bytes.append(UInt8(ascii: ",")) }
        bytes.append(contentsOf: members)
        separate = true
    }

    /// A literal's bytes, copied from its storage in one go.
    @inline(__always)
    private mutating func append(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    private mutating func startValue() {
        if separate { bytes.append(UInt8(ascii: ",")) }
    }

    /// Decimal digits of `value`, as `String(value)` writes them.
    private static func digits(_ value: Int, into out: inout [UInt8]) {
        if value < 0 {
            guard value != .min else { out.append(contentsOf: String(value).utf8); return }
            out.append(UInt8(ascii: "-"))
            digits(-value, into: &out)
            return
        }
        if value < 10 { out.append(UInt8(ascii: "0") + UInt8(value)); return }
        var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &scratch) { buffer in
            var n = value, end = buffer.count
            while n > 0 {
                end -= 1
                buffer[end] = UInt8(ascii: "0") + UInt8(n % 10)
                n /= 10
            }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[end...]))
        }
    }
}
