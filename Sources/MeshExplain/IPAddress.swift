#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

import MeshIR

/// An IPv4 or IPv6 address as network-order bytes, parsed by `inet_pton`
/// (the parser Envoy's own address code uses), so `::ffff:1.2.3.4`, `::1`
/// and zero-compressed forms read as Envoy reads them.
struct IPAddress: Equatable {
    /// 4 bytes for IPv4, 16 for IPv6.
    let bytes: [UInt8]

    /// Nil when `text` is not an IPv4 or IPv6 address (a host name, a typo).
    init?(_ text: String) {
        if text.contains(":") {
            guard let bytes = Self.parse(text, family: AF_INET6, size: 16) else { return nil }
            self.bytes = bytes
        } else {
            guard let bytes = Self.parse(text, family: AF_INET, size: 4) else { return nil }
            self.bytes = bytes
        }
    }

    private static func parse(_ text: String, family: Int32, size: Int) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: size)
        let status = buffer.withUnsafeMutableBytes { raw in inet_pton(family, text, raw.baseAddress) }
        return status == 1 ? buffer : nil
    }

    /// True when the address is in `block`: same family, and the first
    /// `prefixLength` bits agree (Envoy's CidrRange). False for a block whose
    /// address does not parse, as Envoy would have refused it.
    func isIn(_ block: CIDRBlock) -> Bool {
        guard let network = IPAddress(block.address), network.bytes.count == bytes.count,
              (0...bytes.count * 8).contains(block.prefixLength) else { return false }
        var remaining = block.prefixLength
        for (mine, theirs) in zip(bytes, network.bytes) where remaining > 0 {
            let bits = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            if mine & mask != theirs & mask { return false }
            remaining -= bits
        }
        return true
    }

    /// `0.0.0.0` or `::`: a listener bound to every address.
    var isUnspecified: Bool { bytes.allSatisfy { $0 == 0 } }
}
