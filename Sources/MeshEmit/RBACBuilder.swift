import MeshDiagnostics
import MeshIR

/// Envoy RBAC filters from a chain's `Authorization`: one filter per action,
/// in Istio's order (AUDIT logs first, so a denied request is still
/// logged; then DENY; then ALLOW). HTTP chains get
/// `envoy.filters.http.rbac`, TCP chains `envoy.filters.network.rbac`.
///
/// On HTTP chains the filters are always there and enforce nothing by
/// themselves (no `rules`); the rules come with the route configuration
/// (`perRoute`, RDS), so a policy change reaches requests on open
/// connections at once and drains no listener. TCP chains have no routes:
/// their rules are in the network filters, and a change is a listener change.
enum RBACBuilder {
    /// The actions in filter order, with the HTTP filter's name (the key of its per-route config).
    static let actions: [(action: String, filter: String)] = [
        ("LOG", "meshc.authz.audit"), ("DENY", "meshc.authz.deny"), ("ALLOW", "meshc.authz.allow"),
    ]

    /// The rules of `action` (RBAC's name: LOG for AUDIT); nil when no policy of that action applies.
    private static func rules(of action: String, in authorization: Authorization) -> [AuthorizationRuleIR]? {
        switch action {
        case "LOG": authorization.audit
        case "DENY": authorization.deny
        default: authorization.allow
        }
    }

    /// The HTTP RBAC filters of an enforcing chain: one per action, without rules.
    static let httpFilters: [JSON] = actions.map { entry in
        .object(["name": .string(entry.filter), "typed_config": JSON.object([:]).typed(EnvoyType.httpRBAC)])
    }

    /// The route configuration's `typed_per_filter_config`: each action's rules for its filter.
    static func perRoute(_ authorization: Authorization) -> JSONObject {
        var result: JSONObject = [:]
        if let custom = authorization.custom { result[ExtAuthzBuilder.shadowFilter] = ExtAuthzBuilder.perRoute(custom) }
        for entry in actions {
            guard let rules = rules(of: entry.action, in: authorization) else { continue }
            result[entry.filter] = JSON.object(["rbac": .object(["rules": self.rules(entry.action, rules)])]).typed(EnvoyType.httpRBACPerRoute)
        }
        return result
    }

    /// The network RBAC filters of a TCP chain, in order; none when nothing is enforced.
    static func networkFilters(_ authorization: Authorization?, statPrefix: String) -> [JSON] {
        guard let authorization else { return [] }
        return actions.compactMap { entry in
            guard let rules = rules(of: entry.action, in: authorization) else { return nil }
            let config: JSON = .object(["stat_prefix": .string(statPrefix), "rules": self.rules(entry.action, rules)])
            return .object(["name": .string(EnvoyFilter.networkRBAC), "typed_config": config.typed(EnvoyType.networkRBAC)])
        }
    }

    /// An RBAC `rules` value: the action and one policy per rule.
    private static func rules(_ action: String, _ rules: [AuthorizationRuleIR]) -> JSON {
        .object(["action": .string(action), "policies": policies(rules)])
    }

    /// One RBAC policy per rule, named `prefix` + the rule's name.
    static func policies(_ rules: [AuthorizationRuleIR], prefix: String = "") -> JSON {
        var policies: JSONObject = [:]
        for rule in rules {
            policies[prefix + rule.name] = .object([
                "permissions": .array([permission(rule.permission)]),
                "principals": .array([principal(rule.principal)]),
            ])
        }
        return .object(policies)
    }

    /// A match as an RBAC `Permission`.
    static func permission(_ match: AccessMatch) -> JSON {
        switch match {
        case .any: return .object(["any": .bool(true)])
        case .and(let parts): return .object(["and_rules": .object(["rules": .array(parts.map(permission))])])
        case .or(let parts): return .object(["or_rules": .object(["rules": .array(parts.map(permission))])])
        case .not(let inner): return .object(["not_rule": permission(inner)])
        case .destinationIP(let block): return .object(["destination_ip": cidr(block)])
        case .serverName(let text): return .object(["requested_server_name": string(text)])
        case .pathTemplate(let template):
            return .object(["uri_template": .object([
                "name": .string("uri-template"),
                "typed_config": JSON.object(["path_template": .string(template)]).typed(EnvoyType.uriTemplateMatch),
            ])])
        default: return common(match) ?? .object(["any": .bool(true)])
        }
    }

