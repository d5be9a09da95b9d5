import MeshIR
import MeshModel
import MeshValidate

/// Lowers one merged http rule to IR routes: one route per match it keeps
/// on this proxy (a rule without matches matches everything).
enum RouteLowering {
    /// Istio's default retry conditions.
    static let defaultRetryOn = "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes"

    /// The routes of `refs` in order, and the clusters of the rules that gave
    /// any (a rule whose matches all belong elsewhere, another Gateway or
    /// `mesh`, gives no route and needs no cluster).
    static func routes(_ refs: [RuleRef], proxy: GatewayProxy, _ state: inout CompileState) -> (routes: [Route], used: [ClusterKey]) {
        var routes: [Route] = []
        var used: [ClusterKey] = []
        for ref in refs {
            let lowered = self.routes(ref, proxy: proxy, &state)
            routes += lowered
            guard !lowered.isEmpty else { continue }
            used += state.resolvedRules[ObjectIdentifier(ref.rule)]?.targets.keys ?? []
        }
        return (routes, used)
    }

    static func routes(_ ref: RuleRef, proxy: GatewayProxy, _ state: inout CompileState) -> [Route] {
        let rule = ref.rule
        let resource = ref.virtualService.resource
        if rule.delegate != nil {
            state.note("delegate rules are not built yet; the rule is left out", in: resource, at: rule.mark)
            return []
        }
        let targets = state.resolvedRules[ObjectIdentifier(rule)]?.targets ?? RuleTargets()
        guard let action = action(ref, targets, &state) else { return [] }
        var headers = RouteFeatures.headers(rule.headers)
        if case .cluster = action, let single = targets.shares.first(where: { $0.weight > 0 }) {
            // Istio: a single destination's header changes apply to the whole route.
            headers = merged(headers, RouteFeatures.headers(single.headers))
        }
        let cors = RouteFeatures.cors(rule.corsPolicy, resource, &state)
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
                route.rewrite = rewrite(rule.rewrite, authority: headers.authority)
                route.mirrors = RouteFeatures.mirrors(targets)
                route.hashPolicies = RouteFeatures.hashPolicies(targets, ref, &state)
            }
            route.requestHeaders = headers.request
            route.responseHeaders = headers.response
            route.cors = cors
            result.append(route)
        }
        return result
    }

    private static func action(_ ref: RuleRef, _ targets: RuleTargets, _ state: inout CompileState) -> RouteAction? {
        let rule = ref.rule
        if let redirect = rule.redirect {
            // FROM_REQUEST_PORT is what Envoy does anyway: keep the request's port.
            if let derive = redirect.derivePort, derive.value == "FROM_PROTOCOL_DEFAULT" {
                state.note("redirect derivePort FROM_PROTOCOL_DEFAULT is not built yet; the request's port is kept (write port instead)",
                           in: ref.virtualService.resource, at: derive.mark)
            }
            return .redirect(Redirect(path: redirect.uri?.value, host: redirect.authority?.value, port: redirect.port?.value,
                                      scheme: redirect.scheme?.value, status: redirect.redirectCode?.value ?? 301))
        }
        if let response = rule.directResponse {
            if response.body?.bytes != nil {
                state.note("directResponse bytes bodies are not built yet; the body is left out", in: ref.virtualService.resource, at: response.mark)
            }
            return .directResponse(status: response.status?.value ?? 200, body: response.body?.string?.value)
        }
        // Istio leaves out zero-weight destinations of a split.
        let shares = targets.shares.filter { $0.weight > 0 }
        if shares.count == 1 { return .cluster(shares[0].key.name) }
        guard shares.count > 1 else {
            state.note("the rule has no destination with a weight above 0; it is left out", in: ref.virtualService.resource, at: rule.mark)
            return nil
        }
        return .weighted(shares.map { WeightedCluster(cluster: $0.key.name, weight: $0.weight, headers: RouteFeatures.headers($0.headers)) })
    }

    /// Istio's defaults: 2 attempts on connect failures and 503s; `attempts: 0` turns retries off.
    static func retries(_ retry: HTTPRetry?) -> RetryPolicy? {
        guard let retry else { return RetryPolicy(attempts: 2, retryOn: defaultRetryOn, retriableStatusCodes: [503]) }
        let attempts = retry.attempts?.value ?? 2
        guard attempts > 0 else { return nil }
        let perTry = retry.perTryTimeout.flatMap { GoDuration.milliseconds($0.value) }
        guard let written = retry.retryOn?.value else {
            return RetryPolicy(attempts: attempts, retryOn: defaultRetryOn, retriableStatusCodes: [503], perTryTimeoutMs: perTry)
        }
        // Most rules write conditions only, comma-separated, no space: Envoy takes the text as it is.
        let (retryOn, codes) = isPlainConditionList(written) ? (written, []) : retryConditions(written)
        return RetryPolicy(attempts: attempts, retryOn: retryOn, retriableStatusCodes: codes, perTryTimeoutMs: perTry)
    }

    /// Istio's `retryOn` read as Envoy's `retry_on` and `retriable_status_codes`: white space
    /// dropped, empty parts left out, numbers taken as status codes (sorted, once each), which
    /// add the `retriable-status-codes` condition.
    static func retryConditions(_ text: String) -> (retryOn: String, codes: [Int]) {
        var conditions: [String] = []
        var codes: [Int] = []
        for part in text.utf8.split(separator: UInt8(ascii: ",")) {
            let condition = Self.withoutWhitespace(part)
            if let code = Int(condition) { codes.append(code) } else if !condition.isEmpty { conditions.append(condition) }
        }
        if !codes.isEmpty, !conditions.contains("retriable-status-codes") { conditions.append("retriable-status-codes") }
        return (conditions.joined(separator: ","), Array(Set(codes)).sorted())
    }

    /// Whether `retryConditions(text)` is `text` itself with no status code: non-empty parts of
    /// lower-case letters, digits and `-` with a letter in each (`503` and `-1` are codes), split by single commas.
    static func isPlainConditionList(_ text: String) -> Bool {
        var partLength = 0, partHasLetter = false
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: ","):
                guard partLength > 0, partHasLetter else { return false }
                partLength = 0
                partHasLetter = false
            case UInt8(ascii: "a")...UInt8(ascii: "z"):
                partLength += 1
                partHasLetter = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"):
                partLength += 1
            default:
                return false
            }
        }
        return partLength > 0 && partHasLetter
    }

    /// `text` without white space; by bytes unless it is not ASCII (every rule's retry conditions are read).
    static func withoutWhitespace(_ text: Substring.UTF8View) -> String {
        guard text.allSatisfy({ $0 < 0x80 }) else { return String(Substring(text)).filter { !$0.isWhitespace } }
        return String(decoding: text.filter { !(UInt8(ascii: "\t")...UInt8(ascii: "\r")).contains($0) && $0 != UInt8(ascii: " ") }, as: UTF8.self)
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

    /// `rewrite.authority` wins over an authority from header changes.
    private static func rewrite(_ rewrite: HTTPRewrite?, authority: String?) -> Rewrite? {
        guard let rewrite else { return authority.map { Rewrite(authority: $0) } }
        var regex: (pattern: String, substitution: String)?
        if let pattern = rewrite.uriRegexRewrite?.match?.value { regex = (pattern, rewrite.uriRegexRewrite?.rewrite?.value ?? "") }
        return Rewrite(pathPrefix: rewrite.uri?.value, regex: regex, authority: rewrite.authority?.value ?? authority)
    }

    /// Route and destination header changes together; the destination's win on the same name.
    private static func merged(_ route: DestinationHeaders, _ destination: DestinationHeaders) -> DestinationHeaders {
        func merge(_ a: MeshIR.HeaderOperations, _ b: MeshIR.HeaderOperations) -> MeshIR.HeaderOperations {
            MeshIR.HeaderOperations(set: a.set.merging(b.set) { $1 }, add: a.add.merging(b.add) { $1 },
                                    remove: Array(Set(a.remove + b.remove)).sorted())
        }
        return DestinationHeaders(request: merge(route.request, destination.request), response: merge(route.response, destination.response),
                                  authority: route.authority ?? destination.authority)
    }
}
