/// A SPIFFE trust domain: the mesh-wide name every identity lives under
/// (Istio's `trustDomain`, default `cluster.local`).
///
/// Per the SPIFFE spec a trust domain is lowercase letters, digits, `.`, `-`
/// and `_`, at most 255 bytes, with no scheme, port or user info.
public struct TrustDomain: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The trust domain's name, e.g. `cluster.local`.
    public let name: String

    /// Istio's default trust domain.
    public static let `default` = TrustDomain(validated: "cluster.local")

    /// The longest trust domain name the SPIFFE spec allows.
    public static let maximumLength = 255

    /// Validates `name`; throws `IdentityError.invalidTrustDomain` saying what is wrong.
    public init(_ name: String) throws {
        if let problem = Self.problem(name) { throw IdentityError.invalidTrustDomain(name, problem) }
        self.name = name
    }

    private init(validated name: String) { self.name = name }

    public var description: String { name }

    public static func < (lhs: TrustDomain, rhs: TrustDomain) -> Bool { lhs.name < rhs.name }

    /// What makes `name` no trust domain, or nil when it is one.
    static func problem(_ name: String) -> String? {
        if name.isEmpty { return "it is empty" }
        if name.utf8.count > maximumLength { return "it is longer than \(maximumLength) bytes" }
        for byte in name.utf8 where !isAllowed(byte) {
            if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { return "it has an uppercase letter (SPIFFE trust domains are lowercase)" }
            if byte == UInt8(ascii: ":") { return "it has a `:` (no scheme or port belongs in a trust domain)" }
            return "it has the character `\(String(decoding: [byte], as: UTF8.self))` (allowed: a-z, 0-9, `.`, `-`, `_`)"
        }
        return nil
    }

    private static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "_"):
            return true
        default:
            return false
        }
    }
}
