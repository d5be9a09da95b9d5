import Foundation

/// `GET /v1/state`: what the agent has applied and how its Envoy is.
///
///     {"proxy": "gw", "snapshotVersion": "…" | null,
///      "resources": [{"type": "clusters", "name": "…", "version": "…"}, …],
///      "envoy": {"ready": true, "pid": 123 | null, "restarts": 0},
///      "lastRejection": {"version": "…", "reason": "…", "time": "2026-…Z"} | null,
///      "drift": ["listener http.80 is not active in Envoy: …", "lds.json differs from what the agent wrote"],
///      "certificate": {"serial", "notBefore", "expiry", "identity", "root"} | null}
///
/// `resources` lists every resource of the applied bundle with the
/// compiler's version (a hash of its canonical JSON): Envoy confirmed all of them.
package struct AgentState: Codable, Sendable, Equatable {
    /// One accepted resource; `type` is the bundle member (clusters, endpoints, listeners, routes).
    package struct Resource: Codable, Sendable, Equatable {
        /// clusters, endpoints, listeners or routes.
        package var type: String
        /// The resource name (`cluster_name` for endpoints).
        package var name: String
        /// The compiler's version: FNV-1a of the canonical JSON.
        package var version: String
    }

    /// The supervised Envoy.
    package struct Envoy: Codable, Sendable, Equatable {
        /// Envoy's `/ready` answers LIVE.
        package var ready: Bool
        /// Its process id, null while it is being restarted.
        package var pid: Int?
        /// How often the agent restarted it after it died.
        package var restarts: Int

        /// Encodes `pid` as null rather than leaving it out.
        package func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(ready, forKey: .ready)
            try container.encode(pid, forKey: .pid)
            try container.encode(restarts, forKey: .restarts)
        }
    }

    /// The last snapshot Envoy refused.
    package struct Rejection: Codable, Sendable, Equatable {
        /// The refused bundle's version.
        package var version: String
        /// Envoy's own words (its log and listener `error_state`).
        package var reason: String
        /// When, ISO 8601 in UTC.
        package var time: String
    }

    /// The workload certificate the agent holds (never its key): what the
    /// reconciler decides renewal on. `root` is the SHA-256 of the trust anchor it was given.
    package struct Certificate: Codable, Sendable, Equatable {
        /// Serial number, lowercase hex.
        package var serial: String
        /// Start of validity, ISO 8601 in UTC.
        package var notBefore: String
        /// End of validity, ISO 8601 in UTC.
        package var expiry: String
        /// The SPIFFE ID it names (its URI SAN), null when none.
        package var identity: String?
        /// Lowercase hex SHA-256 of the trust anchor's DER.
        package var root: String

        /// Every field given.
        package init(serial: String, notBefore: String, expiry: String, identity: String?, root: String) {
            self.serial = serial
            self.notBefore = notBefore
            self.expiry = expiry
            self.identity = identity
            self.root = root
        }

        /// `notBefore` as a date (distant past when unreadable).
        package var notBeforeDate: Date { ISO8601DateFormatter().date(from: notBefore) ?? .distantPast }
        /// `expiry` as a date (distant past when unreadable: such a certificate is renewed).
        package var expiryDate: Date { ISO8601DateFormatter().date(from: expiry) ?? .distantPast }
    }

    /// The agent's `--proxy`.
    package var proxy: String
    /// The applied bundle's version; null before the first snapshot.
    package var snapshotVersion: String?
    /// Every resource of the applied bundle, in bundle order.
    package var resources: [Resource]
    /// The supervised Envoy.
    package var envoy: Envoy
    /// The last refused bundle, null when none was.
    package var lastRejection: Rejection?
    /// Where Envoy does not serve the applied snapshot (`Drift`): empty when it does.
    /// A push of the same version repairs it.
    package var drift: [String] = []
    /// The workload certificate, null before the first (or from an agent without identity).
    package var certificate: Certificate?

    /// Every field given.
    package init(proxy: String, snapshotVersion: String?, resources: [Resource], envoy: Envoy, lastRejection: Rejection?, drift: [String] = []) {
        self.proxy = proxy
        self.snapshotVersion = snapshotVersion
        self.resources = resources
        self.envoy = envoy
        self.lastRejection = lastRejection
        self.drift = drift
    }

    enum CodingKeys: String, CodingKey {
        case proxy, snapshotVersion, resources, envoy, lastRejection, drift, certificate
    }

    /// Decodes a state; `drift` and `certificate` may be absent (an older agent).
    package init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        proxy = try container.decode(String.self, forKey: .proxy)
        snapshotVersion = try container.decodeIfPresent(String.self, forKey: .snapshotVersion)
        resources = try container.decode([Resource].self, forKey: .resources)
        envoy = try container.decode(Envoy.self, forKey: .envoy)
        lastRejection = try container.decodeIfPresent(Rejection.self, forKey: .lastRejection)
        drift = try container.decodeIfPresent([String].self, forKey: .drift) ?? []
        certificate = try container.decodeIfPresent(Certificate.self, forKey: .certificate)
    }

    /// Encodes the optionals as null rather than leaving them out.
    package func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(proxy, forKey: .proxy)
        try container.encode(snapshotVersion, forKey: .snapshotVersion)
        try container.encode(resources, forKey: .resources)
        try container.encode(envoy, forKey: .envoy)
        try container.encode(lastRejection, forKey: .lastRejection)
        try container.encode(drift, forKey: .drift)
        try container.encode(certificate, forKey: .certificate)
    }

    /// Sorted-key JSON, as every agent response body.
    package var jsonText: String { Self.encode(self) }

    /// `value` as sorted-key JSON text.
    package static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: encoder.encode(value), as: UTF8.self)) ?? "{}"
    }
}
