/// FNV-1a, 64 bits: a fast checksum for names nobody can exploit (SARIF
/// fingerprints, cache file names whose entries carry and check their own
/// key, in-memory tables). Not cryptographic: what stands for content
/// (resource and snapshot versions) is `ContentVersion`, SHA-256.
package struct FNV1a64: Sendable {
    package private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    /// A fresh hash.
    package init() {}

    /// A hash that continues from an earlier `value`.
    package init(value: UInt64) { self.value = value }

    /// Mixes in one byte.
    @inline(__always)
    package mutating func combine(byte: UInt8) {
        value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
    }

    /// Mixes in the UTF-8 bytes of `text`.
    package mutating func combine(_ text: String) {
        var text = text
        var value = self.value
        text.withUTF8 { bytes in
            for byte in bytes {
                value ^= UInt64(byte)
                value &*= 0x0000_0100_0000_01b3
            }
        }
        self.value = value
    }

    /// Sixteen lower-case hex digits.
    package var hex: String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// The hex digest of `text`.
    package static func hex(_ text: String) -> String {
        var hash = FNV1a64()
        hash.combine(text)
        return hash.hex
    }
}
