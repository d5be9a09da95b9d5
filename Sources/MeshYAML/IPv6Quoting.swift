/// libyaml (YAML 1.1) refuses plain IPv6 addresses that start or end with
/// `::` (`[::1]`, `address: 2001:db8::`), which YAML 1.2 parsers — the ones
/// Kubernetes and Istio use — read as strings. When a file fails to parse,
/// the parser tries again with such addresses quoted (`IPv6Quoting.rewrite`):
/// what they accept, meshc accepts. Lines keep their numbers; a column after
/// a quoted address on its line moves by two.
enum IPv6Quoting {
    /// `bytes` with every plain scalar that looks like an IPv6 address and
    /// contains `::` double-quoted; nil when there is none. Quoted strings,
    /// comments and block scalars (`|`, `>`) are left as they are.
    static func rewrite(_ bytes: UnsafeRawBufferPointer) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 16)
        var changed = false
        var i = 0
        var lineIndent = 0, atLineStart = true
        var blockIndent: Int?  // inside a block scalar: lines indented deeper than this are its content
        let n = bytes.count
        while i < n {
            let c = bytes[i]
            if atLineStart {
                var j = i
                while j < n, bytes[j] == UInt8(ascii: " ") { j += 1 }
                let blank = j >= n || bytes[j] == UInt8(ascii: "\n") || bytes[j] == UInt8(ascii: "\r")
                if let limit = blockIndent, blank || j - i > limit {
                    // Block scalar content: copied as is, up to the end of the line.
                    while i < n, bytes[i] != UInt8(ascii: "\n") { out.append(bytes[i]); i += 1 }
                    if i < n { out.append(bytes[i]); i += 1 }
                    continue
                }
                blockIndent = nil
                lineIndent = j - i
                atLineStart = false
            }
            switch c {
            case UInt8(ascii: "\n"):
                out.append(c); i += 1; atLineStart = true
            case UInt8(ascii: "#") where i == 0 || isSpace(bytes[i - 1]):
                while i < n, bytes[i] != UInt8(ascii: "\n") { out.append(bytes[i]); i += 1 }
            case UInt8(ascii: "\""), UInt8(ascii: "'") where i == 0 || isBoundary(bytes[i - 1]):
                out.append(c); i += 1
                while i < n {
                    let d = bytes[i]
                    out.append(d); i += 1
                    if c == UInt8(ascii: "\"") && d == UInt8(ascii: "\\"), i < n { out.append(bytes[i]); i += 1; continue }
                    if d == c {
                        if c == UInt8(ascii: "'"), i < n, bytes[i] == c { out.append(bytes[i]); i += 1; continue }  // '' inside '…'
                        break
                    }
                    if d == UInt8(ascii: "\n") { atLineStart = false }
                }
            default:
                guard (i == 0 || isBoundary(bytes[i - 1])) && !isDelimiter(c) && !isSpace(c) else { out.append(c); i += 1; continue }
                var j = i
                while j < n, !isDelimiter(bytes[j]), !isSpace(bytes[j]) { j += 1 }
                var end = j
                // A key's `:` indicator is not part of the scalar.
                if end > i + 1, bytes[end - 1] == UInt8(ascii: ":"), end == n || isSpace(bytes[end]) { end -= 1 }
                let token = UnsafeRawBufferPointer(rebasing: bytes[i..<end])
                if isIPv6(token) {
                    out.append(UInt8(ascii: "\"")); out.append(contentsOf: token); out.append(UInt8(ascii: "\""))
                    changed = true
                } else {
                    out.append(contentsOf: token)
                    if token.count == 1 || token.count == 2, token[0] == UInt8(ascii: "|") || token[0] == UInt8(ascii: ">") {
                        blockIndent = lineIndent
                    }
                }
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[end..<j]))
                i = j
            }
        }
        return changed ? out : nil
    }

    private static func isSpace(_ c: UInt8) -> Bool { c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") }
    private static func isDelimiter(_ c: UInt8) -> Bool { c == UInt8(ascii: ",") || c == UInt8(ascii: "[") || c == UInt8(ascii: "]") || c == UInt8(ascii: "{") || c == UInt8(ascii: "}") }
    private static func isBoundary(_ c: UInt8) -> Bool { isSpace(c) || isDelimiter(c) }

    /// Hex digits, `:` and `.` (an embedded IPv4), an optional `/len` or `%zone`, with `::` in it.
    private static func isIPv6(_ token: UnsafeRawBufferPointer) -> Bool {
        guard token.count >= 2 else { return false }
        var sawDouble = false, inSuffix = false
        var previous: UInt8 = 0
        for c in token {
            if inSuffix {
                guard isAlphanumeric(c) || c == UInt8(ascii: "-") || c == UInt8(ascii: "_") || c == UInt8(ascii: ".") else { return false }
            } else if c == UInt8(ascii: "%") || c == UInt8(ascii: "/") {
                inSuffix = true
            } else if c == UInt8(ascii: ":") {
                if previous == c { sawDouble = true }
            } else if !(isHex(c) || c == UInt8(ascii: ".")) {
                return false
            }
            previous = c
        }
        return sawDouble
    }

    private static func isHex(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "f")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "F"))
    }

    private static func isAlphanumeric(_ c: UInt8) -> Bool {
        isHex(c) || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
    }
}