    /// A match as an RBAC `Principal`.
    static func principal(_ match: AccessMatch) -> JSON {
        switch match {
        case .any: return .object(["any": .bool(true)])
        case .and(let parts): return .object(["and_ids": .object(["ids": .array(parts.map(principal))])])
        case .or(let parts): return .object(["or_ids": .object(["ids": .array(parts.map(principal))])])
        case .not(let inner): return .object(["not_id": principal(inner)])
        case .principal(let text): return .object(["authenticated": .object(["principal_name": string(text)])])
        case .directRemoteIP(let block): return .object(["direct_remote_ip": cidr(block)])
        case .remoteIP(let block): return .object(["remote_ip": cidr(block)])
        default: return common(match) ?? .object(["any": .bool(true)])
        }
    }

    /// Matches both trees spell the same way.
    private static func common(_ match: AccessMatch) -> JSON? {
        switch match {
        case .header(let name, let text): return .object(["header": .object(["name": .string(name), "string_match": string(text)])])
        case .path(let text): return .object(["url_path": .object(["path": string(text)])])
        case .metadata(let filter, let path, let text, let list):
            let single: JSON = text == .present ? .object(["present_match": .bool(true)]) : .object(["string_match": string(text)])
            let value: JSON = list
                ? .object(["or_match": .object(["value_matchers": .array([single, .object(["list_match": .object(["one_of": single])])])])])
                : single
            return .object(["metadata": .object([
                "filter": .string(filter), "path": .array(path.map { .object(["key": .string($0)]) }), "value": value,
            ])])
        default: return nil
        }
    }

    /// A `StringMatcher`.
    static func string(_ text: TextMatch) -> JSON {
        switch text {
        case .exact(let value): .object(["exact": .string(value)])
        case .prefix(let value): .object(["prefix": .string(value)])
        case .suffix(let value): .object(["suffix": .string(value)])
        case .regex(let value): .object(["safe_regex": .object(["regex": .string(value)])])
        case .present: .object(["safe_regex": .object(["regex": .string(".+")])])
        }
    }

    private static func cidr(_ block: CIDRBlock) -> JSON {
        .object(["address_prefix": .string(block.address), "prefix_len": .int(block.prefixLength)])
    }
}

/// Envoy's `jwt_authn` filter from a chain's JWT providers (RequestAuthentication):
/// a token, if there is one, must verify with one provider (401 otherwise);
/// none passes on without a request principal, as in Istio.
enum JWTAuthnBuilder {
    static func filter(_ providers: [JWTProvider]) -> JSON? {
        guard !providers.isEmpty else { return nil }
        var entries: JSONObject = [:]
        for provider in providers { entries[provider.name] = self.provider(provider) }
        let requirements: [JSON] = providers.map { .object(["provider_name": .string($0.name)]) } + [.object(["allow_missing": .object([:])])]
        let config: JSONObject = [
            "providers": .object(entries),
            "rules": .array([.object([
                "match": .object(["prefix": .string("/")]),
                "requires": .object(["requires_any": .object(["requirements": .array(requirements)])]),
            ])]),
        ]
        return .object(["name": .string(EnvoyFilter.jwtAuthn), "typed_config": JSON.object(config).typed(EnvoyType.jwtAuthn)])
    }

    private static func provider(_ provider: JWTProvider) -> JSON {
        var members: JSONObject = [
            "forward": .bool(provider.forwardOriginalToken),
            "payload_in_metadata": .string(JWTProvider.payloadKey),
        ]
        if let issuer = provider.issuer, !issuer.isEmpty { members["issuer"] = .string(issuer) }
        if !provider.audiences.isEmpty { members["audiences"] = .array(provider.audiences.map(JSON.string)) }
        switch provider.keys {
        case .inline(let jwks):
            members["local_jwks"] = .object(["inline_string": .string(jwks)])
        case .remote(let uri, let cluster, let timeoutMs):
            members["remote_jwks"] = .object([
                "http_uri": .object(["uri": .string(uri), "cluster": .string(cluster), "timeout": .duration(milliseconds: timeoutMs)]),
                "cache_duration": .string("300s"),
                // Fetched when the listener starts (it warms until the first answer or failure), not on the first request.
                "async_fetch": .object([:]),
            ])
        }
        if !provider.fromHeaders.isEmpty {
            members["from_headers"] = .array(provider.fromHeaders.map { header in
                var entry: JSONObject = ["name": .string(header.name)]
                if !header.prefix.isEmpty { entry["value_prefix"] = .string(header.prefix) }
                return .object(entry)
            })
        }
        if !provider.fromParams.isEmpty { members["from_params"] = .array(provider.fromParams.map(JSON.string)) }
        if !provider.fromCookies.isEmpty { members["from_cookies"] = .array(provider.fromCookies.map(JSON.string)) }
        if let header = provider.payloadHeader, !header.isEmpty { members["forward_payload_header"] = .string(header) }
        if !provider.claimHeaders.isEmpty {
            members["claim_to_headers"] = .array(provider.claimHeaders.map {
                .object(["header_name": .string($0.header), "claim_name": .string($0.claim)])
            })
        }
        return .object(members)
    }
}
