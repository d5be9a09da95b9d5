/// Byte-level checks behind `Names`: one pass over the UTF-8 buffer, no allocation.
///
/// Each one accepts only ASCII text (every allowed byte is ASCII), where a
/// byte is a Character, so it answers exactly as the String-based rule in
/// Names.swift would. Text it refuses goes to that rule, which says why.
extension Names {
    /// Text's UTF-8 bytes in place (a small string's are copied to the stack).
    static func withBytes<R>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
        return Array(text.utf8).withUnsafeBufferPointer(body)
    }

    static func isLowerAlnum(_ c: UInt8) -> Bool { (c >= 97 && c <= 122) || (c >= 48 && c <= 57) }
    static func isAlnum(_ c: UInt8) -> Bool { isLowerAlnum(c) || (c >= 65 && c <= 90) }
    private static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
    private static let dot = UInt8(ascii: "."), dash = UInt8(ascii: "-"), star = UInt8(ascii: "*"), slash = UInt8(ascii: "/")

    /// RFC 1123 label: 1–63 of [a-z0-9-], alphanumeric at both ends.
    static func isDNS1123Label(_ text: String) -> Bool { withBytes(text) { isDNS1123Label($0) } }

    static func isDNS1123Label(_ bytes: some Collection<UInt8>) -> Bool {
        var count = 0, last: UInt8 = 0
        for c in bytes {
            guard count == 0 ? isLowerAlnum(c) : (isLowerAlnum(c) || c == dash) else { return false }
            count += 1
            last = c
        }
        return count > 0 && count <= 63 && isLowerAlnum(last)
    }

    /// Dot-separated DNS-1123 labels. `allowTrailingDot`: the last label may
    /// be empty (a trailing dot, or no text at all); `numericTLD`: the last
    /// label may be all digits.
    static func areLabels(_ bytes: some Collection<UInt8>, allowTrailingDot: Bool, numericTLD: Bool) -> Bool {
        var count = 0, last: UInt8 = 0, allDigits = true
        for c in bytes {
            if c == dot {
                guard count > 0, count <= 63, isLowerAlnum(last) else { return false }
                count = 0
                allDigits = true
                continue
            }
            guard count == 0 ? isLowerAlnum(c) : (isLowerAlnum(c) || c == dash) else { return false }
            count += 1
            last = c
            allDigits = allDigits && isDigit(c)
        }
        if count == 0 { return allowTrailingDot }
        return count <= 63 && isLowerAlnum(last) && (numericTLD || !allDigits)
    }

    /// A valid `fqdnError` subject: 1–255 bytes of labels, the TLD not all digits.
    static func isFQDN(_ domain: String) -> Bool {
        withBytes(domain) { !$0.isEmpty && $0.count <= 255 && areLabels($0, allowTrailingDot: true, numericTLD: false) }
    }

    /// RFC 1123 subdomain: dot-separated labels, at most 253 bytes.
    static func isDNS1123Subdomain(_ name: String) -> Bool {
        withBytes(name) { $0.count <= 253 && areLabels($0, allowTrailingDot: false, numericTLD: true) }
    }

    /// A valid `wildcardDomainError` subject: like an FQDN, the first label may be `*` or `*suffix`.
    static func isWildcardDomain(_ domain: String) -> Bool { withBytes(domain) { isWildcardDomain($0) } }

    private static func isWildcardDomain(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !bytes.isEmpty, bytes.count <= 255 else { return false }
        let firstEnd = bytes.firstIndex(of: dot) ?? bytes.endIndex
        guard isWildcardLabel(bytes[..<firstEnd]) else { return false }
        guard firstEnd != bytes.endIndex else { return true }
        return areLabels(bytes[bytes.index(after: firstEnd)...], allowTrailingDot: true, numericTLD: false)
    }

    /// `*`, `*` before the tail of a label (like `*foo`), or a plain label.
    private static func isWildcardLabel(_ label: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        guard label.first == star else { return isDNS1123Label(label) }
        let rest = label.dropFirst()
        if rest.isEmpty { return true }
        // The rest must end a label that starts with a letter: ≤ 62 of [a-z0-9-], alphanumeric last.
        return rest.count <= 62 && rest.allSatisfy { isLowerAlnum($0) || $0 == dash } && isLowerAlnum(rest.last ?? 0)
    }

    /// A valid Kubernetes label key: `[DNS subdomain/]name`.
    static func isLabelKey(_ key: String) -> Bool { withBytes(key) { isLabelKey($0) } }

    private static func isLabelKey(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let slash = bytes.lastIndex(of: slash) else { return isLabelValue(bytes) && !bytes.isEmpty }
        let prefix = bytes[..<slash], name = bytes[bytes.index(after: slash)...]
        return !prefix.isEmpty && prefix.count <= 253 && areLabels(prefix, allowTrailingDot: false, numericTLD: true)
            && !name.isEmpty && isLabelValue(name)
    }

    /// Kubernetes label value: empty, or ≤ 63 of [A-Za-z0-9._-] with alphanumerics at both ends.
    static func isLabelValue(_ text: String) -> Bool { withBytes(text) { isLabelValue($0) } }

    static func isLabelValue(_ bytes: some Collection<UInt8>) -> Bool {
        var count = 0, last: UInt8 = 0
        for c in bytes {
            let ok = isAlnum(c) || (count > 0 && (c == dash || c == UInt8(ascii: "_") || c == dot))
            guard ok else { return false }
            count += 1
            last = c
        }
        return count == 0 || (count <= 63 && isAlnum(last))
    }
}
