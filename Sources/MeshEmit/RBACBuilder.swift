import MeshDiagnostics
import MeshIR

/// Envoy RBAC filters from a chain's `Authorization`: one filter per action,
/// in Istio's order (AUDIT logs first, so a denied request is still
/// logged; then DENY; then ALLOW). HTTP chains get
/// `envoy.filters.http.rbac`, TCP chains `envoy.filters.network.rbac`.
enum RBACBuilder {
    /// The RBAC filters, in order; none when nothing is enforced.
    static func filters(_ authorization: Authorization?, network statPrefix: String? = nil) -> [JSON] {
        guard let authorization else { return [] }
        var result: [JSON] = []
        if let audit = authorization.audit { result.append(filter("LOG", audit, network: statPrefix)) }
        if let deny = authorization.deny { result.append(filter("DENY", deny, network: statPrefix)) }
        if let allow = authorization.allow { result.append(filter("ALLOW", allow, network: statPrefix)) }
        return result
    }

    private static func filter(_ action: String, _ rules: [AuthorizationRuleIR], network statPrefix: String?) -> JSON {
        var policies: [String: JSON] = [:]
        for rule in rules {
            policies[rule.name] = .object([
                "permissions": .array([permission(rule.permission)]),
                "principals": .array([principal(rule.principal)]),
            ])
        }
        var config: [String: JSON] = ["rules": .object(["action": .string(action), "policies": .object(policies)])]
        if let statPrefix {
            config["stat_prefix"] = .string(statPrefix)
            return .object(["name": .string(EnvoyFilter.networkRBAC), "typed_config": JSON.object(config).typed(EnvoyType.networkRBAC)])
        }
        return .object(["name": .string(EnvoyFilter.httpRBAC), "typed_config": JSON.object(config).typed(EnvoyType.httpRBAC)])
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
        var entries: [String: JSON] = [:]
        for provider in providers { entries[provider.name] = self.provider(provider) }
        let requirements: [JSON] = providers.map { .object(["provider_name": .string($0.name)]) } + [.object(["allow_missing": .object([:])])]
        let config: [String: JSON] = [
            "providers": .object(entries),
            "rules": .array([.object([
                "match": .object(["prefix": .string("/")]),
                "requires": .object(["requires_any": .object(["requirements": .array(requirements)])]),
            ])]),
        ]
        return .object(["name": .string(EnvoyFilter.jwtAuthn), "typed_config": JSON.object(config).typed(EnvoyType.jwtAuthn)])
    }

    private static func provider(_ provider: JWTProvider) -> JSON {
        var members: [String: JSON] = [
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
                var entry: [String: JSON] = ["name": .string(header.name)]
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
