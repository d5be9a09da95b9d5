import MeshDiagnostics
import MeshIR
import MeshModel
import MeshValidate

/// Lowers the policies of one `AuthorizationScope` for one filter chain, with
/// Istio's semantics (its authz `model.Generate`):
///
/// - a rule matches when its `from` (any entry; none: anyone), its `to` (any
///   entry; none: anything) and all its `when` conditions match; inside an
///   entry every field must match, a field when any of its values does, a
///   `not*` field when none does;
/// - `from` fields and `when` keys about the caller become the rule's
///   principal, `to` fields and `destination.*`/`connection.sni` its permission;
/// - ports are known per chain, so `ports`/`notPorts`/`destination.port`
///   fold to match-all or match-nothing here;
/// - on a TCP chain, HTTP-only fields (hosts, methods, paths,
///   requestPrincipals, `request.*` keys) drop the whole rule of an ALLOW
///   policy (it can never match) and are left out of a DENY or AUDIT rule
///   (which then matches more), as Istio does.
struct AuthorizationLowering {
    let scope: AuthorizationScope
    /// The chain's mesh port and listen port: `ports: ["8080"]` matches either.
    let ports: Set<Int>
    let tcp: Bool
    let trustDomain: String
    /// The mesh config's HTTP ext_authz services, by provider name (CUSTOM).
    let extAuthz: [String: ExtAuthzService]
    /// Clusters the chain's remote JWKS providers fetch through.
    private(set) var jwksClusters: [Cluster] = []
    /// What could not be built as written, for build notes.
    private(set) var notes: [(String, Resource, Mark)] = []

    init(scope: AuthorizationScope, ports: Set<Int>, tcp: Bool, trustDomain: String, extAuthz: [String: ExtAuthzService] = [:]) {
        self.scope = scope
        self.ports = ports
        self.tcp = tcp
        self.trustDomain = trustDomain
        self.extAuthz = extAuthz
    }

    mutating func lower() -> Authorization {
        var result = Authorization()
        if !tcp { result.jwtProviders = jwtProviders() }
        for policy in scope.policies {
            let action = policy.spec.action?.value ?? "ALLOW"
            let rules = policy.spec.rules.enumerated().compactMap { index, rule in
                lower(rule, index: index, policy: policy, action: action)
            }
            switch action {
            case "ALLOW": result.allow = (result.allow ?? []) + rules
            case "DENY": result.deny = (result.deny ?? []) + rules
            case "AUDIT": result.audit = (result.audit ?? []) + rules
            case "CUSTOM": custom(policy, rules, into: &result)
            default: continue
            }
        }
        if result.deny?.isEmpty == true { result.deny = nil }
        if result.audit?.isEmpty == true { result.audit = nil }
        return result
    }

    /// A CUSTOM policy's rules: checked by its provider's service. They fail
    /// closed (become DENY rules, with a note) where that cannot be built: a
    /// provider the mesh config does not declare as `envoyExtAuthzHttp`, a
    /// second provider on one workload (Istio allows one), a TCP chain.
    private mutating func custom(_ policy: SelectedPolicy, _ rules: [AuthorizationRuleIR], into result: inout Authorization) {
        let name = policy.spec.provider?.value ?? ""
        let mark = policy.spec.provider?.mark ?? policy.resource.specMark
        var why: String?
        if tcp {
            why = "on TCP port \(ports.sorted().map(String.init).joined(separator: "/")) meshc builds no external authorization"
        } else if let service = extAuthz[name] {
            if result.custom == nil || result.custom?.service == service {
                result.custom = CustomAuthorization(service: service, rules: (result.custom?.rules ?? []) + rules)
                return
            }
            why = "the workload already uses provider \(result.custom!.service.name) (Istio allows one per workload)"
        } else {
            why = "no MeshConfig declares provider \"\(name)\" with envoyExtAuthzHttp"
        }
        notes.append(("CUSTOM policy \(policy.resource.namespace)/\(policy.resource.name): \(why!); its rules deny the requests they match (fail closed)",
                      policy.resource, mark))
        result.deny = (result.deny ?? []) + rules
    }

