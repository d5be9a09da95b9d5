import MeshDiagnostics
import MeshModel

/// MSH0008: a sidecar port is STRICT (PeerAuthentication, Istio's
/// precedence: `MeshIndex.peerModes`) while the repository has
/// WorkloadEntries that no sidecar fronts. Those workloads send plain text,
/// so the sidecar refuses every connection they make to that port.
/// istioctl has no such check (its MTLSPolicyConflict analyzer is gone).
///
/// Only declared sidecars (`kind: Proxy`, role sidecar, fronting a
/// WorkloadEntry) are checked, and only WorkloadEntries count as clients:
/// meshc declares no caller relations, so any of them may call. One finding
/// per sidecar, at its first STRICT port.
struct StrictMTLSAnalyzer: Analyzer {
    let codes = [Codes.strictPortWithPlaintextClients]

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        guard mesh.hasPeerAuthentication else { return }
        var sidecars: [(proxy: Resource, spec: ProxySpec, workload: Resource)] = []
        var fronted = Set<String>()
        let entries = mesh.resources(of: .workloadEntry)
        for proxy in mesh.resources(of: .proxy) {
            guard case .proxy(let spec) = proxy.body, spec.role?.value == "sidecar", let name = spec.workload?.value,
                  let entry = entries.first(where: { $0.name == name && $0.namespace == proxy.namespace }) else { continue }
            sidecars.append((proxy, spec, entry))
            fronted.insert("\(entry.namespace)/\(entry.name)")
        }
        let plain = entries.filter { !fronted.contains("\($0.namespace)/\($0.name)") }
            .map { "\($0.namespace)/\($0.name)" }.sorted()
        guard !plain.isEmpty else { return }
        let shown = plain.prefix(3).joined(separator: ", ") + (plain.count > 3 ? " and \(plain.count - 3) more" : "")
        for (proxy, spec, workload) in sidecars {
            var labels = workload.labels
            if case .workloadEntry(let entry) = workload.body, let own = entry.labels { labels.entries.append(contentsOf: own.entries) }
            let modes = mesh.peerModes(namespace: workload.namespace, labels: labels)
            guard let (index, port) = spec.ports.enumerated().first(where: { $0.element.port.map { modes.mode($0.value) == .strict } == true }),
                  let number = port.port else { continue }
            let source = modes.source.map { " (PeerAuthentication \($0.namespace)/\($0.name))" } ?? ""
            sink.report(Codes.strictPortWithPlaintextClients, proxy, at: number.mark, path: "spec.ports[\(index)].port",
                        "port \(number.value) of sidecar \(proxy.name) is STRICT\(source), but \(shown) \(plain.count == 1 ? "has" : "have") no sidecar: "
                        + "they send plain text and the sidecar refuses them",
                        hint: "declare a sidecar (kind: Proxy, role: sidecar) for those workloads, or make the port PERMISSIVE "
                        + "until every client has one")
        }
    }
}
