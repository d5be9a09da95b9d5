import Foundation
import MeshDiagnostics
import MeshSnapshot
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a snapshot may ask of Envoy, checked before the agent writes
/// anything: the agent's bearer token lets its holder change routing, not
/// run code, read or write files, or reach Envoy's admin API. Refused:
///
/// - any `@type` inside a resource (typed_config, typed_per_filter_config,
///   protocol options, transport sockets…) that is not one meshc emits
///   (`meshcExtensions`) or one the operator allowed (`--allow-extension`);
///   so are ECDS `type_urls`, and an extension entry that names something
///   other than meshc's own filters without any config;
/// - a file (DataSource `filename`, file access log `path` (Envoy's own
///   output is the stdout and stderr stream loggers), config source
///   and watched-directory paths, TLS key log, health-check event log) not
///   under one of `fileRoots` (relative paths and `..` refused), and
///   `environment_variable` data sources, `%ENVIRONMENT(…)%` formatters and
///   `environment` span tags (the agent's environment);
/// - config sources that fetch resources over the network (`api_config_source`,
///   `ads`): what they bring would bypass this policy; file config sources
///   except the unbound placeholders the compiler emits (RDS route files,
///   the SDS secrets `default` / `ROOTCA` of mesh mTLS, `SecretSource`, and
///   a snapshot secret's `meshc:secrets/<file>` in a listener's TLS
///   context's SDS entries, `GatewaySecret`, whose own file names are
///   checked as files); how many files Envoy then watches is `WatchCheck`'s;
/// - cluster types but STATIC, STRICT_DNS, LOGICAL_DNS and EDS (ORIGINAL_DST
///   connects wherever a request asks);
/// - `pipe` addresses, and any address on Envoy's admin port or the agent's
///   own port that is loopback, any (0.0.0.0, ::), IPv4-mapped, or a DNS name;
/// - an HTTP connection manager's `stat_prefix` holding `.rds.`: the agent
///   confirms routes by their `http.<stat_prefix>.rds.<name>.version_text`.
package struct SnapshotPolicy: Sendable {
    /// The extension type URLs meshc's emitter produces (`Sources/MeshEmit`).
    package static let meshcExtensions: Set<String> = [
        "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
        "type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy",
        "type.googleapis.com/envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector",
        "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router",
        "type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault",
        "type.googleapis.com/envoy.extensions.filters.http.cors.v3.Cors",
        "type.googleapis.com/envoy.extensions.filters.http.cors.v3.CorsPolicy",
        "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext",
        "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext",
        "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
        "type.googleapis.com/envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate",
        // AuthorizationPolicy and RequestAuthentication (issue 11).
        "type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC",
        "type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBACPerRoute",
        "type.googleapis.com/envoy.extensions.filters.network.rbac.v3.RBAC",
        "type.googleapis.com/envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication",
        "type.googleapis.com/envoy.extensions.filters.http.ext_authz.v3.ExtAuthz",
        "type.googleapis.com/envoy.extensions.path.match.uri_template.v3.UriTemplateMatchConfig",
        // Telemetry: access logs (file, CEL filter) and tracing.
        "type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog",
        "type.googleapis.com/envoy.extensions.access_loggers.stream.v3.StdoutAccessLog",
        "type.googleapis.com/envoy.extensions.access_loggers.stream.v3.StderrAccessLog",
        "type.googleapis.com/envoy.extensions.access_loggers.filters.cel.v3.ExpressionFilter",
        "type.googleapis.com/envoy.config.trace.v3.ZipkinConfig",
        "type.googleapis.com/envoy.config.trace.v3.OpenTelemetryConfig",
        "type.googleapis.com/envoy.extensions.request_id.uuid.v3.UuidRequestIdConfig",
    ]

    /// Files any snapshot may name wherever the roots are: public and read-only
    /// (the system trust store https JWKS servers, and servers a DestinationRule
    /// originates TLS to without caCertificates, are verified against).
    package static let publicFiles: Set<String> = ["/etc/ssl/certs/ca-certificates.crt"]

    /// Extension names meshc emits; only these may appear without `typed_config`.
    package static let meshcExtensionNames: Set<String> = [
        "envoy.filters.network.http_connection_manager", "envoy.filters.network.tcp_proxy",
        "envoy.filters.listener.tls_inspector", "envoy.filters.http.router", "envoy.filters.http.fault",
        "envoy.filters.http.cors", "envoy.transport_sockets.tls", "envoy.retry_host_predicates.previous_hosts",
    ]

    /// Members whose items (or value) are extension entries (`name` + `typed_config`).
    static let extensionKeys: Set<String> = [
        "http_filters", "filters", "listener_filters", "access_log", "transport_socket", "retry_host_predicate", "retry_priority",
    ]

    /// Members holding a file Envoy reads or writes, wherever they appear.
    static let fileKeys: Set<String> = ["filename", "event_log_path", "access_log_path"]

    /// Cluster discovery types allowed, by name or enum number (protobuf JSON takes both).
    static let clusterTypes: [JSON] = [
        .string("STATIC"), .string("STRICT_DNS"), .string("LOGICAL_DNS"), .string("EDS"), .int(0), .int(1), .int(2), .int(3),
    ]

    /// Type URLs the operator allows beside meshc's (`--allow-extension`).
    package var allowExtensions: Set<String>
    /// Absolute folders files may live in (the state folder's `certs` and
    /// `logs`, plus `--allow-file-root`), compared by path component.
    package var fileRoots: [String]
    /// Envoy's admin port (on 127.0.0.1).
    package var adminPort: Int?
    /// The agent's own API port, when known (nil with `--listen …:0`).
    package var agentPort: Int?

    /// A policy allowing meshc's extensions plus `allowExtensions`, files under `fileRoots`.
    package init(fileRoots: [String], adminPort: Int?, agentPort: Int? = nil, allowExtensions: Set<String> = []) {
        self.fileRoots = fileRoots
        self.adminPort = adminPort
        self.agentPort = agentPort
        self.allowExtensions = allowExtensions
    }

    /// The roots an agent always allows: `certs` and `logs` in its state folder.
    package static func stateRoots(_ stateDirectory: String) -> [String] {
        let folder = URL(fileURLWithPath: stateDirectory).standardizedFileURL.path
        return [folder + "/certs", folder + "/logs"]
    }

    /// One thing the policy refuses: where it is and what to do about it.
    package struct Violation: Sendable, Equatable, CustomStringConvertible {
        /// What kind of power the refused field would give.
        package enum Kind: String, Sendable {
            case `extension`, file, environment, configSource = "config-source", clusterType = "cluster-type", address
            case statPrefix = "stat-prefix"
        }
        package var kind: Kind
        /// `listener ingress-80`.
        package var resource: String
        /// `listeners[ingress-80].filter_chains[0].filters[0].typed_config.http_filters[1].typed_config.@type`.
        package var field: String
        package var reason: String
        package var fix: String
        package var description: String { "\(field): \(reason); \(fix)" }
    }

    /// Every violation in `snapshot`: kinds in Envoy's order, resources in
    /// the snapshot's order, members by sorted key, items by index.
    package func violations(in snapshot: ProxySnapshot) -> [Violation] { violations(in: snapshot.resources) }

    /// The same over resources by kind (what a delta brings, no snapshot made for it).
    package func violations(in resources: [EnvoyKind: [EnvoyResource]]) -> [Violation] {
        var walk = Walk(policy: self)
        for kind in EnvoyKind.allCases {
            for resource in resources[kind] ?? [] {
                walk.resource = "\(kind.label) \(resource.name)"
                walk.kind = kind
                let root = "\(kind.member)[\(resource.name)]"
                guard let json = try? resource.json() else { // never for a parsed bundle; refused all the same
                    walk.add(.file, root, "the resource's rendering does not parse", "send the bundle meshc build writes")
                    continue
                }
                if kind == .cluster, let type = json["type"], !Self.clusterTypes.contains(type) {
                    walk.add(.clusterType, root + ".type", "cluster type \(type.rendered()) is not allowed (ORIGINAL_DST connects wherever a request asks, Envoy's admin included)",
                             "use a STATIC, STRICT_DNS or LOGICAL_DNS cluster")
                }
                walk.visit(json, root, key: nil, parent: nil)
            }
        }
        return walk.found
    }

    /// The 422 reason: `policy: ` and the first violations, one line.
    package static func reason(_ violations: [Violation], limit: Int = 5) -> String {
        var text = "policy: " + violations.prefix(limit).map(\.description).joined(separator: "; ")
        if violations.count > limit { text += "; and \(violations.count - limit) more" }
        return text
    }

    /// Whether `type` may appear inside a resource.
    func allows(_ type: String) -> Bool { Self.meshcExtensions.contains(type) || allowExtensions.contains(type) }

    /// Whether `path` is absolute, has no `..`, and lies under a root (by component).
    func allowsFile(_ path: String) -> Bool {
        guard let parts = Self.components(path) else { return false }
        if Self.publicFiles.contains(path) { return true }
        return fileRoots.contains { root in
            guard let base = Self.components(root) else { return false }
            return parts.count >= base.count && Array(parts.prefix(base.count)) == base
        }
    }

    /// An absolute path's components (`.` and empty ones dropped); nil for relative paths and any `..`.
    static func components(_ path: String) -> [Substring]? {
        guard path.hasPrefix("/"), !path.contains("\0") else { return nil }
        var out: [Substring] = []
        for part in path.split(separator: "/") where part != "." {
            if part == ".." { return nil }
            out.append(part)
        }
        return out
    }

    /// Whether `address` may reach this host's loopback: loopback or any
    /// address (IPv4, IPv6, IPv4-mapped or -compatible), or anything that is
    /// not an IP literal (a DNS name such as `localhost` may resolve there).
    static func reachesLoopback(_ address: String) -> Bool {
        var host = address
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            let bytes = withUnsafeBytes(of: &v4) { Array($0) }
            return bytes[0] == 127 || bytes == [0, 0, 0, 0]
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, host, &v6) == 1 else { return true }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes.prefix(15).allSatisfy({ $0 == 0 }) && (bytes[15] == 0 || bytes[15] == 1) { return true } // :: and ::1
        let mapped = bytes.prefix(10).allSatisfy { $0 == 0 } && ((bytes[10] == 0xff && bytes[11] == 0xff) || (bytes[10] == 0 && bytes[11] == 0))
        return mapped && (bytes[12] == 127 || bytes[12...].allSatisfy { $0 == 0 })
    }
}