    private func lower(_ rule: AuthorizationRule, index: Int, policy: SelectedPolicy, action: String) -> AuthorizationRuleIR? {
        let dropsHTTPOnly = action != "ALLOW"
        var principals: [AccessMatch] = []
        var permissions: [AccessMatch] = []
        if !rule.from.isEmpty {
            let sources = rule.from.map { source(ofSource: $0, policy: policy) }
            if tcp && !dropsHTTPOnly && sources.contains(where: \.httpOnly) { return nil }
            principals.append(.or(sources.map(\.match)))
        }
        if !rule.to.isEmpty {
            let operations = rule.to.map(operation)
            if tcp && !dropsHTTPOnly && operations.contains(where: \.httpOnly) { return nil }
            permissions.append(.or(operations.map(\.match)))
        }
        for condition in rule.when {
            guard let key = condition.key?.value else { continue }
            let lowered = attribute(key, policy)
            // A key validation rejects never reaches here; should one, it fails closed: an ALLOW rule never matches, a DENY rule ignores it.
            guard let match = lowered.match(values: condition.values.map(\.value), notValues: condition.notValues.map(\.value)) else {
                if dropsHTTPOnly { continue }
                return nil
            }
            if tcp && lowered.httpOnly {
                if dropsHTTPOnly { continue }
                return nil
            }
            if lowered.isPermission { permissions.append(match) } else { principals.append(match) }
        }
        let permission = AccessMatch.and(permissions).simplified
        let principal = AccessMatch.and(principals).simplified
        if permission == .nothing || principal == .nothing { return nil }
        return AuthorizationRuleIR(name: "ns[\(policy.resource.namespace)]-policy[\(policy.resource.name)]-rule[\(index)]",
                                   permission: permission, principal: principal, file: policy.resource.file, line: Int(rule.mark.line))
    }

    /// Attribute `key` as a rule of `policy` reads it.
    private func attribute(_ key: String, _ policy: SelectedPolicy) -> ConditionLowering {
        ConditionLowering(key: key, trustDomain: trustDomain, policyNamespace: policy.resource.namespace, ports: ports,
                          issuers: scope.jwtRules.compactMap { $0.rule.issuer?.value })
    }

    /// A lowered `from` or `to` entry; `httpOnly` when it names a field a TCP chain cannot see.
    private struct Lowered {
        var match: AccessMatch
        var httpOnly: Bool
    }

    private func source(ofSource source: AuthorizationSource, policy: SelectedPolicy) -> Lowered {
        let keys = ConditionLowering.self
        var fields: [AccessMatch] = []
        var httpOnly = false
        func field(_ values: [Located<String>], negated: Bool, _ key: String) {
            guard !values.isEmpty else { return }
            let lowered = attribute(key, policy)
            if tcp && lowered.httpOnly {
                httpOnly = true
                return
            }
            let strings = values.map(\.value)
            if let match = negated ? lowered.match(values: [], notValues: strings) : lowered.match(values: strings, notValues: []) {
                fields.append(match)
            }
        }
        field(source.principals, negated: false, keys.sourcePrincipal)
        field(source.notPrincipals, negated: true, keys.sourcePrincipal)
        field(source.requestPrincipals, negated: false, keys.requestPrincipal)
        field(source.notRequestPrincipals, negated: true, keys.requestPrincipal)
        field(source.namespaces, negated: false, keys.sourceNamespace)
        field(source.notNamespaces, negated: true, keys.sourceNamespace)
        field(source.ipBlocks, negated: false, keys.sourceIP)
        field(source.notIpBlocks, negated: true, keys.sourceIP)
        field(source.remoteIpBlocks, negated: false, keys.remoteIP)
        field(source.notRemoteIpBlocks, negated: true, keys.remoteIP)
        field(source.serviceAccounts, negated: false, keys.sourceServiceAccount)
        field(source.notServiceAccounts, negated: true, keys.sourceServiceAccount)
        return Lowered(match: .and(fields), httpOnly: httpOnly)
    }

