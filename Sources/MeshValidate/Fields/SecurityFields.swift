import MeshDiagnostics
import MeshModel

/// PeerAuthentication, AuthorizationPolicy and RequestAuthentication
/// (Istio's ValidatePeerAuthentication, ValidateAuthorizationPolicy, ValidateRequestAuthentication).
extension FieldChecker {
    mutating func peerAuthentication(_ spec: PeerAuthenticationSpec) {
        let modes = ["UNSET", "DISABLE", "PERMISSIVE", "STRICT"]
        enumValue(spec.mtlsMode, modes, "spec.mtls.mode", what: "mTLS mode")
        let emptySelector = spec.selector?.matchLabels.isEmpty ?? true
        if emptySelector, let first = spec.portLevelMtls.first {
            fail(first.key.mark, "spec.portLevelMtls", "mesh/namespace peer authentication cannot have port level mTLS",
                 hint: "add selector.matchLabels to target a workload, or remove portLevelMtls")
        }
        for (key, mode) in spec.portLevelMtls {
            if let number = Int(key.value) {
                port(Located(number, at: key.mark), "spec.portLevelMtls.\(key.value)")
            } else {
                fail(key.mark, "spec.portLevelMtls.\(key.value)", "port \"\(key.value)\" is not a number",
                     hint: "key portLevelMtls by port number, like 8080")
            }
            enumValue(mode, modes, "spec.portLevelMtls.\(key.value).mode", what: "mTLS mode")
        }
        selectorLabels(spec.selector?.matchLabels, "spec.selector.matchLabels")
    }

    mutating func authorizationPolicy(_ spec: AuthorizationPolicySpec) {
        policyTargets(spec.targetRefs, hasSelector: spec.selector != nil)
        selectorLabels(spec.selector?.matchLabels, "spec.selector.matchLabels")
        enumValue(spec.action, ["ALLOW", "DENY", "AUDIT", "CUSTOM"], "spec.action", what: "action")
        let action = spec.action?.value ?? "ALLOW"
        let actionMark = spec.action?.mark ?? specMark
        let ruleHint = "add an empty rule `{}` if you want it be triggered for every request"
        if action == "CUSTOM" {
            if spec.rules.isEmpty {
                fail(actionMark, "spec.rules", "CUSTOM action without `rules` is meaningless as it will never be triggered", hint: ruleHint)
            } else if (spec.provider?.value ?? "").isEmpty {
                fail(spec.provider?.mark ?? actionMark, "spec.provider.name", "`provider.name` must not be empty",
                     hint: "name an extension provider from the mesh config")
            }
        } else if let provider = spec.provider {
            fail(provider.mark, "spec.provider", "`provider` must not be with non CUSTOM action, found \(action)",
                 hint: "set action: CUSTOM, or remove provider")
        }
        if action == "DENY" && spec.rules.isEmpty {
            fail(actionMark, "spec.rules", "DENY action without `rules` is meaningless as it will never be triggered", hint: ruleHint)
        }
        for (i, rule) in spec.rules.enumerated() { authorizationRule(rule, "spec.rules[\(i)]", custom: action == "CUSTOM") }
    }

