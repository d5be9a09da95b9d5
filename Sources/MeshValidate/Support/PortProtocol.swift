import MeshModel

/// The protocol Istio gives a port (`pkg/config/protocol`), and how it reads
/// one from a Kubernetes Service port (`pkg/config/kube.ConvertProtocol`).
package enum PortProtocol: String, Sendable, Hashable, CaseIterable {
    case grpc = "GRPC"
    case grpcWeb = "GRPC-Web"
    case http = "HTTP"
    case httpProxy = "HTTP_PROXY"
    case http2 = "HTTP2"
    case https = "HTTPS"
    case tcp = "TCP"
    case tls = "TLS"
    case udp = "UDP"
    case sctp = "SCTP"
    case mongo = "Mongo"
    case redis = "Redis"
    case mysql = "MySQL"

    /// The names Istio accepts as a port-name prefix, in the order the hints list them.
    package static let portNamePrefixes = [
        "http", "http2", "https", "grpc", "grpc-web", "tcp", "tls", "udp", "mongo", "mysql", "redis",
    ]

    /// Istio's `protocol.Parse`: case-insensitive; nil for anything it does not know.
    package static func parse(_ text: String) -> PortProtocol? {
        var text = text
        // ASCII (every real port name) is compared byte by byte, without
        // building a lowercased copy; anything else keeps String's
        // Unicode-aware `lowercased()`, which is what Istio's ToLower means.
        if let ascii = text.withUTF8({ isASCII($0) ? parseASCII($0) : nil }) { return ascii }
        return parseNames.first { String(describing: $0.name) == text.lowercased() }?.value
    }

    /// The names `parse` accepts, lowercase.
    private static let parseNames: [(name: StaticString, value: PortProtocol)] = [
        ("tcp", .tcp), ("udp", .udp), ("grpc", .grpc), ("grpc-web", .grpcWeb), ("http", .http), ("http_proxy", .httpProxy),
        ("http2", .http2), ("https", .https), ("tls", .tls), ("mongo", .mongo), ("redis", .redis), ("mysql", .mysql),
    ]

    /// `parse` of ASCII bytes; `.some(nil)` when they name no protocol (nil is "not decided").
    private static func parseASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> PortProtocol?? {
        .some(parseNames.first { equalsIgnoringCase(bytes, $0.name) }?.value)
    }

    /// Ports Istio treats as TCP when the name says nothing (SMTP, DNS, MySQL, MongoDB):
    /// protocol sniffing would break the servers that talk first on them.
    package static let wellKnownTCPPorts: Set<Int> = [25, 53, 3306, 27017]

    /// The protocol of a Kubernetes Service port, nil when Istio cannot tell
    /// (it then sniffs the protocol, and `istioctl analyze` reports IST0118).
    ///
    /// The L4 `protocol` field wins for UDP and SCTP; then `appProtocol` if set
    /// (with Kubernetes' `kubernetes.io/h2c`, `ws`, `wss`), else the port name,
    /// read up to its first `-` (`grpc-web` as a whole).
    package static func of(port: Int?, name: String?, l4Protocol: String?, appProtocol: String?) -> PortProtocol? {
        if var l4Protocol {
            let ascii = l4Protocol.withUTF8 { bytes -> PortProtocol?? in
                guard isASCII(bytes) else { return nil }
                return equalsIgnoringCase(bytes, "udp") ? .udp : equalsIgnoringCase(bytes, "sctp") ? .sctp : .some(nil)
            }
            if let ascii {
                if let decided = ascii { return decided }
            } else {
                switch l4Protocol.uppercased() {
                case "UDP": return .udp
                case "SCTP": return .sctp
                default: break
                }
            }
        }
        var text = name ?? ""
        if let appProtocol {
            switch appProtocol {
            case "kubernetes.io/h2c": return .http2
            case "kubernetes.io/ws": return .http
            case "kubernetes.io/wss": return .https
            default: text = appProtocol
            }
        }
        // ASCII: byte for byte what the Unicode-aware branch below does.
        let ascii = text.withUTF8 { bytes -> PortProtocol?? in
            guard isASCII(bytes) else { return nil }
            if bytes.count >= 8, equalsIgnoringCase(UnsafeBufferPointer(rebasing: bytes[..<8]), "grpc-web") { return .grpcWeb }
            let dash = bytes.firstIndex(of: UInt8(ascii: "-")) ?? bytes.endIndex
            return parseASCII(UnsafeBufferPointer(rebasing: bytes[..<dash]))
        }
        if let ascii {
            if let parsed = ascii { return parsed }
        } else {
            if text.lowercased().hasPrefix("grpc-web") { return .grpcWeb }
            let prefix = text.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            if let parsed = parse(prefix) { return parsed }
        }
        if let port, wellKnownTCPPorts.contains(port) { return .tcp }
        return nil
    }

    private static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool { bytes.allSatisfy { $0 < 0x80 } }

    /// True when ASCII `bytes` equal `lowercase` (lowercase ASCII) ignoring case.
    private static func equalsIgnoringCase(_ bytes: UnsafeBufferPointer<UInt8>, _ lowercase: StaticString) -> Bool {
        guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
        let expected = lowercase.utf8Start
        for i in bytes.indices {
            let byte = bytes[i]
            if (byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) != expected[i] { return false }
        }
        return true
    }

    /// The protocol of a Service port as written.
    package static func of(_ port: ServicePortSpec) -> PortProtocol? {
        of(port: port.port?.value, name: port.name?.value, l4Protocol: port.protocol?.value, appProtocol: port.appProtocol?.value)
    }
}
