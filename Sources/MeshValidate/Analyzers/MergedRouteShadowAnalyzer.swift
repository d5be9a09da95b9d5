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

    /// A finding about one VirtualService reads the gateway-bound ones
    /// merged before it: their place in the merge order, names, (gateway,
    /// host) keys and first catch-all rule. A change whose added and removed
    /// gateway-bound VirtualServices agree on all of that (a route edited in
    /// place) leaves the findings about the others as they were.
    func keepsOthers(added: [RoutedVirtualService], removed: [RoutedVirtualService]) -> Bool {
        func signatures(_ list: [RoutedVirtualService]) -> [String] {
            list.filter { !$0.gatewayBindings.isEmpty }.map { vs in
                let resource = vs.resource
                let rule = vs.spec.http.firstIndex(where: Self.takesEveryRequest).map(String.init) ?? "-"
                return [resource.file, "\(resource.mark.line)", "\(resource.mark.column)", resource.namespace, resource.name, rule]
                    .joined(separator: "\u{0}") + "\u{0}" + Self.keys(vs).joined(separator: "\u{0}")
            }.sorted()
        }
        return signatures(added) == signatures(removed)
    }

    /// The findings about `subjects`: for each, the first of its keys that a
    /// VirtualService merged before it takes whole, as the whole run finds it,
    /// without the whole run's keys (strings for every VirtualService).
    func analyze(_ mesh: MeshIndex, subjects: Set<ObjectIdentifier>, _ sink: inout DiagnosticSink) {
        let bound = mesh.virtualServices.filter { !$0.gatewayBindings.isEmpty }
        guard bound.count > 1 else { return }
        // Keys (`namespace/name host`) compare as (gateway, host) pairs below: a space in either could make two pairs one key.
        let space = UInt8(ascii: " ")
        guard !bound.contains(where: { vs in
            vs.hosts.contains { $0.utf8.contains(space) } || vs.gatewayBindings.contains { $0.namespace.utf8.contains(space) || $0.name.utf8.contains(space) }
        }) else {
            wholeRun(mesh, about: subjects, &sink)
            return
        }
        for vs in bound where subjects.contains(ObjectIdentifier(vs.resource)) {
            guard let first = vs.spec.http.first else { continue }
            search: for binding in vs.gatewayBindings {
                let gateway = binding.key
                for host in vs.hosts {
                    // The first VirtualService merged before this one with the key and a catch-all rule.
                    var shadow: (resource: Resource, rule: Int)?
                    for other in bound where other.hosts.contains(host) && other.resource !== vs.resource
                        && other.gatewayBindings.contains(where: { $0.key == gateway })
                        && Self.mergesBefore(other.resource, vs.resource) && shadow.map({ Self.mergesBefore(other.resource, $0.resource) }) ?? true {
                        if let rule = other.spec.http.firstIndex(where: Self.takesEveryRequest) { shadow = (other.resource, rule) }
                    }
                    guard let shadow else { continue }
                    report(vs.resource, at: first.mark, gateway: gateway, host: host, earlier: shadow.resource, rule: shadow.rule, &sink)
                    break search
                }
            }
        }
    }

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        let ordered = mesh.virtualServices.filter { !$0.gatewayBindings.isEmpty }
            .sorted { Self.mergesBefore($0.resource, $1.resource) }
        guard ordered.count > 1 else { return }
        /// (gateway, host) → the first VirtualService with a catch-all rule there, and that rule's position.
        var catchAll: [String: (resource: Resource, rule: Int)] = [:]
        var reported = Set<ObjectIdentifier>()
        for vs in ordered {
            let keys = Self.keys(vs)
            if let first = vs.spec.http.first, !reported.contains(ObjectIdentifier(vs.resource)),
               let (key, earlier) = keys.lazy.compactMap({ key in catchAll[key].map { (key, $0) } }).first,
               earlier.resource !== vs.resource {
                reported.insert(ObjectIdentifier(vs.resource))
                let host = key.split(separator: " ", maxSplits: 1).last.map(String.init) ?? key
                let gateway = key.split(separator: " ").first.map(String.init) ?? ""
                report(vs.resource, at: first.mark, gateway: gateway, host: host, earlier: earlier.resource, rule: earlier.rule, &sink)
            }
            guard let rule = vs.spec.http.firstIndex(where: Self.takesEveryRequest) else { continue }
            for key in keys where catchAll[key] == nil { catchAll[key] = (vs.resource, rule) }
        }
    }

    /// The merge order: file, then position in it.
    private static func mergesBefore(_ a: Resource, _ b: Resource) -> Bool {
        (a.file, a.mark.line, a.mark.column) < (b.file, b.mark.line, b.mark.column)
    }

    /// `gateway host` for each Gateway the VirtualService binds and each of its hosts, in that order.
    private static func keys(_ vs: RoutedVirtualService) -> [String] {
        vs.gatewayBindings.flatMap { binding in vs.hosts.map { "\(binding.key) \($0)" } }
    }

    /// A rule with no match, or a match that constrains nothing.
    private static func takesEveryRequest(_ rule: HTTPRoute) -> Bool {
        rule.match.isEmpty || rule.match.contains(where: \.isCatchAll)
    }

    private func report(_ resource: Resource, at mark: Mark, gateway: String, host: String, earlier: Resource, rule: Int,
                        _ sink: inout DiagnosticSink) {
        sink.report(Codes.virtualServiceShadowedByMerge, resource, at: mark, path: "spec.http[0]",
                    "no rule here is reachable on Gateway \(gateway) for \(host): VirtualService "
                    + "\(earlier.namespace)/\(earlier.name) is merged first (\(earlier.file)) "
                    + "and its rule http[\(rule)] takes every request",
                    hint: "give the earlier rule a match, merge the rules into one VirtualService, or use a different host")
    }
}
