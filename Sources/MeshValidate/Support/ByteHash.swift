import MeshDiagnostics

/// Keys of strings hashed with meshc's one FNV-1a (`FNV1a64`), each string
/// followed by a separator byte so `("ab", "c")` and `("a", "bc")` differ.
/// Cheaper than `Hasher` on String (SipHash plus a normalization check per
/// string) for the short ASCII names of a mesh; a key type stores the digest
/// and feeds only it to `Hasher`, keeping full string comparison for equality.
struct ByteHash {
    private var hash: FNV1a64

    /// The digest so far.
    var value: UInt64 { hash.value }

    /// A fresh hash, or one that continues from an earlier `value`.
    init(value: UInt64? = nil) { hash = value.map(FNV1a64.init(value:)) ?? FNV1a64() }

    /// Mixes in the bytes of `text`, then the separator.
    mutating func combine(_ text: String) {
        hash.combine(text)
        hash.combine(byte: 0xFF)
    }

    /// The digest of several strings in order: `ByteHash.digest(namespace, name)`.
    static func digest(_ parts: String...) -> UInt64 {
        var hash = ByteHash()
        for part in parts { hash.combine(part) }
        return hash.value
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
