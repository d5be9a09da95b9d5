/// The messages `ProtoJSON` can write: each one's fields by JSON name, with
/// their numbers and types as Envoy's `.proto` files declare them. `routes`
/// covers every field meshc's emitter puts in a route configuration
/// (`ProtoSchemaTests` checks each golden against real Envoy).
package struct ProtoSchema: Sendable {
    package let messages: [String: [String: ProtoField]]

    package init(_ messages: [String: [String: ProtoField]]) { self.messages = messages }

    static let anyType = "google.protobuf.Any"
    static let durationType = "google.protobuf.Duration"
    static let boolValueType = "google.protobuf.BoolValue"
    static let uint32ValueType = "google.protobuf.UInt32Value"
    static let structType = "google.protobuf.Struct"
    static let valueType = "google.protobuf.Value"
}

extension ProtoSchema {
    private typealias F = ProtoField
    private static let route = "envoy.config.route.v3."
    private static let core = "envoy.config.core.v3."
    private static let matcher = "envoy.type.matcher.v3."
    private static let rbac = "envoy.config.rbac.v3."

    private static func m(_ name: String) -> ProtoField.Kind { .message(name) }
    private static let any = m(anyType), duration = m(durationType)
    private static let bool = m(boolValueType), uint32 = m(uint32ValueType)
    private static let stringMatcher = m(matcher + "StringMatcher"), regexMatcher = m(matcher + "RegexMatcher")
    private static let headerValueOption = m(core + "HeaderValueOption"), fractionalPercent = m("envoy.type.v3.FractionalPercent")
    private static let metadata = m(core + "Metadata")

