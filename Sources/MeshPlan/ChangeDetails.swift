import MeshDiagnostics
import MeshSnapshot

/// The short lines under a changed resource in a plan: what a route or an
/// endpoint list does differently, else which fields changed. Pure.
enum ChangeDetails {
    /// Lines for one resource; `running` nil means created, `desired` nil deleted.
    static func lines(_ type: EnvoyKind, running: JSON?, desired: JSON?) -> [String] {
        switch type {
        case .route:
            return RouteLines.lines(running: running, desired: desired)
        case .endpoint:
            guard let desired else { return [] }
            let name = desired.member("cluster_name")?.text ?? "?"
            guard let running else { return ["endpoints of \(shortCluster(name)): \(list(addresses(desired)))"] }
            return addressLine(of: name, running, desired).map { [$0] } ?? FieldDiff.lines(running, desired)
        case .cluster:
            // A STATIC cluster carries its endpoints inline: say which addresses change, then any other field.
            guard let running, let desired else { return [] }
            let name = desired.member("name")?.text ?? "?"
            let old = running.member("load_assignment") ?? .object([:]), new = desired.member("load_assignment") ?? .object([:])
            guard let line = addressLine(of: name, old, new) else { return FieldDiff.lines(running, desired) }
            return [line] + FieldDiff.lines(running.removing("load_assignment"), desired.removing("load_assignment"))
        case .listener, .secret:
            guard let running, let desired else { return [] }
            return FieldDiff.lines(running, desired)
        }
    }

    /// `endpoints of echo.default:80: 10.0.0.1:80 → 10.0.0.1:80, 10.0.0.2:80`
    /// for two ClusterLoadAssignments; nil when the addresses are the same.
    static func addressLine(of cluster: String, _ running: JSON, _ desired: JSON) -> String? {
        let old = addresses(running), new = addresses(desired)
        return old == new ? nil : "endpoints of \(shortCluster(cluster)): \(list(old)) → \(list(new))"
    }

    /// `address:port` of every endpoint of a ClusterLoadAssignment, in order.
    static func addresses(_ assignment: JSON) -> [String] {
        assignment.member("endpoints")?.items.flatMap { locality in
            (locality.member("lb_endpoints")?.items ?? []).map { endpoint in
                let socket = endpoint.member("endpoint")?.member("address")?.member("socket_address")
                let address = socket?.member("address")?.text ?? "?"
                return socket?.member("port_value").map { "\(address):\($0.rendered())" } ?? address
            }
        } ?? []
    }

    static func list(_ addresses: [String]) -> String {
        addresses.isEmpty ? "(none)" : addresses.joined(separator: ", ")
    }

    /// Istio's `outbound|80|v1|echo.default.svc.cluster.local` as `echo.default:80/v1`;
    /// other names unchanged.
    static func shortCluster(_ name: String) -> String {
        let parts = name.split(separator: "|", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "outbound", !parts[1].isEmpty, !parts[3].isEmpty else { return name }
        var host = String(parts[3])
        if host.hasSuffix(".svc.cluster.local") { host.removeLast(".svc.cluster.local".count) }
        return "\(host):\(parts[1])" + (parts[2].isEmpty ? "" : "/\(parts[2])")
    }
}

/// Which leaves of two JSON values differ, as `path: old → new` lines.
enum FieldDiff {
    /// At most `limit` lines, then `… N more changed fields`; paths like
    /// `filter_chains[0].filters[0].name`, values as compact JSON, shortened.
    static func lines(_ old: JSON, _ new: JSON, limit: Int = 3) -> [String] {
        var changes: [String] = []
        collect(old, new, path: "", into: &changes)
        guard changes.count > limit else { return changes }
        return changes.prefix(limit) + ["… \(changes.count - limit) more changed fields"]
    }

    /// The changes joined on one line, for a route's settings.
    static func summary(_ old: JSON, _ new: JSON) -> String {
        lines(old, new, limit: 2).joined(separator: "; ")
    }

    private static func collect(_ old: JSON?, _ new: JSON?, path: String, into changes: inout [String]) {
        if old == new { return }
        switch (old, new) {
        case (.object(let a)?, .object(let b)?):
            for key in Set(a.keys).union(b.keys).sorted() {
                collect(a[key], b[key], path: path.isEmpty ? key : "\(path).\(key)", into: &changes)
            }
        case (.array(let a)?, .array(let b)?) where a.count == b.count:
            for index in a.indices { collect(a[index], b[index], path: "\(path)[\(index)]", into: &changes) }
        default:
            changes.append("\(display(path)): \(show(old)) → \(show(new))")
        }
    }

    /// Route metadata paths shortened to the meshc key (`source`, `virtual_service`).
    private static func display(_ path: String) -> String {
        let metadata = "metadata.filter_metadata.meshc."
        return path.hasPrefix(metadata) ? String(path.dropFirst(metadata.count)) : path.isEmpty ? "value" : path
    }

    private static func show(_ value: JSON?) -> String {
        guard let value else { return "(none)" }
        let text = value.rendered()
        return text.count > 60 ? text.prefix(59) + "…" : text
    }
}
