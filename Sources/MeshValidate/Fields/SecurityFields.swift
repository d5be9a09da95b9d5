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
            let unsupported = ["source.namespace", "source.serviceAccount", "source.principal"].contains(key.value)
                || key.value.hasPrefix("request.auth.")
            if custom && unsupported {
                fail(key.mark, conditionPath() + ".key", "\(key.value) is currently not supported with CUSTOM action",
                     hint: "use action ALLOW/DENY for this condition")
            }
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
        }
    }

    /// Istio's ParseJwksURI: an http or https URL with a host and a numeric port.
    private func jwksURIError(_ uri: String) -> String? {
        guard let schemeEnd = uri.range(of: "://") else { return "jwksUri \"\(uri)\" is not a URL" }
        let scheme = uri[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return "URI scheme \"\(scheme)\" is not supported" }
        let rest = uri[schemeEnd.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let hostPort = authority.split(separator: "@").last.map(String.init) ?? ""
        if hostPort.contains(" ") { return "jwksUri \"\(uri)\" contains spaces" }
        var host = hostPort
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else { return "jwksUri \"\(uri)\" has an unterminated IPv6 host" }
            host = String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
            let tail = hostPort[hostPort.index(after: close)...]
            if !tail.isEmpty && !(tail.hasPrefix(":") && tail.dropFirst().allSatisfy(\.isNumber)) { return "jwksUri \"\(uri)\" has an invalid port" }
        } else if let colon = hostPort.lastIndex(of: ":") {
            host = String(hostPort[..<colon])
            let port = hostPort[hostPort.index(after: colon)...]
            if !port.allSatisfy(\.isNumber) { return "jwksUri \"\(uri)\" has an invalid port \"\(port)\"" }
        }
        return host.isEmpty ? "jwksUri \"\(uri)\" has no host" : nil
    }
}
