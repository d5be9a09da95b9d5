import MeshIR
import MeshModel
import MeshValidate

/// Lowers one Istio match to an IR match, or nil when it cannot apply on
/// this proxy (its `gateways`, `port` or `sourceLabels` exclude it).
enum MatchLowering {
    static func match(_ match: HTTPMatchRequest?, _ ref: RuleRef, proxy: GatewayProxy, _ state: inout CompileState) -> RouteMatch? {
        guard let match else { return RouteMatch() }
        let resource = ref.virtualService.resource
        if !match.gateways.isEmpty {
            let keys = match.gateways.map { ref -> String in
                if ref.value == "mesh" { return "mesh" }
                let parts = Hosts.gatewayRef(ref.value, defaultNamespace: resource.namespace)
                return "\(parts.namespace)/\(parts.name)"
            }
            guard keys.contains(ref.gatewayKey) else { return nil }
        }
        if let port = match.port?.value, port != ref.port { return nil }
        if let labels = match.sourceLabels, !labels.selects(proxy.labels) { return nil }
        if match.sourceNamespace != nil {
            state.note("sourceNamespace matches are not built yet; the match is left out", in: resource, at: match.mark)
            return nil
        }
        var result = RouteMatch()
        if let uri = match.uri, let value = uri.value?.value {
            switch uri.kind {
            case .exact: result.path = .exact(value)
            case .regex: result.path = .regex(value)
            default: result.path = .prefix(value)
            }
        }
        result.caseSensitive = !(match.ignoreUriCase?.value ?? false)
        var headers: [HeaderMatch] = []
        for (name, condition) in [(":method", match.method), (":authority", match.authority), (":scheme", match.scheme)] {
            if let matcher = condition.flatMap(matcher) { headers.append(HeaderMatch(name: name, matcher: matcher)) }
        }
        // Istio: an empty StringMatch on a header or query parameter asks only that it is present.
        for entry in match.headers {
            headers.append(HeaderMatch(name: entry.key.value.lowercased(), matcher: matcher(entry.value) ?? .present))
        }
        for entry in match.withoutHeaders {
            headers.append(HeaderMatch(name: entry.key.value.lowercased(), matcher: matcher(entry.value) ?? .present, inverted: true))
        }
        result.headers = headers.sorted { ($0.name, $0.inverted ? 1 : 0) < ($1.name, $1.inverted ? 1 : 0) }
        result.queryParameters = match.queryParams.map { entry in (entry.key.value, matcher(entry.value) ?? .present) }
            .sorted { $0.0 < $1.0 }
        return result
    }

    static func matcher(_ match: StringMatch) -> StringMatcher? {
        guard let value = match.value?.value else { return nil }
        switch match.kind {
        case .exact: return .exact(value)
        case .prefix: return .prefix(value)
        case .regex: return .regex(value)
        case nil: return nil
        }
    }
}
