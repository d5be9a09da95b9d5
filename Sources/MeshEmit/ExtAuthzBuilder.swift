import MeshDiagnostics
import MeshIR

/// Istio's CUSTOM action: a shadow RBAC filter marks the requests the
/// CUSTOM rules match (its shadow rules come with the routes, as every
/// rule does, `RBACBuilder.perRoute`), and the ext_authz filter after it
/// checks only those with the provider's service (`filter_enabled_metadata`).
enum ExtAuthzBuilder {
    static let shadowFilter = "meshc.authz.custom"
    static let filter = "meshc.authz.ext_authz"
    /// The key prefix the shadow filter writes its matched policy under, and the rule name prefix: Istio's.
    static let shadowPrefix = "istio_ext_authz_"
    static let rulePrefix = "istio-ext-authz-"

    /// The shadow RBAC filter and the ext_authz filter of a chain with CUSTOM policies.
    static func filters(_ custom: CustomAuthorization) -> [JSON] {
        [
            .object(["name": .string(shadowFilter), "typed_config": JSON.object([:]).typed(EnvoyType.httpRBAC)]),
            .object(["name": .string(filter), "typed_config": config(custom.service).typed(EnvoyType.extAuthz)]),
        ]
    }

    /// The shadow filter's per-route config: the CUSTOM rules as shadow ALLOW rules.
    static func perRoute(_ custom: CustomAuthorization) -> JSON {
        JSON.object(["rbac": .object([
            "shadow_rules": .object(["action": .string("ALLOW"), "policies": RBACBuilder.policies(custom.rules, prefix: rulePrefix)]),
            "shadow_rules_stat_prefix": .string(shadowPrefix),
        ])]).typed(EnvoyType.httpRBACPerRoute)
    }

    private static func config(_ service: ExtAuthzService) -> JSON {
        func patterns(_ names: [String]) -> JSON {
            .object(["patterns": .array(names.map { .object(["exact": .string($0), "ignore_case": .bool(true)]) })])
        }
        var http: JSONObject = [
            "server_uri": .object(["uri": .string(service.uri), "cluster": .string(service.cluster),
                                   "timeout": .duration(milliseconds: service.timeoutMs)]),
        ]
        if let prefix = service.pathPrefix { http["path_prefix"] = .string(prefix) }
        var request: JSONObject = [:]
        if !service.requestHeaders.isEmpty { request["allowed_headers"] = patterns(service.requestHeaders) }
        if !service.additionalHeaders.isEmpty {
            request["headers_to_add"] = .array(service.additionalHeaders.map { .object(["key": .string($0.name), "value": .string($0.value)]) })
        }
        if !request.isEmpty { http["authorization_request"] = .object(request) }
        var response: JSONObject = [:]
        if !service.headersToUpstreamOnAllow.isEmpty { response["allowed_upstream_headers"] = patterns(service.headersToUpstreamOnAllow) }
        if !service.headersToDownstreamOnDeny.isEmpty { response["allowed_client_headers"] = patterns(service.headersToDownstreamOnDeny) }
        if !service.headersToDownstreamOnAllow.isEmpty {
            response["allowed_client_headers_on_success"] = patterns(service.headersToDownstreamOnAllow)
        }
        if !response.isEmpty { http["authorization_response"] = .object(response) }
        var members: JSONObject = [
            "http_service": .object(http),
            "transport_api_version": .string("V3"),
            "failure_mode_allow": .bool(service.failOpen),
            "filter_enabled_metadata": .object([
                "filter": .string(EnvoyFilter.rbacMetadata),
                "path": .array([.object(["key": .string(shadowPrefix + "shadow_effective_policy_id")])]),
                "value": .object(["string_match": .object(["prefix": .string(rulePrefix)])]),
            ]),
        ]
        if let status = service.statusOnError { members["status_on_error"] = .object(["code": .int(status)]) }
        if let body = service.body {
            members["with_request_body"] = .object([
                "max_request_bytes": .int(body.maxBytes), "allow_partial_message": .bool(body.allowPartial),
                "pack_as_bytes": .bool(body.packAsBytes),
            ])
        }
        return .object(members)
    }
}

extension EnvoyType {
    static let extAuthz = "type.googleapis.com/envoy.extensions.filters.http.ext_authz.v3.ExtAuthz"
}

extension EnvoyFilter {
    /// The dynamic metadata namespace RBAC filters write their (shadow) results under, whatever the filter's name.
    static let rbacMetadata = "envoy.filters.http.rbac"
}
