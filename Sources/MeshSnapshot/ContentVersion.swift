import Crypto
import Foundation

/// The version of meshc's output: SHA-256 of the bytes, its first 128
/// bits as 32 lower-case hex digits.
///
/// Cryptographic because a version stands for content: a plan counts a
/// resource whose version the proxy runs as unchanged, and an agent pushes
/// no route configuration of the version it runs. With a checksum (meshc
/// used FNV-1a until issue 15), a commit could give changed bytes an old
/// version (a header value is enough room to forge a collision) and hide
/// the change from the plan a reviewer reads and from the proxies.
package struct ContentVersion {
    private var hash = SHA256()
    /// Small pieces gathered before they are hashed: one `update` per piece costs more than the hashing.
    private var pending: [UInt8] = []

    package init() {
        pending.reserveCapacity(Self.batch)
    }

    private static let batch = 1 << 16

    /// Mixes in the UTF-8 bytes of `text`.
    package mutating func combine(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            if pending.count + bytes.count > Self.batch { flush() }
            if bytes.count >= Self.batch {
                hash.update(bufferPointer: UnsafeRawBufferPointer(bytes))
            } else {
                pending.append(contentsOf: bytes)
            }
        }
    }

    /// Mixes in one byte.
    package mutating func combine(byte: UInt8) {
        if pending.count == Self.batch { flush() }
        pending.append(byte)
    }

    private mutating func flush() {
        pending.withUnsafeBytes { hash.update(bufferPointer: $0) }
        pending.removeAll(keepingCapacity: true)
    }

    /// Thirty-two lower-case hex digits.
    package var hex: String {
        var copy = self
        copy.flush()
        return Self.hex(copy.hash.finalize())
    }

    /// The version of `text`.
    package static func hex(_ text: String) -> String {
        var text = text
        return text.withUTF8 { hex(SHA256.hash(data: UnsafeRawBufferPointer($0))) }
    }

    private static func hex(_ digest: SHA256.Digest) -> String {
        let digits = Array("0123456789abcdef".utf8)
        return digest.withUnsafeBytes { bytes in
            String(unsafeUninitializedCapacity: 32) { out in
                for i in 0..<16 {
                    out[2 * i] = digits[Int(bytes[i] >> 4)]
                    out[2 * i + 1] = digits[Int(bytes[i] & 0x0f)]
                }
                return 32
            }
        }
    }
}
