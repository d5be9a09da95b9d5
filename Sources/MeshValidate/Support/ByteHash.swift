/// FNV-1a over the UTF-8 bytes of strings. Cheaper than `Hasher` on String
/// (SipHash plus a normalization check per string) for the short ASCII
/// names of a mesh; a key type stores the digest and feeds only it to
/// `Hasher`, keeping full string comparison for equality.
struct ByteHash {
    private(set) var value: UInt64

    /// A fresh hash, or one that continues from an earlier `value`.
    init(value: UInt64 = 0xcbf2_9ce4_8422_2325) { self.value = value }

    /// Mixes in the bytes of `text`, then a separator so `("ab", "c")` and `("a", "bc")` differ.
    mutating func combine(_ text: String) {
        let done: Void? = text.utf8.withContiguousStorageIfAvailable { bytes in
            for byte in bytes { mix(byte) }
        }
        if done == nil { for byte in text.utf8 { mix(byte) } }
        mix(0xFF)
    }

    /// The digest of several strings in order: `ByteHash.digest(namespace, name)`.
    static func digest(_ parts: String...) -> UInt64 {
        var hash = ByteHash()
        for part in parts { hash.combine(part) }
        return hash.value
    }

    private mutating func mix(_ byte: UInt8) {
        value = (value ^ UInt64(byte)) &* 0x100_0000_01b3
    }
}

/// A string key that hashes as its `ByteHash` digest, computed once.
struct HashedString: Hashable {
    let text: String
    let digest: UInt64

    init(_ text: String) {
        self.text = text
        digest = ByteHash.digest(text)
    }

    static func == (a: HashedString, b: HashedString) -> Bool { a.digest == b.digest && a.text == b.text }

    func hash(into hasher: inout Hasher) { hasher.combine(digest) }
}
