/// The lifetime of workload certificates: bounds, default and the `24h`
/// notation the command line uses.
public enum CertificateTTL {
    /// Istio's default workload certificate lifetime.
    public static let `default`: Duration = .seconds(24 * 3600)
    /// The shortest TTL the CA issues (rotation tests use it).
    public static let minimum: Duration = .seconds(60)
    /// The longest TTL the CA issues.
    public static let maximum: Duration = .seconds(90 * 24 * 3600)
    /// How far back `notBefore` is set, for clock skew between hosts (as istiod).
    public static let clockSkew: Duration = .seconds(5 * 60)

    /// Throws `IdentityError.ttlOutOfRange` unless `ttl` is within `minimum...maximum`.
    public static func check(_ ttl: Duration) throws {
        if ttl < minimum || ttl > maximum { throw IdentityError.ttlOutOfRange(ttl) }
    }

    /// Parses a whole number with a unit, `90s`, `30m`, `24h` or `7d`; nil otherwise.
    public static func parse(_ text: String) -> Duration? {
        let units: [(String, Int64)] = [("s", 1), ("m", 60), ("h", 3600), ("d", 86400)]
        for (unit, seconds) in units where text.hasSuffix(unit) {
            guard let count = Int64(text.dropLast(unit.count)), count >= 0, count <= Int64.max / seconds else { return nil }
            return .seconds(count * seconds)
        }
        return nil
    }

    /// `ttl` in the largest unit that divides it: `24h`, `90s`, `90d`.
    public static func format(_ ttl: Duration) -> String {
        let seconds = ttl.components.seconds
        for (unit, size) in [("d", Int64(86400)), ("h", 3600), ("m", 60)] where seconds != 0 && seconds % size == 0 {
            return "\(seconds / size)\(unit)"
        }
        return "\(seconds)s"
    }
}
