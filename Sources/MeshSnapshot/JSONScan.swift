import MeshDiagnostics

/// Finding a member in compact JSON bytes without parsing them.
enum JSONScan {
    /// The byte range of the value of `key` among the members of the object
    /// `bytes` holds (its own members, not nested ones); nil when absent or
    /// when `bytes` is not an object.
    static func member(_ key: String, inObject bytes: ArraySlice<UInt8>) -> Range<Int>? {
        var quoted = ""
        JSON.quote(key, into: &quoted)
        let pattern = Array((quoted + ":").utf8)
        guard bytes.first == UInt8(ascii: "{") else { return nil }
        var depth = 0
        var index = bytes.startIndex
        while index < bytes.endIndex {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                if depth == 1, bytes[index...].starts(with: pattern) {
                    let start = index + pattern.count
                    return valueEnd(bytes, from: start).map { start..<$0 }
                }
                guard let end = stringEnd(bytes, from: index) else { return nil }
                index = end
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            default: break
            }
            index += 1
        }
        return nil
    }

    /// Just past the string that starts at `start` (its opening quote).
    private static func stringEnd(_ bytes: ArraySlice<UInt8>, from start: Int) -> Int? {
        var index = start + 1
        while index < bytes.endIndex {
            switch bytes[index] {
            case UInt8(ascii: "\\"): index += 2
            case UInt8(ascii: "\""): return index + 1
            default: index += 1
            }
        }
        return nil
    }

    /// Just past the value that starts at `start`: a string, an array or an
    /// object (nested ones balanced), or a scalar up to the next `,` or `}`.
    private static func valueEnd(_ bytes: ArraySlice<UInt8>, from start: Int) -> Int? {
        guard start < bytes.endIndex else { return nil }
        var depth = 0
        var index = start
        while index < bytes.endIndex {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                guard let end = stringEnd(bytes, from: index) else { return nil }
                if depth == 0 { return end }
                index = end
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if depth == 0 { return index }
                depth -= 1
                if depth == 0 { return index + 1 }
            case UInt8(ascii: ","):
                if depth == 0 { return index }
            default: break
            }
            index += 1
        }
        return nil
    }
}
