import MeshDiagnostics
@testable import MeshEmit
import MeshIR
import MeshTestSupport
import Testing

/// Virtual hosts and their routes are written straight to bytes
/// (`RouteWriter`, `JSONWriter`), members in key order by hand. Over random
/// hosts with every option, the bytes must be what the `JSON` tree of the
/// same host renders (`Reference`: the tree builders the writer replaced,
/// kept here as its specification).
@Suite struct RouteRenderTests {
    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func writtenHostsAreTheCanonicalRenderingOfTheirTrees(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        for index in 0..<300 {
            let host = Self.randomHost(&random, index)
            let tree = Reference.virtualHost(host)
            #expect(VirtualHostBuilder.render(host).text == tree.rendered(), "host \(index): \(host)")
            #expect(VirtualHostBuilder.build(host) == tree, "the tree of host \(index)")
        }
    }

    @Test func aRouteConfigurationOfWrittenHostsIsTheTreeOfTheirs() {
        var random = SeededGenerator(seed: 9)
        let hosts = (0..<40).map { Self.randomHost(&random, $0) }
        let config = RouteConfig(name: "outbound", virtualHosts: hosts)
        let expected: JSON = .object([
            "name": .string("outbound"),
            "virtual_hosts": .array(hosts.sorted { $0.name < $1.name }.map(Reference.virtualHost)),
            "validate_clusters": .bool(true),
        ])
        #expect(RouteConfigurationBuilder.build(config, validateClusters: true) == expected)
        let resource = RouteConfigurationBuilder.resource(config).0
        #expect(resource.bytes == expected.typed(EnvoyType.routeConfiguration).rendered())
    }

    static let awkward = ClusterRenderTests.awkward

