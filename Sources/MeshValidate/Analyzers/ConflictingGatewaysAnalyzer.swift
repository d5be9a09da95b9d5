import MeshDiagnostics
import MeshModel

/// IST0145: two Gateways with the same selector serve the same port number
/// for overlapping hosts. The gateway proxy merges them into one listener and
/// only one of the conflicting servers takes effect.
///
/// istioctl's `gateway.ConflictingGatewayAnalyzer`: Gateways are grouped by
/// selector (the exact label set) and server port number; a server conflicts
/// when one of its hosts overlaps (wildcards included) a host another Gateway
/// serves on that key. meshc reads the host without its `namespace/` prefix
/// and takes the union of a Gateway's servers on one port (istioctl keeps the
/// last). Reported on each Gateway, once per server, at the first
/// overlapping host.
struct ConflictingGatewaysAnalyzer: Analyzer {
    let codes = [Codes.conflictingGateways]
    let reads: Set<ResourceKind>? = [.gateway]
    let runsLong = true

    private struct Key: Hashable {
        var selector: [String]
        var port: Int
    }

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        let gateways = mesh.gateways
        let selectors = gateways.map { selectorKey($0.spec) }
        // Server hosts without their `namespace/` part, per gateway and server.
        let bareHosts = gateways.map { $0.spec.servers.map { $0.hosts.map { bareHost($0.value) } } }
        // Key → gateway index → hosts it serves there.
        var hostsByKey: [Key: [Int: [String]]] = [:]
        for (index, (_, spec)) in gateways.enumerated() {
            for (serverIndex, server) in spec.servers.enumerated() {
                guard let port = server.port?.number?.value else { continue }
                hostsByKey[Key(selector: selectors[index], port: port), default: [:]][index, default: []]
                    .append(contentsOf: bareHosts[index][serverIndex])
            }
        }
        for (index, (resource, spec)) in gateways.enumerated() {
            for (serverIndex, server) in spec.servers.enumerated() {
                guard let port = server.port?.number?.value else { continue }
                let key = Key(selector: selectors[index], port: port)
                let own = bareHosts[index][serverIndex]
                var conflicting: [Int] = []
                var firstHost: Int?
                for (other, hosts) in hostsByKey[key, default: [:]] where other != index {
                    let overlapping = own.indices.first { hostIndex in
                        hosts.contains { Hosts.intersect(own[hostIndex], $0) }
                    }
                    guard let overlapping else { continue }
                    conflicting.append(other)
                    firstHost = min(firstHost ?? overlapping, overlapping)
                }
                guard let hostIndex = firstHost else { continue }
                let names = conflicting.sorted().map { "\(gateways[$0].resource.namespace)/\(gateways[$0].resource.name)" }.joined(separator: ", ")
                let selector = key.selector.isEmpty ? "an empty selector" : "selector \(key.selector.joined(separator: ","))"
                sink.report(Codes.conflictingGateways, resource, at: server.hosts[hostIndex].mark,
                            path: "spec.servers[\(serverIndex)].hosts[\(hostIndex)]",
                            "Gateway \(names) also serves an overlapping host on port \(key.port) with \(selector)",
                            hint: "serve each host on a port from one Gateway, or give the Gateways different selectors or ports")
            }
        }
    }

    /// The selector as sorted `key=value` strings: Gateways group by the exact label set.
    private func selectorKey(_ spec: GatewaySpec) -> [String] {
        (spec.selector?.dictionary ?? [:]).map { "\($0.key)=\($0.value)" }.sorted()
    }

    private func bareHost(_ host: String) -> String { Hosts.splitNamespace(host).host }
}