    private mutating func authorizationRule(_ rule: AuthorizationRule, _ path: @autoclosure () -> String, custom: Bool) {
        for (f, source) in rule.from.enumerated() {
            func sourcePath() -> String { "\(path()).from[\(f)].source" }
            if custom {
                for (field, values) in [("namespaces", source.namespaces + source.notNamespaces), ("principals", source.principals + source.notPrincipals)] {
                    if let first = values.first {
                        fail(first.mark, "\(sourcePath()).\(field)", "\(field) is currently not supported with CUSTOM action",
                             hint: "match on request attributes instead, or use action ALLOW/DENY")
                    }
                }
            }
            for (field, values) in [("ipBlocks", source.ipBlocks), ("notIpBlocks", source.notIpBlocks),
                                    ("remoteIpBlocks", source.remoteIpBlocks), ("notRemoteIpBlocks", source.notRemoteIpBlocks)] {
                for (i, value) in values.enumerated() {
                    if let error = Names.ipSubnetError(value.value) {
                        fail(value.mark, "\(sourcePath()).\(field)[\(i)]", error, hint: "use an IP address or a CIDR block like 10.0.0.0/16")
                    }
                }
            }
            emptyValues(source.allValues, sourcePath())
        }
        for (t, operation) in rule.to.enumerated() {
            func operationPath() -> String { "\(path()).to[\(t)].operation" }
            let all = operation.allValues
            if all.isEmpty {
                fail(specMark, operationPath(), "`to.operation` must not be empty", hint: "add hosts, ports, methods or paths")
            }
            for (i, port) in (operation.ports + operation.notPorts).enumerated() {
                if let number = Int(port.value) {
                    self.port(Located(number, at: port.mark), "\(operationPath()).ports[\(i)]")
                } else if !port.value.isEmpty {
                    fail(port.mark, "\(operationPath()).ports[\(i)]", "invalid port \"\(port.value)\"", hint: "use a port number like \"8080\"")
                }
            }
            emptyValues(all, operationPath())
        }
        for (w, condition) in rule.when.enumerated() {
            func conditionPath() -> String { "\(path()).when[\(w)]" }
            guard let key = condition.key, !key.value.isEmpty else {
                fail(condition.mark, conditionPath() + ".key", "`key` must not be empty", hint: "add key, like request.headers[x-token]")
                continue
            }
            if condition.values.isEmpty && condition.notValues.isEmpty {
                fail(key.mark, conditionPath(), "at least one of `values` or `notValues` must be set for key \(key.value)",
                     hint: "add values or notValues")
            }
            if let error = Self.attributeError(key.value) {
                fail(key.mark, conditionPath() + ".key", error, hint: "use a key Istio knows: request.headers[<name>], source.ip, remote.ip, "
                     + "source.namespace, source.principal, request.auth.principal, request.auth.audiences, request.auth.presenter, "
                     + "request.auth.claims[<claim>], destination.ip, destination.port, connection.sni")
                continue
            }
            for (v, value) in (condition.values + condition.notValues).enumerated() {
                if let error = Self.attributeValueError(key.value, value.value) {
                    fail(value.mark, conditionPath() + (v < condition.values.count ? ".values[\(v)]" : ".notValues[\(v - condition.values.count)]"),
                         error, hint: key.value == "destination.port" ? "use a port number like \"8080\"" : "use an IP address or a CIDR block like 10.0.0.0/16")
                }
            }
            let unsupported = ["source.namespace", "source.serviceAccount", "source.principal"].contains(key.value)
                || key.value.hasPrefix("request.auth.")
            if custom && unsupported {
                fail(key.mark, conditionPath() + ".key", "\(key.value) is currently not supported with CUSTOM action",
                     hint: "use action ALLOW/DENY for this condition")
            }
        }
    }

    /// Istio's `ValidateAttribute`: nil for a key it knows, else why not.
    static func attributeError(_ key: String) -> String? {
        let plain: Set<String> = ["source.ip", "remote.ip", "source.namespace", "source.principal", "source.serviceAccount",
                                  "request.auth.principal", "request.auth.audiences", "request.auth.presenter",
                                  "destination.ip", "destination.port", "connection.sni"]
        if plain.contains(key) { return nil }
        for prefix in ["request.headers", "request.auth.claims", "experimental.envoy.filters."] where key.hasPrefix(prefix) {
            guard let open = key.firstIndex(of: "["), key.hasSuffix("]"), key.index(after: open) < key.index(before: key.endIndex) else {
                return "\(key) needs a name in brackets, like \(prefix.hasSuffix(".") ? prefix + "network.mysql_proxy[db.table]" : prefix + "[name]")"
            }
            let inner = key[key.index(after: open)..<key.index(before: key.endIndex)]
            if inner.contains("[") && prefix != "request.auth.claims" || inner.components(separatedBy: "][").contains(where: \.isEmpty) {
                return "\(key) has an empty or nested name in brackets"
            }
            if prefix == "request.headers" && key[..<open] != "request.headers" { break }
            return nil
        }
        return "unknown attribute \(key)"
    }

