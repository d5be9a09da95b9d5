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
        switch text.lowercased() {
        case "tcp": .tcp
        case "udp": .udp
        case "grpc": .grpc
        case "grpc-web": .grpcWeb
        case "http": .http
        case "http_proxy": .httpProxy
        case "http2": .http2
        case "https": .https
        case "tls": .tls
        case "mongo": .mongo
        case "redis": .redis
        case "mysql": .mysql
        default: nil
        }
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
        switch l4Protocol?.uppercased() {
        case "UDP": return .udp
        case "SCTP": return .sctp
        default: break
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
        if text.lowercased().hasPrefix("grpc-web") { return .grpcWeb }
        let prefix = text.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        if let parsed = parse(prefix) { return parsed }
        if let port, wellKnownTCPPorts.contains(port) { return .tcp }
        return nil
    }

    /// The protocol of a Service port as written.
    package static func of(_ port: ServicePortSpec) -> PortProtocol? {
        of(port: port.port?.value, name: port.name?.value, l4Protocol: port.protocol?.value, appProtocol: port.appProtocol?.value)
    }
}
