import MeshDiagnostics
import MeshModel

/// MSH0013: VirtualServices bound to one Gateway for one host are merged
/// into one virtual host, rules in the documented order (file path, then
/// position; Istio: creation time). A rule of an earlier one that takes
/// every request (no match, or a match that constrains nothing) leaves the
/// later ones' rules unreachable. IST0131 reports this inside one
/// VirtualService; istioctl has no cross-VirtualService check. One finding
/// per shadowed VirtualService, at its first rule.
struct MergedRouteShadowAnalyzer: Analyzer {
    let codes = [Codes.virtualServiceShadowedByMerge]
    let reads: Set<ResourceKind>? = [.virtualService]

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        let ordered = mesh.virtualServices.filter { !$0.gatewayBindings.isEmpty }
            .sorted { ($0.resource.file, $0.resource.mark.line, $0.resource.mark.column)
                < ($1.resource.file, $1.resource.mark.line, $1.resource.mark.column) }
        guard ordered.count > 1 else { return }
        /// (gateway, host) → the first VirtualService with a catch-all rule there, and that rule's position.
        var catchAll: [String: (resource: Resource, rule: Int)] = [:]
        var reported = Set<ObjectIdentifier>()
        for vs in ordered {
            let keys = vs.gatewayBindings.flatMap { binding in vs.hosts.map { "\(binding.key) \($0)" } }
            if let first = vs.spec.http.first, !reported.contains(ObjectIdentifier(vs.resource)),
               let (key, earlier) = keys.lazy.compactMap({ key in catchAll[key].map { (key, $0) } }).first,
               earlier.resource !== vs.resource {
                reported.insert(ObjectIdentifier(vs.resource))
                let host = key.split(separator: " ", maxSplits: 1).last.map(String.init) ?? key
                let gateway = key.split(separator: " ").first.map(String.init) ?? ""
                sink.report(Codes.virtualServiceShadowedByMerge, vs.resource, at: first.mark, path: "spec.http[0]",
                            "no rule here is reachable on Gateway \(gateway) for \(host): VirtualService "
                            + "\(earlier.resource.namespace)/\(earlier.resource.name) is merged first (\(earlier.resource.file)) "
                            + "and its rule http[\(earlier.rule)] takes every request",
                            hint: "give the earlier rule a match, merge the rules into one VirtualService, or use a different host")
            }
            guard let rule = vs.spec.http.firstIndex(where: { $0.match.isEmpty || $0.match.contains(where: \.isCatchAll) }) else { continue }
            for key in keys where catchAll[key] == nil { catchAll[key] = (vs.resource, rule) }
        }
    }
}
