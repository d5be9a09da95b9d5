/// A SPIFFE ID, `spiffe://<trust-domain>/<path>`, as the SPIFFE spec
/// (SPIFFE-ID.md) defines it for workloads: a trust domain and a non-empty
/// path of segments made of letters, digits, `.`, `-` and `_`, none empty,
/// `.` or `..`; no query, fragment, port or user info.
///
/// Istio's workload identities are `spiffe://<td>/ns/<namespace>/sa/<service-account>`.
public struct SPIFFEID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The trust domain.
    public let trustDomain: TrustDomain
    /// The path segments, e.g. `["ns", "default", "sa", "web"]`.
    public let segments: [String]

    /// The longest SPIFFE ID the spec allows, in bytes.
    public static let maximumLength = 2048

    /// An identity from its trust domain and path segments, each validated.
    public init(trustDomain: TrustDomain, segments: [String]) throws {
        if segments.isEmpty {
            throw IdentityError.invalidSPIFFEID("spiffe://\(trustDomain.name)", "a workload ID needs a path after the trust domain")
        }
        for segment in segments {
            if let problem = Self.problem(segment: segment) {
                throw IdentityError.invalidSPIFFEID(Self.format(trustDomain, segments), problem)
            }
        }
        let text = Self.format(trustDomain, segments)
        if text.utf8.count > Self.maximumLength {
            throw IdentityError.invalidSPIFFEID(String(text.prefix(64)) + "…", "it is longer than \(Self.maximumLength) bytes")
        }
        self.trustDomain = trustDomain
        self.segments = segments
    }

    /// Istio's workload identity: `spiffe://<td>/ns/<namespace>/sa/<serviceAccount>`.
    public init(trustDomain: TrustDomain = .default, namespace: String, serviceAccount: String) throws {
        try self.init(trustDomain: trustDomain, segments: ["ns", namespace, "sa", serviceAccount])
    }

    /// Parses `spiffe://<td>/<path>`; throws `IdentityError.invalidSPIFFEID` saying what is wrong.
    public init(parsing text: String) throws {
        let scheme = "spiffe://"
        guard text.hasPrefix(scheme) else {
            let hint = text.lowercased().hasPrefix(scheme) ? "the scheme must be lowercase `spiffe://`" : "it does not start with `spiffe://`"
            throw IdentityError.invalidSPIFFEID(text, hint)
        }
        if text.utf8.count > Self.maximumLength {
            throw IdentityError.invalidSPIFFEID(String(text.prefix(64)) + "…", "it is longer than \(Self.maximumLength) bytes")
        }
        let rest = text.dropFirst(scheme.count)
        if let bad = rest.first(where: { $0 == "?" || $0 == "#" }) {
            throw IdentityError.invalidSPIFFEID(text, bad == "?" ? "it has a query (`?`)" : "it has a fragment (`#`)")
        }
        let authority = rest.prefix { $0 != "/" }
        if authority.contains("@") { throw IdentityError.invalidSPIFFEID(text, "it has user info (`@`)") }
        let trustDomain: TrustDomain
        do {
            trustDomain = try TrustDomain(String(authority))
        } catch IdentityError.invalidTrustDomain(_, let problem) {
            throw IdentityError.invalidSPIFFEID(text, "its trust domain `\(authority)` is invalid: \(problem)")
        }
        let path = rest.dropFirst(authority.count)
        guard path.count > 1 else {
            throw IdentityError.invalidSPIFFEID(text, path.isEmpty ? "a workload ID needs a path after the trust domain" : "its path ends with `/`")
        }
        let segments = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        for segment in segments {
            if let problem = Self.problem(segment: segment) { throw IdentityError.invalidSPIFFEID(text, problem) }
        }
        self.trustDomain = trustDomain
        self.segments = segments
    }

    /// The reconciler's own identity, `spiffe://<td>/meshc/reconciler`.
    public static func reconciler(_ trustDomain: TrustDomain = .default) -> SPIFFEID {
        // Constant, valid segments: cannot fail.
        try! SPIFFEID(trustDomain: trustDomain, segments: ["meshc", "reconciler"])
    }

    /// The URI, `spiffe://<td>/<segments joined by />`.
    public var uri: String { Self.format(trustDomain, segments) }

    public var description: String { uri }

    /// The namespace of an Istio workload identity (`/ns/<ns>/sa/<sa>`), else nil.
    public var namespace: String? { isWorkload ? segments[1] : nil }

    /// The service account of an Istio workload identity (`/ns/<ns>/sa/<sa>`), else nil.
    public var serviceAccount: String? { isWorkload ? segments[3] : nil }

    private var isWorkload: Bool { segments.count == 4 && segments[0] == "ns" && segments[2] == "sa" }

    public static func < (lhs: SPIFFEID, rhs: SPIFFEID) -> Bool { lhs.uri < rhs.uri }

    private static func format(_ trustDomain: TrustDomain, _ segments: [String]) -> String {
        "spiffe://\(trustDomain.name)/" + segments.joined(separator: "/")
    }

    /// What makes `segment` no path segment, or nil when it is one.
    static func problem(segment: String) -> String? {
        if segment.isEmpty { return "its path has an empty segment (`//` or a trailing `/`)" }
        if segment == "." || segment == ".." { return "its path has a `\(segment)` segment" }
        for byte in segment.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "_"):
                continue
            default:
                let character = byte < 0x80 ? String(decoding: [byte], as: UTF8.self) : "non-ASCII"
                return "its path segment `\(segment)` has the character `\(character)` (allowed: letters, digits, `.`, `-`, `_`)"
            }
        }
        return nil
    }
}