    /// A route configuration and everything meshc's emitter nests in one,
    /// with the `DiscoveryResponse` a `.pb` RDS file holds.
    package static let routes = ProtoSchema([
        "envoy.service.discovery.v3.DiscoveryResponse": [
            "version_info": F(1, .string), "resources": F(2, any, .repeated), "type_url": F(4, .string),
        ],
        route + "RouteConfiguration": [
            "name": F(1, .string), "virtual_hosts": F(2, m(route + "VirtualHost"), .repeated),
            "response_headers_to_add": F(4, headerValueOption, .repeated), "response_headers_to_remove": F(5, .string, .repeated),
            "request_headers_to_add": F(6, headerValueOption, .repeated), "validate_clusters": F(7, bool),
            "request_headers_to_remove": F(8, .string, .repeated), "max_direct_response_body_size_bytes": F(11, uint32),
            "ignore_port_in_host_matching": F(14, .bool), "typed_per_filter_config": F(16, any, .map), "metadata": F(17, metadata),
        ],
        route + "VirtualHost": [
            "name": F(1, .string), "domains": F(2, .string, .repeated), "routes": F(3, m(route + "Route"), .repeated),
            "require_tls": F(4, .enumeration(["NONE": 0, "EXTERNAL_ONLY": 1, "ALL": 2])),
            "request_headers_to_add": F(7, headerValueOption, .repeated), "response_headers_to_add": F(10, headerValueOption, .repeated),
            "response_headers_to_remove": F(11, .string, .repeated), "request_headers_to_remove": F(13, .string, .repeated),
            "include_request_attempt_count": F(14, .bool), "typed_per_filter_config": F(15, any, .map),
            "retry_policy": F(16, m(route + "RetryPolicy")), "include_attempt_count_in_response": F(19, .bool), "metadata": F(24, metadata),
        ],
        route + "Route": [
            "match": F(1, m(route + "RouteMatch")), "route": F(2, m(route + "RouteAction")), "redirect": F(3, m(route + "RedirectAction")),
            "metadata": F(4, metadata), "decorator": F(5, m(route + "Decorator")), "direct_response": F(7, m(route + "DirectResponseAction")),
            "request_headers_to_add": F(9, headerValueOption, .repeated), "response_headers_to_add": F(10, headerValueOption, .repeated),
            "response_headers_to_remove": F(11, .string, .repeated), "request_headers_to_remove": F(12, .string, .repeated),
            "typed_per_filter_config": F(13, any, .map), "name": F(14, .string), "stat_prefix": F(19, .string),
        ],
        route + "Decorator": ["operation": F(1, .string), "propagate": F(2, bool)],
        route + "RouteMatch": [
            "prefix": F(1, .string), "path": F(2, .string), "case_sensitive": F(4, bool), "headers": F(6, m(route + "HeaderMatcher"), .repeated),
            "query_parameters": F(7, m(route + "QueryParameterMatcher"), .repeated), "runtime_fraction": F(9, m(core + "RuntimeFractionalPercent")),
            "safe_regex": F(10, regexMatcher), "path_separated_prefix": F(14, .string), "path_match_policy": F(15, m(core + "TypedExtensionConfig")),
        ],
        route + "HeaderMatcher": [
            "name": F(1, .string), "present_match": F(7, .bool), "invert_match": F(8, .bool), "string_match": F(13, stringMatcher),
            "treat_missing_header_as_empty": F(14, .bool),
        ],
        route + "QueryParameterMatcher": ["name": F(1, .string), "string_match": F(5, stringMatcher), "present_match": F(6, .bool)],
        matcher + "StringMatcher": [
            "exact": F(1, .string), "prefix": F(2, .string), "suffix": F(3, .string), "safe_regex": F(5, regexMatcher),
            "ignore_case": F(6, .bool), "contains": F(7, .string),
        ],
        matcher + "RegexMatcher": ["regex": F(2, .string)],
        matcher + "RegexMatchAndSubstitute": ["pattern": F(1, regexMatcher), "substitution": F(2, .string)],
        route + "RouteAction": [
            "cluster": F(1, .string), "weighted_clusters": F(3, m(route + "WeightedCluster")), "prefix_rewrite": F(5, .string),
            "host_rewrite_literal": F(6, .string), "timeout": F(8, duration), "retry_policy": F(9, m(route + "RetryPolicy")),
            "hash_policy": F(15, m(route + "RouteAction.HashPolicy"), .repeated), "cluster_not_found_response_code": F(20, .enumeration(["SERVICE_UNAVAILABLE": 0, "NOT_FOUND": 1, "INTERNAL_SERVER_ERROR": 2])),
            "idle_timeout": F(24, duration), "request_mirror_policies": F(30, m(route + "RouteAction.RequestMirrorPolicy"), .repeated),
            "regex_rewrite": F(32, m(matcher + "RegexMatchAndSubstitute")), "max_stream_duration": F(36, m(route + "RouteAction.MaxStreamDuration")),
        ],
        route + "RouteAction.RequestMirrorPolicy": [
            "cluster": F(1, .string), "runtime_fraction": F(3, m(core + "RuntimeFractionalPercent")), "trace_sampled": F(4, bool),
        ],
        route + "RouteAction.HashPolicy": [
            "header": F(1, m(route + "RouteAction.HashPolicy.Header")), "cookie": F(2, m(route + "RouteAction.HashPolicy.Cookie")),
            "connection_properties": F(3, m(route + "RouteAction.HashPolicy.ConnectionProperties")), "terminal": F(4, .bool),
            "query_parameter": F(5, m(route + "RouteAction.HashPolicy.QueryParameter")),
        ],
        route + "RouteAction.HashPolicy.Header": ["header_name": F(1, .string)],
        route + "RouteAction.HashPolicy.Cookie": ["name": F(1, .string), "ttl": F(2, duration), "path": F(3, .string)],
        route + "RouteAction.HashPolicy.ConnectionProperties": ["source_ip": F(1, .bool)],
        route + "RouteAction.HashPolicy.QueryParameter": ["name": F(1, .string)],
        route + "RouteAction.MaxStreamDuration": [
            "max_stream_duration": F(1, duration), "grpc_timeout_header_max": F(2, duration), "grpc_timeout_header_offset": F(3, duration),
        ],
        core + "RuntimeFractionalPercent": ["default_value": F(1, fractionalPercent), "runtime_key": F(2, .string)],
        "envoy.type.v3.FractionalPercent": [
            "numerator": F(1, .uint32), "denominator": F(2, .enumeration(["HUNDRED": 0, "TEN_THOUSAND": 1, "MILLION": 2])),
        ],
        route + "WeightedCluster": ["clusters": F(1, m(route + "WeightedCluster.ClusterWeight"), .repeated), "total_weight": F(3, uint32)],
        route + "WeightedCluster.ClusterWeight": [
            "name": F(1, .string), "weight": F(2, uint32), "request_headers_to_add": F(4, headerValueOption, .repeated),
            "response_headers_to_add": F(5, headerValueOption, .repeated), "response_headers_to_remove": F(6, .string, .repeated),
            "request_headers_to_remove": F(9, .string, .repeated), "typed_per_filter_config": F(10, any, .map), "host_rewrite_literal": F(11, .string),
        ],
        route + "RetryPolicy": [
            "retry_on": F(1, .string), "num_retries": F(2, uint32), "per_try_timeout": F(3, duration),
            "retry_host_predicate": F(5, m(route + "RetryPolicy.RetryHostPredicate"), .repeated), "host_selection_retry_max_attempts": F(6, .int64),
            "retriable_status_codes": F(7, .uint32, .repeated), "per_try_idle_timeout": F(13, duration),
        ],
        route + "RetryPolicy.RetryHostPredicate": ["name": F(1, .string), "typed_config": F(3, any)],
        route + "RedirectAction": [
            "host_redirect": F(1, .string), "path_redirect": F(2, .string),
            "response_code": F(3, .enumeration(["MOVED_PERMANENTLY": 0, "FOUND": 1, "SEE_OTHER": 2, "TEMPORARY_REDIRECT": 3, "PERMANENT_REDIRECT": 4])),
            "https_redirect": F(4, .bool), "prefix_rewrite": F(5, .string), "strip_query": F(6, .bool), "scheme_redirect": F(7, .string),
            "port_redirect": F(8, .uint32), "regex_rewrite": F(9, m(matcher + "RegexMatchAndSubstitute")),
        ],
        route + "DirectResponseAction": ["status": F(1, .uint32), "body": F(2, m(core + "DataSource"))],
        core + "DataSource": ["filename": F(1, .string), "inline_string": F(3, .string), "environment_variable": F(4, .string)],
        core + "HeaderValueOption": [
            "header": F(1, m(core + "HeaderValue")), "append": F(2, bool),
            "append_action": F(3, .enumeration(["APPEND_IF_EXISTS_OR_ADD": 0, "ADD_IF_ABSENT": 1, "OVERWRITE_IF_EXISTS_OR_ADD": 2, "OVERWRITE_IF_EXISTS": 3])),
            "keep_empty_value": F(4, .bool),
        ],
        core + "HeaderValue": ["key": F(1, .string), "value": F(2, .string)],
        core + "Metadata": ["filter_metadata": F(1, m(structType), .map)],
        core + "TypedExtensionConfig": ["name": F(1, .string), "typed_config": F(2, any)],
        core + "CidrRange": ["address_prefix": F(1, .string), "prefix_len": F(2, uint32)],
        // Extensions a route configuration carries in an Any.
        "envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate": [:],
        "envoy.extensions.path.match.uri_template.v3.UriTemplateMatchConfig": ["path_template": F(1, .string)],
        "envoy.extensions.filters.http.fault.v3.HTTPFault": [
            "delay": F(1, m("envoy.extensions.filters.common.fault.v3.FaultDelay")),
            "abort": F(2, m("envoy.extensions.filters.http.fault.v3.FaultAbort")), "upstream_cluster": F(3, .string),
            "headers": F(4, m(route + "HeaderMatcher"), .repeated), "max_active_faults": F(6, uint32),
        ],
        "envoy.extensions.filters.http.fault.v3.FaultAbort": ["http_status": F(2, .uint32), "percentage": F(3, fractionalPercent), "grpc_status": F(5, .uint32)],
        "envoy.extensions.filters.common.fault.v3.FaultDelay": ["fixed_delay": F(3, duration), "percentage": F(4, fractionalPercent)],
        "envoy.extensions.filters.http.cors.v3.CorsPolicy": [
            "allow_origin_string_match": F(1, stringMatcher, .repeated), "allow_methods": F(2, .string), "allow_headers": F(3, .string),
            "expose_headers": F(4, .string), "max_age": F(5, .string), "allow_credentials": F(6, bool),
            "forward_not_matching_preflights": F(10, bool),
        ],
        "envoy.extensions.filters.http.rbac.v3.RBACPerRoute": ["rbac": F(2, m("envoy.extensions.filters.http.rbac.v3.RBAC"))],
        "envoy.extensions.filters.http.rbac.v3.RBAC": [
            "rules": F(1, m(rbac + "RBAC")), "shadow_rules": F(2, m(rbac + "RBAC")), "shadow_rules_stat_prefix": F(3, .string),
            "rules_stat_prefix": F(6, .string), "track_per_rule_stats": F(7, .bool),
        ],
        rbac + "RBAC": [
            "action": F(1, .enumeration(["ALLOW": 0, "DENY": 1, "LOG": 2])), "policies": F(2, m(rbac + "Policy"), .map),
        ],
        rbac + "Policy": ["permissions": F(1, m(rbac + "Permission"), .repeated), "principals": F(2, m(rbac + "Principal"), .repeated)],
        rbac + "Permission": [
            "and_rules": F(1, m(rbac + "Permission.Set")), "or_rules": F(2, m(rbac + "Permission.Set")), "any": F(3, .bool),
            "header": F(4, m(route + "HeaderMatcher")), "destination_ip": F(5, m(core + "CidrRange")), "destination_port": F(6, .uint32),
            "metadata": F(7, m(matcher + "MetadataMatcher")), "not_rule": F(8, m(rbac + "Permission")),
            "requested_server_name": F(9, stringMatcher), "url_path": F(10, m(matcher + "PathMatcher")),
            "uri_template": F(13, m(core + "TypedExtensionConfig")),
        ],
        rbac + "Permission.Set": ["rules": F(1, m(rbac + "Permission"), .repeated)],
        rbac + "Principal": [
            "and_ids": F(1, m(rbac + "Principal.Set")), "or_ids": F(2, m(rbac + "Principal.Set")), "any": F(3, .bool),
            "authenticated": F(4, m(rbac + "Principal.Authenticated")), "header": F(6, m(route + "HeaderMatcher")),
            "metadata": F(7, m(matcher + "MetadataMatcher")), "not_id": F(8, m(rbac + "Principal")), "url_path": F(9, m(matcher + "PathMatcher")),
            "direct_remote_ip": F(10, m(core + "CidrRange")), "remote_ip": F(11, m(core + "CidrRange")),
        ],
        rbac + "Principal.Set": ["ids": F(1, m(rbac + "Principal"), .repeated)],
        rbac + "Principal.Authenticated": ["principal_name": F(2, stringMatcher)],
        matcher + "PathMatcher": ["path": F(1, stringMatcher)],
        matcher + "MetadataMatcher": [
            "filter": F(1, .string), "path": F(2, m(matcher + "MetadataMatcher.PathSegment"), .repeated),
            "value": F(3, m(matcher + "ValueMatcher")), "invert": F(4, .bool),
        ],
        matcher + "MetadataMatcher.PathSegment": ["key": F(1, .string)],
        matcher + "ValueMatcher": [
            "string_match": F(3, stringMatcher), "bool_match": F(4, .bool), "present_match": F(5, .bool),
            "list_match": F(6, m(matcher + "ListMatcher")), "or_match": F(7, m(matcher + "OrMatcher")),
        ],
        matcher + "ListMatcher": ["one_of": F(1, m(matcher + "ValueMatcher"))],
        matcher + "OrMatcher": ["value_matchers": F(1, m(matcher + "ValueMatcher"), .repeated)],
    ])
}