/// One pass over a snapshot's resources, collecting violations.
private struct Walk {
    let policy: SnapshotPolicy
    var resource = ""
    var kind = EnvoyKind.cluster
    var found: [SnapshotPolicy.Violation] = []

    mutating func add(_ kind: SnapshotPolicy.Violation.Kind, _ field: String, _ reason: String, _ fix: String) {
        found.append(.init(kind: kind, resource: resource, field: field, reason: reason, fix: fix))
    }

    /// `value`, found at `path` under member `key` of an object that sits under `parent`
    /// (array items keep their array's key).
    mutating func visit(_ value: JSON, _ path: String, key: String?, parent: String?) {
        switch value {
        case .array(let items):
            for (index, item) in items.enumerated() { visit(item, path + "[\(index)]", key: key, parent: parent) }
        case .object(let members):
            check(members, path, key: key, parent: parent)
            for (member, child) in members.sorted(by: { $0.key < $1.key }) where member != "@type" {
                // The one config source a bundle carries is the listeners' unbound RDS placeholder (`RouteSource`).
                if key == "rds", member == "config_source", let name = members["route_config_name"]?.text,
                   child == RouteSource.rds(name)["config_source"] { continue }
                // And the two SDS placeholders of mesh mTLS (`SecretSource`): exactly `meshc:certs/<name>.json` for secret `name`.
                if member == "sds_config", let name = members["name"]?.text, SecretSource.names.contains(name),
                   child == SecretSource.sdsConfig(name) { continue }
                // And a snapshot secret's file (`GatewaySecret`): exactly `meshc:secrets/<file>` for secret `name`,
                // in a listener's TLS context's SDS entries (the secret's own file names are checked as files). Listeners
                // only: each file is an inotify instance Envoy takes, and `WatchCheck` counts the listeners' alone.
                if member == "sds_config", kind == .listener, key == "tls_certificate_sds_secret_configs" || key == "validation_context_sds_secret_config",
                   let name = members["name"]?.text, child == GatewaySecret.sdsConfig(name) { continue }
                visit(child, path + Self.member(member), key: member, parent: key)
            }
        case .string(let text) where text.contains("%ENVIRONMENT("):
            add(.environment, path, "the %ENVIRONMENT(…)% formatter would read the agent's environment", "use a literal value")
        default:
            break
        }
    }

