import MeshDiagnostics

extension AuthorizationDecision {
    /// `authorization: …` with the deciding rule and its manifest position,
    /// then indented details: AUDIT matches, the token read, notes.
    func lines() -> [String] {
        var lines = ["authorization: " + verdictText]
        lines += audited.map { "  audit: logged by \($0)" }
        if let token {
            lines.append("  token in \(token.location): issuer \(token.issuer ?? "(none)"), subject \(token.subject ?? "(none)")")
        }
        lines += notes.map { "  note: \($0)" }
        return lines
    }

    /// What Envoy answers when it refuses: 403 with RBAC's body, a closed TCP connection, 401 with `jwt_authn`'s message.
    private var refusal: String { tcp ? "connection closed" : "403 RBAC: access denied" }

    private var verdictText: String {
        switch verdict {
        case .allowedWithoutPolicy:
            "allowed (no ALLOW policy applies and no DENY rule matches)"
        case .allowed(let rule):
            "allowed by \(rule)"
        case .denied(let rule):
            "denied (\(refusal)) by DENY rule \(rule)"
        case .noAllowRuleMatches(let considered):
            "denied (\(refusal)): no ALLOW rule matches ("
                + (considered.isEmpty ? "the ALLOW policies have no rule that can match: nothing is allowed" : considered.map(\.name).joined(separator: ", "))
                + ")"
        case .invalidToken(let message, let reason):
            "denied (401 \(message)): \(reason)"
        case .noRoute:
            "not checked: the RBAC rules come with the routes, and no route takes the request (Envoy answers 404)"
        }
    }

    /// The decision as JSON: `decision` (allowed, denied, not_checked), `status` when refused, the deciding rule or the rules considered.
    func json() -> JSON {
        var members: JSONObject = ["source_ip": .string(sourceIP), "notes": .array(notes.map(JSON.string))]
        if let peer { members["peer"] = .string(peer) }
        if let status { members["status"] = .int(status) }
        if !audited.isEmpty { members["audited"] = .array(audited.map(\.json)) }
        if let token {
            var object: JSONObject = ["location": .string(token.location), "signature_verified": .bool(false)]
            if let issuer = token.issuer { object["issuer"] = .string(issuer) }
            if let subject = token.subject { object["subject"] = .string(subject) }
            members["token"] = .object(object)
        }
        switch verdict {
        case .allowedWithoutPolicy:
            members["decision"] = .string("allowed")
            members["reason"] = .string("no_allow_policy")
        case .allowed(let rule):
            members["decision"] = .string("allowed")
            members["reason"] = .string("allow_rule")
            members["rule"] = rule.json
        case .denied(let rule):
            members["decision"] = .string("denied")
            members["reason"] = .string("deny_rule")
            members["rule"] = rule.json
        case .noAllowRuleMatches(let considered):
            members["decision"] = .string("denied")
            members["reason"] = .string("no_allow_rule")
            members["considered"] = .array(considered.map(\.json))
        case .invalidToken(let message, let reason):
            members["decision"] = .string("denied")
            members["reason"] = .string("invalid_token")
            members["message"] = .string(message)
            members["detail"] = .string(reason)
        case .noRoute:
            members["decision"] = .string("not_checked")
            members["reason"] = .string("no_route")
        }
        return .object(members)
    }
}

extension RuleReference {
    var json: JSON { .object(["name": .string(name), "source": .string(source)]) }
}

extension Caller {
    /// `caller spiffe://… (proxy web-sidecar), source 10.0.0.1`.
    var line: String {
        var text = "caller " + (principal ?? "without a mesh identity")
        if let proxy { text += " (proxy \(proxy))" }
        return text + ", source \(sourceIP)"
    }

    var json: JSON {
        var members: JSONObject = ["source_ip": .string(sourceIP)]
        if let principal { members["principal"] = .string(principal) }
        if let proxy { members["proxy"] = .string(proxy) }
        return .object(members)
    }
}
