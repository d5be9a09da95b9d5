import MeshDiagnostics
import MeshModel

/// IST0177 ConflictingServiceEntryProtocol: ServiceEntries visible in one
/// namespace declare the same host and port with different protocols. Istio
/// builds one listener and cluster per host and port, so only one protocol
/// wins and traffic may be handled as one it is not.
///
/// istioctl's `serviceentry.ConflictingServiceEntryProtocolAnalyzer`: entries
/// are grouped by host (as written), port number and `exportTo` scope (`.` is
/// the entry's namespace; no `exportTo` or `*` is every namespace, which also
/// meets every other scope); protocols are compared upper-cased, an unset one
/// counting as its own value. Each ServiceEntry involved is reported once, at
/// its name, naming the first conflict in host and port order.
struct ServiceEntryProtocolAnalyzer: Analyzer {
    let codes = [Codes.conflictingServiceEntryProtocol]
    let reads: Set<ResourceKind>? = [.serviceEntry]

    private struct Key: Hashable, Comparable {
        var host: String
        var port: Int
        var scope: String

        static func < (a: Key, b: Key) -> Bool { (a.host, a.port, a.scope) < (b.host, b.port, b.scope) }
    }

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        let entries = mesh.serviceEntries
        guard entries.count > 1 else { return }
        var index: [Key: [(entry: Int, protocol: String)]] = [:]
        for (i, entry) in entries.enumerated() {
            for scope in scopes(entry.spec.exportTo.map(\.value), namespace: entry.resource.namespace) {
                for host in entry.spec.hosts {
                    for port in entry.spec.ports {
                        guard let number = port.number?.value else { continue }
                        index[Key(host: host.value, port: number, scope: scope), default: []]
                            .append((i, (port.protocol?.value ?? "").uppercased()))
                    }
                }
            }
        }
        var reported: Set<Int> = []
        for key in index.keys.sorted() {
            var members = index[key, default: []]
            if key.scope != "*" { members += index[Key(host: key.host, port: key.port, scope: "*"), default: []] }
            let protocols = Set(members.map(\.protocol))
            guard protocols.count > 1 else { continue }
            let involved = Array(Set(members.map(\.entry))).sorted()
            let names = involved.map { "\(entries[$0].resource.namespace)/\(entries[$0].resource.name)" }.sorted()
            let listed = protocols.sorted().map { $0.isEmpty ? "unset" : $0 }.joined(separator: ", ")
            for i in involved where reported.insert(i).inserted {
                let resource = entries[i].resource
                sink.report(Codes.conflictingServiceEntryProtocol, resource, at: resource.nameMark, path: "metadata.name",
                            "Multiple ServiceEntries (\(names.joined(separator: ", "))) define the same host \"\(key.host)\" and port "
                                + "\(key.port) with conflicting protocols (\(listed))",
                            hint: "use the same protocol for the port in every ServiceEntry, or declare the host in one ServiceEntry")
            }
        }
    }

    /// istioctl's `exportToScopes`: `*` for every namespace, else the namespaces listed (`.` is the entry's own).
    private func scopes(_ exportTo: [String], namespace: String) -> Set<String> {
        if exportTo.isEmpty || exportTo.contains("*") { return ["*"] }
        return Set(exportTo.map { $0 == "." ? namespace : $0 })
    }
}