    static func randomHost(_ random: inout SeededGenerator, _ index: Int) -> VirtualHost {
        func pick<T>(_ values: [T]) -> T { values.randomElement(using: &random)! }
        func coin() -> Bool { Bool.random(using: &random) }
        func text() -> String { coin() ? pick(awkward) : "v\(Int.random(in: 0...999, using: &random))" }
        func matcher() -> StringMatcher { pick([.exact(text()), .prefix(text()), .regex("^a.*" + text()), .present]) }
        func headerOps() -> HeaderOperations {
            guard coin() else { return HeaderOperations() }
            var ops = HeaderOperations()
            for _ in 0..<Int.random(in: 0...2, using: &random) { ops.set["x-set-\(text())"] = text() }
            for _ in 0..<Int.random(in: 0...2, using: &random) { ops.add["x-add-\(text())"] = text() }
            ops.remove = (0..<Int.random(in: 0...2, using: &random)).map { _ in "x-rm-\(Int.random(in: 0...9, using: &random))\(text())" }
            return ops
        }
        let routes = (0..<Int.random(in: 0...4, using: &random)).map { position -> Route in
            var match = RouteMatch(path: pick([.prefix("/" + text()), .exact("/x/" + text()), .regex("/r/[0-9]+" + text())]),
                                   caseSensitive: coin())
            match.headers = (0..<Int.random(in: 0...2, using: &random)).map { _ in HeaderMatch(name: text(), matcher: matcher(), inverted: coin()) }
            match.queryParameters = (0..<Int.random(in: 0...2, using: &random)).map { _ in (name: text(), matcher: matcher()) }
            let action: RouteAction = switch Int.random(in: 0...3, using: &random) {
            case 0: .cluster("outbound|80||\(text()).svc.cluster.local")
            case 1:
                .weighted((1...Int.random(in: 1...3, using: &random)).map { share in
                    WeightedCluster(cluster: "outbound|80|v\(share)|\(text())", weight: Int.random(in: 0...100, using: &random),
                                    headers: DestinationHeaders(request: headerOps(), response: headerOps(), authority: coin() ? text() : nil))
                })
            case 2:
                .redirect(Redirect(path: coin() ? "/" + text() : nil, host: coin() ? text() : nil, port: coin() ? 8443 : nil,
                                   scheme: coin() ? "https" : nil, status: pick([301, 302, 303, 307, 308])))
            default: .directResponse(status: pick([200, 404, 503]), body: coin() ? text() : nil)
            }
            var route = Route(name: index % 5 == 0 ? text() : "ns/vs-\(index)/\(position)", match: match, action: action,
                              timeoutMs: pick([0, 250, 1000, 15_001]), source: Route.Source(file: "f.yaml", line: 1, virtualService: "ns/vs"))
            if coin() {
                route.retries = RetryPolicy(attempts: pick([0, 2, 5]), retryOn: "connect-failure,retriable-status-codes",
                                            retriableStatusCodes: coin() ? [503, 504] : [], perTryTimeoutMs: coin() ? 2500 : nil)
            }
            if coin() {
                route.fault = FaultInjection(delay: coin() ? (milliseconds: 5000, percent: pick([0.1, 50, 100])) : nil,
                                             abort: coin() ? (status: 503, percent: pick([0.001, 33.3, 100])) : nil)
            }
            route.requestHeaders = headerOps()
            route.responseHeaders = headerOps()
            if coin() {
                route.rewrite = Rewrite(pathPrefix: coin() ? "/" + text() : nil, regex: coin() ? (pattern: "^/a(.*)", substitution: "/b\\1") : nil,
                                        authority: coin() ? text() : nil)
            }
            route.mirrors = (0..<Int.random(in: 0...2, using: &random)).map { _ in RequestMirror(cluster: text(), percent: pick([100, 12.5])) }
            if coin() {
                route.cors = CorsPolicy(allowOrigins: (0..<Int.random(in: 0...2, using: &random)).map { _ in matcher() },
                                        allowMethods: coin() ? ["GET", "POST"] : [], allowHeaders: coin() ? [text()] : [],
                                        exposeHeaders: coin() ? ["x-a", text()] : [], maxAgeSeconds: coin() ? 86_400 : nil,
                                        allowCredentials: coin() ? coin() : nil, forwardUnmatchedPreflights: coin())
            }
            route.hashPolicies = (0..<Int.random(in: 0...2, using: &random)).map { _ in
                pick([.header(text()), .cookie(name: text(), path: coin() ? "/" : nil, ttlMs: coin() ? 60_000 : nil), .sourceIP,
                      .queryParameter(text())])
            }
            return route
        }
        let name = index % 9 == 0 ? pick(awkward) : "svc-\(index).ns.svc.cluster.local:80"
        return VirtualHost(name: name, domains: (0..<Int.random(in: 0...4, using: &random)).map { _ in text() }, routes: routes,
                           requireTLS: coin())
    }

    /// The `JSON` tree builders the writer replaced: a host's meaning, member by member.
    enum Reference {
        static func virtualHost(_ host: VirtualHost) -> JSON {
            var members: JSONObject = [
                "name": .string(host.name),
                "domains": .array(host.domains.sorted().map(JSON.string)),
                "routes": .array(host.routes.map(route)),
            ]
            if host.requireTLS { members["require_tls"] = .string("ALL") }
            return .object(members)
        }

        static func route(_ route: Route) -> JSON {
            var members: JSONObject = ["name": .string(route.name), "match": match(route.match)]
            switch route.action {
            case .cluster, .weighted: members["route"] = action(route)
            case .redirect(let redirect): members["redirect"] = self.redirect(redirect)
            case .directResponse(let status, let body):
                var response: JSONObject = ["status": .int(status)]
                if let body { response["body"] = .object(["inline_string": .string(body)]) }
                members["direct_response"] = .object(response)
            }
            var perFilter: JSONObject = [:]
            if let fault = route.fault { perFilter[EnvoyFilter.fault] = self.fault(fault) }
            if let cors = route.cors { perFilter[EnvoyFilter.cors] = self.cors(cors) }
            if !perFilter.isEmpty { members["typed_per_filter_config"] = .object(perFilter) }
            addHeaders(route.requestHeaders, prefix: "request", to: &members)
            addHeaders(route.responseHeaders, prefix: "response", to: &members)
            return .object(members)
        }

