import MeshDiagnostics
import MeshSnapshot

/// The items under a changed resource in a plan: what a route or an
/// endpoint list does differently, else which fields changed. Pure.
enum ChangeDetails {
    /// Items for one resource; `running` nil means created, `desired` nil deleted.
    static func items(_ type: EnvoyKind, running: JSON?, desired: JSON?) -> [ChangeItem] {
        switch type {
        case .route:
            return RouteLines.items(running: running, desired: desired)
        case .endpoint:
            guard let desired else { return [] }
            let name = desired.member("cluster_name")?.text ?? "?"
            guard let running else { return [addressItem(of: name, nil, desired)] }
            return addressChange(of: name, running, desired).map { [$0] } ?? FieldDiff.items(running, desired)
        case .cluster:
            // A STATIC cluster carries its endpoints inline: say which addresses change, then any other field.
            guard let running, let desired else { return [] }
            let name = desired.member("name")?.text ?? "?"
            let old = running.member("load_assignment") ?? .object([:]), new = desired.member("load_assignment") ?? .object([:])
            guard let item = addressChange(of: name, old, new) else { return FieldDiff.items(running, desired) }
            return [item] + FieldDiff.items(running.removing("load_assignment"), desired.removing("load_assignment"))
        case .listener, .secret:
            guard let running, let desired else { return [] }
            return FieldDiff.items(running, desired)
        }
    }

    /// `endpoints of echo.default:80: 10.0.0.1:80 → 10.0.0.1:80, 10.0.0.2:80`
    /// for two ClusterLoadAssignments; nil when the addresses are the same.
    static func addressChange(of cluster: String, _ running: JSON, _ desired: JSON) -> ChangeItem? {
        addresses(running) == addresses(desired) ? nil : addressItem(of: cluster, running, desired)
    }

    /// The address lists of `running` (nil: created) and `desired` as one item.
    static func addressItem(of cluster: String, _ running: JSON?, _ desired: JSON) -> ChangeItem {
        let new = addresses(desired)
        let text = running.map { "\(list(addresses($0))) → \(list(new))" } ?? list(new)
        return ChangeItem(.endpoints, "endpoints of \(shortCluster(cluster)): \(text)", identity: ["cluster": .string(cluster)],
                          before: running.map { .array(addresses($0).map(JSON.string)) }, after: .array(new.map(JSON.string)))
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