    /// The rules about one object, its members seen but not descended into.
    private mutating func check(_ members: JSONObject, _ path: String, key: String?, parent: String?) {
        let allowHint = "start the agent with --allow-extension <type> to permit it"
        func present(_ name: String) -> Bool { members[name].map { $0 != .null } ?? false }
        let type = members["@type"]?.text
        if let type, key != nil, !policy.allows(type) {
            add(.extension, path + ".@type", "extension type \(type) is not one meshc emits",
                allowHint.replacingOccurrences(of: "<type>", with: type))
        }
        if let key, SnapshotPolicy.extensionKeys.contains(key), let name = members["name"]?.text,
           !present("typed_config"), !present("config_discovery"), !SnapshotPolicy.meshcExtensionNames.contains(name) {
            add(.extension, path + ".name", "extension \(name) has no typed_config, so its type cannot be checked",
                "give it a typed_config with an allowed @type")
        }
        if key == "config_discovery" {
            for (index, url) in (members["type_urls"]?.items ?? []).enumerated() {
                guard let url = url.text, !policy.allows(url) else { continue }
                add(.extension, path + ".type_urls[\(index)]", "extension type \(url) is not one meshc emits",
                    allowHint.replacingOccurrences(of: "<type>", with: url))
            }
        }
        if key == "custom_tags", present("environment") {
            add(.environment, path + ".environment", "a span tag from an environment variable would read the agent's environment",
                "use a literal or request_header tag")
        }
        if present("environment_variable") {
            add(.environment, path + ".environment_variable", "a data source from an environment variable would read the agent's environment",
                "inline the value, or put it in a file under an allowed root")
        }
        for name in SnapshotPolicy.fileKeys.sorted() { if let file = members[name]?.text { checkFile(file, path + "." + name) } }
        let configSource = present("api_config_source") || present("ads") || present("path_config_source")
            || key.map { $0 == "config_source" || $0.hasSuffix("_config_source") || $0.hasSuffix("ds_config") } == true
        if configSource {
            for name in ["api_config_source", "ads"] where present(name) {
                add(.configSource, path + "." + name, "a config source that fetches resources at run time bypasses this policy",
                    "ship the resources in the snapshot itself")
            }
        }
        // `path` is a route match or a cookie's path elsewhere: only these contexts name files.
        let filePath = configSource || key == "path_config_source" || key == "watched_directory" || key == "key_log"
            || (key == "typed_config" && parent == "access_log") || type?.contains(".access_loggers.file.") == true
        if filePath, let file = members["path"]?.text { checkFile(file, path + ".path") }
        if present("pipe") {
            add(.address, path + ".pipe", "unix socket addresses are not allowed", "use a socket_address")
        }
        if key == "socket_address" { checkSocket(members, path) }
        // The agent reads a route configuration's version from `http.<stat_prefix>.rds.<name>.version_text`,
        // taking the first `.rds.` as the end of the prefix (`EnvoyReadout.routeName`).
        if present("rds"), let prefix = members["stat_prefix"]?.text, prefix.contains(EnvoyReadout.routeStatMarker) {
            add(.statPrefix, path + ".stat_prefix", "stat prefix \(prefix) holds `.rds.`, which would hide its routes' versions from the agent",
                "use a stat prefix without `.rds.` (meshc's are <address>_<port>)")
        }
    }