        static func match(_ match: RouteMatch) -> JSON {
            var members: JSONObject = [:]
            switch match.path {
            case .prefix(let value): members["prefix"] = .string(value)
            case .exact(let value): members["path"] = .string(value)
            case .regex(let value): members["safe_regex"] = .object(["regex": .string(value)])
            }
            if !match.caseSensitive { members["case_sensitive"] = .bool(false) }
            if !match.headers.isEmpty {
                members["headers"] = .array(match.headers.map { header in
                    var object = matcher(header.name, header.matcher)
                    if header.inverted { object["invert_match"] = .bool(true) }
                    return .object(object)
                })
            }
            if !match.queryParameters.isEmpty {
                members["query_parameters"] = .array(match.queryParameters.map { .object(matcher($0.name, $0.matcher)) })
            }
            return .object(members)
        }

        static func matcher(_ name: String, _ matcher: StringMatcher) -> JSONObject {
            if matcher == .present { return ["name": .string(name), "present_match": .bool(true)] }
            return ["name": .string(name), "string_match": stringMatch(matcher)]
        }

        static func stringMatch(_ matcher: StringMatcher) -> JSON {
            switch matcher {
            case .exact(let value): .object(["exact": .string(value)])
            case .prefix(let value): .object(["prefix": .string(value)])
            case .regex(let value): .object(["safe_regex": .object(["regex": .string(value)])])
            case .present: .object(["safe_regex": .object(["regex": .string(".*")])])
            }
        }

        static func redirect(_ redirect: Redirect) -> JSON {
            let codes = [302: "FOUND", 303: "SEE_OTHER", 307: "TEMPORARY_REDIRECT", 308: "PERMANENT_REDIRECT"]
            var members: JSONObject = ["response_code": .string(codes[redirect.status] ?? "MOVED_PERMANENTLY")]
            if let path = redirect.path { members["path_redirect"] = .string(path) }
            if let host = redirect.host { members["host_redirect"] = .string(host) }
            if let port = redirect.port { members["port_redirect"] = .int(port) }
            if let scheme = redirect.scheme { members["scheme_redirect"] = .string(scheme) }
            return .object(members)
        }

        static func addHeaders(_ ops: HeaderOperations, prefix: String, to members: inout JSONObject) {
            guard !ops.isEmpty else { return }
            var add: [JSON] = []
            for (name, value) in ops.set.sorted(by: { $0.key < $1.key }) { add.append(headerOption(name, value, "OVERWRITE_IF_EXISTS_OR_ADD")) }
            for (name, value) in ops.add.sorted(by: { $0.key < $1.key }) { add.append(headerOption(name, value, "APPEND_IF_EXISTS_OR_ADD")) }
            if !add.isEmpty { members["\(prefix)_headers_to_add"] = .array(add) }
            if !ops.remove.isEmpty { members["\(prefix)_headers_to_remove"] = .array(ops.remove.sorted().map(JSON.string)) }
        }

        static func headerOption(_ name: String, _ value: String, _ action: String) -> JSON {
            .object(["header": .object(["key": .string(name), "value": .string(value)]), "append_action": .string(action)])
        }

        static func action(_ route: Route) -> JSON {
            var members: JSONObject = ["timeout": .duration(milliseconds: route.timeoutMs)]
            switch route.action {
            case .cluster(let name): members["cluster"] = .string(name)
            case .weighted(let shares): members["weighted_clusters"] = .object(["clusters": .array(shares.map(clusterWeight))])
            case .redirect, .directResponse: break
            }
            if !route.mirrors.isEmpty {
                members["request_mirror_policies"] = .array(route.mirrors.map { mirror in
                    .object(["cluster": .string(mirror.cluster), "runtime_fraction": .object(["default_value": percent(mirror.percent)]),
                             "trace_sampled": .bool(false)])
                })
            }
            if !route.hashPolicies.isEmpty { members["hash_policy"] = .array(route.hashPolicies.map(hashPolicy)) }
            if let retries = route.retries { members["retry_policy"] = retryPolicy(retries) }
            if let rewrite = route.rewrite {
                if let prefix = rewrite.pathPrefix { members["prefix_rewrite"] = .string(prefix) }
                if let regex = rewrite.regex {
                    members["regex_rewrite"] = .object(["pattern": .object(["regex": .string(regex.pattern)]), "substitution": .string(regex.substitution)])
                }
                if let authority = rewrite.authority { members["host_rewrite_literal"] = .string(authority) }
            }
            return .object(members)
        }

