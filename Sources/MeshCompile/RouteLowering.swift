import MeshIR
import MeshModel
import MeshValidate

/// Lowers one merged http rule to IR routes: one route per match it keeps
/// on this proxy (a rule without matches matches everything).
enum RouteLowering {
    /// Istio's default retry conditions.
    static let defaultRetryOn = "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes"

    static func routes(_ ref: RuleRef, proxy: GatewayProxy, _ state: inout CompileState) -> [Route] {
        let rule = ref.rule
        let resource = ref.virtualService.resource
        if rule.delegate != nil {
            state.note("delegate rules are not built yet; the rule is left out", in: resource, at: rule.mark)
            return []
        }
        if rule.mirror != nil || !rule.mirrors.isEmpty || rule.corsPolicy != nil {
            state.note("mirror and corsPolicy are not built yet and are ignored", in: resource, at: rule.mark)
        }
        guard let action = action(ref, &state) else { return [] }
        let matches: [HTTPMatchRequest?] = rule.match.isEmpty ? [nil] : rule.match
        let source = Route.Source(file: resource.file, line: Int(rule.mark.line), virtualService: "\(resource.namespace)/\(resource.name)")
        let name = rule.name?.value ?? "\(resource.namespace)/\(resource.name)/\(ref.position)"
        var result: [Route] = []
        for match in matches {
            guard let lowered = MatchLowering.match(match, ref, proxy: proxy, &state) else { continue }
            var route = Route(name: name, match: lowered, action: action, source: source)
            route.timeoutMs = rule.timeout.flatMap { GoDuration.milliseconds($0.value) } ?? 0
            if case .redirect = action {} else if case .directResponse = action {} else {
                route.retries = retries(rule.retries)
                route.fault = fault(rule.fault, resource, &state)
                route.rewrite = rewrite(rule.rewrite)
            }
            route.requestHeaders = operations(rule.headers?.request)
            route.responseHeaders = operations(rule.headers?.response)
            result.append(route)
        }
        return result
    }

    private static func action(_ ref: RuleRef, _ state: inout CompileState) -> RouteAction? {
        let rule = ref.rule
        if let redirect = rule.redirect {
            return .redirect(Redirect(path: redirect.uri?.value, host: redirect.authority?.value, port: redirect.port?.value,
                                      scheme: redirect.scheme?.value, status: redirect.redirectCode?.value ?? 301))
        }
        if let response = rule.directResponse {
            if response.body?.bytes != nil {
                state.note("directResponse bytes bodies are not built yet; the body is left out", in: ref.virtualService.resource, at: response.mark)
            }
            return .directResponse(status: response.status?.value ?? 200, body: response.body?.string?.value)
        }
        if rule.route.contains(where: { $0.headers != nil }) {
            state.note("per-destination headers are not built yet and are ignored", in: ref.virtualService.resource, at: rule.mark)
        }
        // Istio leaves out zero-weight destinations of a split.
        let shares = (state.destinations[ObjectIdentifier(rule)] ?? []).filter { $0.weight > 0 }
        if shares.count == 1 { return .cluster(shares[0].key.name) }
        guard shares.count > 1 else {
            state.note("the rule has no destination with a weight above 0; it is left out", in: ref.virtualService.resource, at: rule.mark)
            return nil
        }
        return .weighted(shares.map { WeightedCluster(cluster: $0.key.name, weight: $0.weight) })
    }

    /// Istio's defaults: 2 attempts on connect failures and 503s; `attempts: 0` turns retries off.
    static func retries(_ retry: HTTPRetry?) -> RetryPolicy? {
        guard let retry else { return RetryPolicy(attempts: 2, retryOn: defaultRetryOn, retriableStatusCodes: [503]) }
        let attempts = retry.attempts?.value ?? 2
        guard attempts > 0 else { return nil }
        var conditions: [String] = []
        var codes: [Int] = []
        for part in (retry.retryOn?.value ?? defaultRetryOn).split(separator: ",") {
            let condition = String(part).filter { !$0.isWhitespace }
            if let code = Int(condition) { codes.append(code) } else if !condition.isEmpty { conditions.append(condition) }
        }
        if retry.retryOn == nil { codes = [503] }
        if !codes.isEmpty, !conditions.contains("retriable-status-codes") { conditions.append("retriable-status-codes") }
        return RetryPolicy(attempts: attempts, retryOn: conditions.joined(separator: ","), retriableStatusCodes: Array(Set(codes)).sorted(),
                           perTryTimeoutMs: retry.perTryTimeout.flatMap { GoDuration.milliseconds($0.value) })
    }

    private static func fault(_ fault: HTTPFaultInjection?, _ resource: Resource, _ state: inout CompileState) -> FaultInjection? {
        guard let fault else { return nil }
        var result = FaultInjection()
        if let delay = fault.delay {
            if let ms = delay.fixedDelay.flatMap({ GoDuration.milliseconds($0.value) }) {
                result.delay = (ms, delay.percentage?.value?.value ?? delay.percent.map { Double($0.value) } ?? 100)
            } else {
                state.note("only fixedDelay faults are built; the delay is left out", in: resource, at: delay.mark)
            }
        }
        if let abort = fault.abort {
            if let status = abort.httpStatus?.value {
                result.abort = (status, abort.percentage?.value?.value ?? 100)
            } else {
                state.note("only httpStatus aborts are built; the abort is left out", in: resource, at: abort.mark)
            }
        }
        return result.delay == nil && result.abort == nil ? nil : result
    }

    private static func rewrite(_ rewrite: HTTPRewrite?) -> Rewrite? {
        guard let rewrite else { return nil }
        var regex: (pattern: String, substitution: String)?
        if let pattern = rewrite.uriRegexRewrite?.match?.value { regex = (pattern, rewrite.uriRegexRewrite?.rewrite?.value ?? "") }
        return Rewrite(pathPrefix: rewrite.uri?.value, regex: regex, authority: rewrite.authority?.value)
    }

    private static func operations(_ ops: MeshModel.HeaderOperations?) -> MeshIR.HeaderOperations {
        guard let ops else { return MeshIR.HeaderOperations() }
        return MeshIR.HeaderOperations(set: ops.set?.dictionary ?? [:], add: ops.add?.dictionary ?? [:], remove: ops.remove.map(\.value))
    }
}