    /// Istio's value checks: IPs and blocks for the address keys, port numbers for destination.port.
    static func attributeValueError(_ key: String, _ value: String) -> String? {
        switch key {
        case "source.ip", "remote.ip", "destination.ip": return Names.ipSubnetError(value)
        case "destination.port": return Int(value).map { (0...65535).contains($0) } == true ? nil : "invalid port \"\(value)\""
        default: return nil
        }
    }

    /// Istio's CheckEmptyValues: no empty strings in rule value lists.
    private mutating func emptyValues(_ values: [Located<String>], _ path: @autoclosure () -> String) {
        for value in values where value.value.isEmpty {
            fail(value.mark, path(), "empty value is not allowed", hint: "remove the empty entry")
        }
    }

    mutating func requestAuthentication(_ spec: RequestAuthenticationSpec) {
        policyTargets(spec.targetRefs, hasSelector: spec.selector != nil)
        selectorLabels(spec.selector?.matchLabels, "spec.selector.matchLabels")
        for (i, rule) in spec.jwtRules.enumerated() {
            func path() -> String { "spec.jwtRules[\(i)]" }
            if (rule.issuer?.value ?? "").isEmpty && (rule.jwksUri?.value ?? "").isEmpty {
                fail(rule.issuer?.mark ?? rule.mark, path() + ".issuer", "issuer or jwksUri must be non-empty string",
                     hint: "set issuer to the token issuer (the iss claim)")
            }
            if let uri = rule.jwksUri, !uri.value.isEmpty, let error = jwksURIError(uri.value) {
                fail(uri.mark, path() + ".jwksUri", error, hint: "use an http:// or https:// URL like https://example.com/.well-known/jwks.json")
            }
            duration(rule.timeout, path() + ".timeout")
            for (h, header) in rule.fromHeaders.enumerated() where (header.name?.value ?? "").isEmpty {
                fail(header.name?.mark ?? header.mark, path() + ".fromHeaders[\(h)].name", "location header name must be non-empty",
                     hint: "name the header the token comes in, like Authorization")
            }
            for (p, param) in rule.fromParams.enumerated() where param.value.isEmpty {
                fail(param.mark, path() + ".fromParams[\(p)]", "location query must be non-empty", hint: "name the query parameter, like access_token")
            }
            for (c, claim) in rule.outputClaimToHeaders.enumerated() {
                let header = claim.header?.value ?? ""
                if header.isEmpty || header.hasPrefix(":") || !header.allSatisfy({ $0.isLetter || $0.isNumber || "-_".contains($0) }) {
                    fail(claim.header?.mark ?? claim.mark, path() + ".outputClaimToHeaders[\(c)].header",
                         "\"\(header)\" is not a header name meshc may set", hint: "use a header name like x-jwt-claim-sub")
                }
                if (claim.claim?.value ?? "").isEmpty {
                    fail(claim.claim?.mark ?? claim.mark, path() + ".outputClaimToHeaders[\(c)].claim", "claim name must be non-empty",
                         hint: "name the claim to copy, like sub")
                }
            }
            if let inline = rule.jwks, !inline.value.isEmpty, !inline.value.contains("\"keys\"") {
                fail(inline.mark, path() + ".jwks", "jwks is not a JWKS document (no \"keys\")", hint: "paste the issuer's JSON Web Key Set: {\"keys\": [...]}")
            }
        }
    }

    /// Istio's ParseJwksURI: an http or https URL with a host and a numeric port.
    private func jwksURIError(_ uri: String) -> String? {
        if case .failure(let problem) = HTTPURL.parse(uri) { return problem.message }
        return nil
    }
}