        static func clusterWeight(_ share: WeightedCluster) -> JSON {
            var members: JSONObject = ["name": .string(share.cluster), "weight": .int(share.weight)]
            addHeaders(share.headers.request, prefix: "request", to: &members)
            addHeaders(share.headers.response, prefix: "response", to: &members)
            if let authority = share.headers.authority { members["host_rewrite_literal"] = .string(authority) }
            return .object(members)
        }

        static func hashPolicy(_ policy: HashPolicy) -> JSON {
            switch policy {
            case .header(let name): return .object(["header": .object(["header_name": .string(name)])])
            case .cookie(let name, let path, let ttlMs):
                var cookie: JSONObject = ["name": .string(name)]
                if let path { cookie["path"] = .string(path) }
                if let ttlMs { cookie["ttl"] = .duration(milliseconds: ttlMs) }
                return .object(["cookie": .object(cookie)])
            case .sourceIP: return .object(["connection_properties": .object(["source_ip": .bool(true)])])
            case .queryParameter(let name): return .object(["query_parameter": .object(["name": .string(name)])])
            }
        }

        static func retryPolicy(_ retries: RetryPolicy) -> JSON {
            var members: JSONObject = [
                "retry_on": .string(retries.retryOn),
                "num_retries": .int(retries.attempts),
                "retry_host_predicate": .array([.object([
                    "name": .string("envoy.retry_host_predicates.previous_hosts"),
                    "typed_config": JSON.object([:]).typed(EnvoyType.previousHosts),
                ])]),
                "host_selection_retry_max_attempts": .int(5),
            ]
            if !retries.retriableStatusCodes.isEmpty { members["retriable_status_codes"] = .array(retries.retriableStatusCodes.map(JSON.int)) }
            if let perTry = retries.perTryTimeoutMs { members["per_try_timeout"] = .duration(milliseconds: perTry) }
            return .object(members)
        }

        static func fault(_ fault: FaultInjection) -> JSON {
            var members: JSONObject = [:]
            if let delay = fault.delay {
                members["delay"] = .object(["fixed_delay": .duration(milliseconds: delay.milliseconds), "percentage": percent(delay.percent)])
            }
            if let abort = fault.abort {
                members["abort"] = .object(["http_status": .int(abort.status), "percentage": percent(abort.percent)])
            }
            return JSON.object(members).typed(EnvoyType.fault)
        }

        /// A FractionalPercent out of a million (Istio's precision for percentages).
        static func percent(_ value: Double) -> JSON {
            .object(["numerator": .int(Int((value * 10_000).rounded())), "denominator": .string("MILLION")])
        }

        static func cors(_ policy: CorsPolicy) -> JSON {
            var members: JSONObject = [
                "allow_origin_string_match": .array(policy.allowOrigins.map(stringMatch)),
                "forward_not_matching_preflights": .bool(policy.forwardUnmatchedPreflights),
            ]
            if !policy.allowMethods.isEmpty { members["allow_methods"] = .string(policy.allowMethods.joined(separator: ",")) }
            if !policy.allowHeaders.isEmpty { members["allow_headers"] = .string(policy.allowHeaders.joined(separator: ",")) }
            if !policy.exposeHeaders.isEmpty { members["expose_headers"] = .string(policy.exposeHeaders.joined(separator: ",")) }
            if let seconds = policy.maxAgeSeconds { members["max_age"] = .string(String(seconds)) }
            if let credentials = policy.allowCredentials { members["allow_credentials"] = .bool(credentials) }
            return JSON.object(members).typed(EnvoyType.corsPolicy)
        }
    }
}