    private func operation(_ operation: AuthorizationOperation) -> Lowered {
        var fields: [AccessMatch] = []
        var httpOnly = false
        func field(_ values: [Located<String>], negated: Bool, http: Bool, _ lower: (String) -> AccessMatch) {
            guard !values.isEmpty else { return }
            if tcp && http {
                httpOnly = true
                return
            }
            let any = AccessMatch.or(values.map { lower($0.value) })
            fields.append(negated ? .not(any) : any)
        }
        field(operation.hosts, negated: false, http: true, AccessValues.host)
        field(operation.notHosts, negated: true, http: true, AccessValues.host)
        field(operation.ports, negated: false, http: false) { ports.contains(Int($0) ?? -1) ? .any : .nothing }
        field(operation.notPorts, negated: true, http: false) { ports.contains(Int($0) ?? -1) ? .any : .nothing }
        field(operation.methods, negated: false, http: true) { .header(":method", AccessValues.text($0)) }
        field(operation.notMethods, negated: true, http: true) { .header(":method", AccessValues.text($0)) }
        field(operation.paths, negated: false, http: true, AccessValues.path)
        field(operation.notPaths, negated: true, http: true, AccessValues.path)
        return Lowered(match: .and(fields), httpOnly: httpOnly)
    }

    /// RequestAuthentication rules as JWT providers `origins-<n>`, in documented order.
    private mutating func jwtProviders() -> [JWTProvider] {
        var providers: [JWTProvider] = []
        for (n, entry) in scope.jwtRules.enumerated() {
            let rule = entry.rule
            let keys: JWTProvider.Keys
            if let inline = rule.jwks?.value, !inline.isEmpty {
                keys = .inline(inline)
            } else if let uri = rule.jwksUri?.value, let cluster = JWKSCluster.cluster(uri) {
                jwksClusters.append(cluster)
                let timeout = rule.timeout.flatMap { GoDuration.milliseconds($0.value) } ?? 5_000
                keys = .remote(uri: uri, cluster: cluster.name, timeoutMs: timeout)
            } else {
                continue  // field validation reports a rule without keys
            }
            providers.append(JWTProvider(
                name: "origins-\(n)", issuer: rule.issuer?.value, audiences: rule.audiences.map(\.value), keys: keys,
                fromHeaders: rule.fromHeaders.compactMap { header in header.name.map { ($0.value, header.prefix?.value ?? "") } },
                fromParams: rule.fromParams.map(\.value), fromCookies: rule.fromCookies.map(\.value),
                forwardOriginalToken: rule.forwardOriginalToken?.value ?? false, payloadHeader: rule.outputPayloadToHeader?.value,
                claimHeaders: rule.outputClaimToHeaders.compactMap { pair in
                    guard let header = pair.header?.value, let claim = pair.claim?.value else { return nil }
                    return (header, claim)
                }))
        }
        return providers
    }
}

/// The cluster a remote JWKS is fetched through: `jwks|<host>|<port>`, the
/// host resolved by DNS unless it is an address; https verified against the
/// system's trust store.
enum JWKSCluster {
    static func cluster(_ uri: String) -> Cluster? {
        guard case .success(let url) = HTTPURL.parse(uri) else { return nil }
        let (scheme, host, port) = (url.scheme, url.host, url.port)
        let isAddress = AccessValues.cidr(host) != nil
        var cluster = Cluster(name: "jwks|\(host)|\(port)", endpoints: [Endpoint(address: host, port: port)],
                              discovery: isAddress ? .static : .logicalDNS, lbPolicy: .roundRobin, connectTimeoutMs: 5_000)
        if scheme == "https" {
            cluster.tls = UpstreamTLS(sni: isAddress ? nil : host, caCertificates: SystemTrustStore.path,
                                      subjectAltNames: isAddress ? [] : [host])
        }
        return cluster
    }
}