    private mutating func checkFile(_ file: String, _ field: String) {
        guard !policy.allowsFile(file) else { return }
        let roots = policy.fileRoots.isEmpty ? "(none)" : policy.fileRoots.joined(separator: ", ")
        let why = SnapshotPolicy.components(file) == nil ? "is relative or has a .. component" : "is outside the allowed roots"
        add(.file, field, "file \(file) \(why)", "put it under \(roots), or start the agent with --allow-file-root DIR")
    }

    private mutating func checkSocket(_ members: JSONObject, _ path: String) {
        let port: Int?
        switch members["port_value"] {
        case .int(let value)?: port = value
        case .double(let value)?: port = Int(exactly: value)
        case .string(let text)?: port = Int(text)
        default: port = nil
        }
        let owner = port == nil ? nil : port == policy.adminPort ? "Envoy's admin API" : port == policy.agentPort ? "the agent's own API" : nil
        let address = members["address"]?.text ?? ""
        guard let port, let owner, SnapshotPolicy.reachesLoopback(address) else { return }
        add(.address, path, "\(address.isEmpty ? "(no address)" : address):\(port) reaches \(owner) on this host",
            "use another port or a non-loopback IP address")
    }

    /// `.name`, or `["name"]` for members that are not plain identifiers.
    static func member(_ name: String) -> String {
        let plain = !name.isEmpty && name.utf8.allSatisfy { byte in
            let letter = byte | 0x20
            return (byte >= 0x30 && byte <= 0x39) || (letter >= 0x61 && letter <= 0x7a) || byte == 0x5f || byte == 0x40
        }
        if plain { return "." + name }
        var quoted = ""
        JSON.quote(name, into: &quoted)
        return "[" + quoted + "]"
    }
}
