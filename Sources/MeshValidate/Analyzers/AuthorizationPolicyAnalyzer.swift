import MeshDiagnostics
import MeshModel

/// AuthorizationPolicy rules that cannot mean what they say:
///
/// - IST0101 (istioctl's AuthorizationPoliciesAnalyzer): a `from.source.namespaces`
///   entry names a namespace nothing in the repository lives in (`*`
///   prefixes and suffixes match as Istio matches them);
/// - MSH0009: a principal of this trust domain names a service account no
///   workload of the repository runs as (a typo allows nobody, or denies nobody);
/// - MSH0010: a rule names callers by identity (principals, namespaces,
///   serviceAccounts, `source.principal`/`source.namespace`) while the
///   workloads it applies to take plain text (no PeerAuthentication in the
///   repository, so meshc builds no mesh mTLS, or their mode is DISABLE):
///   the caller has no identity, so an ALLOW rule never matches and a DENY
///   rule never denies;
/// - MSH0011: a rule has HTTP-only fields (hosts, methods, paths,
///   requestPrincipals, `request.*` keys) and applies to a gateway with a
///   TCP server: there Istio drops the rule of an ALLOW policy and applies
///   a DENY rule without those fields (it then refuses every matching connection);
/// - MSH0012: a CUSTOM policy names a provider no MeshConfig declares as an
///   HTTP ext_authz service (meshc then fails closed: its rules deny).
struct AuthorizationPolicyAnalyzer: Analyzer {
    let codes = [Codes.referencedResourceNotFound, Codes.unknownPrincipal, Codes.identityWithoutMutualTLS, Codes.httpOnlyFieldOnTCPPort,
                 Codes.unknownExtensionProvider]

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        let policies = mesh.resources(of: .authorizationPolicy)
        guard !policies.isEmpty else { return }
        let namespaces = Set(mesh.resources.map(\.namespace) + mesh.resources(of: .namespace).map(\.name))
        let identities = Self.identities(mesh)
        let providers = Set(mesh.resources(of: .meshConfig).flatMap { resource -> [String] in
            guard case .meshConfig(let spec) = resource.body else { return [] }
            return spec.extensionProviders.compactMap { $0.extAuthzHTTP == nil ? nil : $0.name?.value }
        })
        for resource in policies {
            guard case .authorizationPolicy(let spec) = resource.body, spec.targetRefs.isEmpty else { continue }
            let action = spec.action?.value ?? "ALLOW"
            if action == "CUSTOM", let provider = spec.provider, !provider.value.isEmpty, !providers.contains(provider.value) {
                let known = providers.sorted()
                sink.report(Codes.unknownExtensionProvider, resource, at: provider.mark, path: "spec.provider.name",
                            "no MeshConfig declares extension provider \"\(provider.value)\" with envoyExtAuthzHttp, "
                            + "so meshc builds its rules as DENY rules (fail closed)",
                            hint: known.isEmpty ? "declare it in a MeshConfig's extensionProviders (kind: MeshConfig, meshc.dev/v1alpha1)"
                                : "use one of \(known.joined(separator: ", ")), or declare it in the MeshConfig")
            }
            let workloads = selected(resource, spec, mesh)
            let plainText = workloads.filter { !Self.takesMutualTLS($0, mesh) }
            let streams = workloads.isEmpty ? [] : Self.tcpServers(of: workloads, mesh)
            for (r, rule) in spec.rules.enumerated() {
                for (f, source) in rule.from.enumerated() {
                    for (i, namespace) in source.namespaces.enumerated() where !Self.matches(namespace.value, namespaces) {
                        sink.report(Codes.referencedResourceNotFound, resource, at: namespace.mark,
                                    path: "spec.rules[\(r)].from[\(f)].source.namespaces[\(i)]",
                                    "namespace \"\(namespace.value)\" does not exist in the repository",
                                    hint: "check the spelling; the namespaces in use are \(namespaces.sorted().prefix(8).joined(separator: ", "))")
                    }
                    for (field, values) in [("principals", source.principals), ("notPrincipals", source.notPrincipals)] {
                        for (i, principal) in values.enumerated() {
                            guard let unknown = Self.unknownIdentity(principal.value, identities, trustDomain: mesh.config.trustDomain) else { continue }
                            sink.report(Codes.unknownPrincipal, resource, at: principal.mark,
                                        path: "spec.rules[\(r)].from[\(f)].source.\(field)[\(i)]",
                                        "no workload runs as \(unknown)", hint: Self.identityHint(identities))
                        }
                    }
                }
                if let first = plainText.first, let mark = Self.identityField(rule) {
                    let why = mesh.hasPeerAuthentication ? "its mTLS mode is DISABLE" : "the repository has no PeerAuthentication, so meshc builds no mesh mTLS"
                    let effect = action == "DENY" ? "the rule never denies" : "the rule never matches"
                    sink.report(Codes.identityWithoutMutualTLS, resource, at: mark, path: "spec.rules[\(r)]",
                                "callers are named by identity, but \(first.namespace)/\(first.name) takes plain text (\(why)): \(effect)",
                                hint: "add a PeerAuthentication (STRICT or PERMISSIVE) for the workload, or match callers by ipBlocks")
                }
                if let stream = streams.first(where: { Self.reaches(rule, port: $0.port) }), let (field, mark) = Self.httpOnlyField(rule) {
                    let effect = action == "ALLOW" ? "Istio drops the rule there, so it allows no connection"
                        : "Istio applies the rule there without it, so it \(action == "DENY" ? "denies" : "audits") every connection matching the rest"
                    sink.report(Codes.httpOnlyFieldOnTCPPort, resource, at: mark, path: "spec.rules[\(r)]",
                                "\(field) is HTTP-only, and the policy applies to TCP port \(stream.port) of Gateway \(stream.gateway): \(effect)",
                                hint: "limit the rule to HTTP ports with to.operation.ports, or use a separate policy for the TCP port")
                }
            }
        }
    }

    /// The workloads a policy applies to (Istio's selection: root namespace mesh-wide, else its namespace; labels when given).
    private func selected(_ resource: Resource, _ spec: AuthorizationPolicySpec, _ mesh: MeshIndex) -> [Workload] {
        mesh.workloads(in: resource.namespace, matching: spec.selector?.matchLabels ?? StringMap())
    }

    /// `spiffe://`-less identities workloads run as: WorkloadEntry and Proxy service accounts, `default` elsewhere.
    static func identities(_ mesh: MeshIndex) -> Set<String> {
        var result = Set<String>()
        let domain = mesh.config.trustDomain
        for workload in mesh.workloads {
            var account = "default"
            if let resource = workload.resource, case .workloadEntry(let entry) = resource.body, let name = entry.serviceAccount?.value {
                account = name
            }
            result.insert("\(domain)/ns/\(workload.namespace)/sa/\(account)")
        }
        for proxy in mesh.resources(of: .proxy) {
            if case .proxy(let spec) = proxy.body, let account = spec.serviceAccount?.value {
                result.insert("\(domain)/ns/\(proxy.namespace)/sa/\(account)")
            }
        }
        return result
    }

    /// `principal` when it is an exact identity of `trustDomain` that is not in `identities`; nil otherwise (wildcards, other domains).
    static func unknownIdentity(_ principal: String, _ identities: Set<String>, trustDomain: String) -> String? {
        guard !principal.contains("*"), principal.hasPrefix(trustDomain + "/ns/"), principal.contains("/sa/") else { return nil }
        return identities.contains(principal) ? nil : principal
    }

    static func identityHint(_ identities: Set<String>) -> String {
        let known = identities.sorted()
        let shown = known.prefix(5).joined(separator: ", ") + (known.count > 5 ? " and \(known.count - 5) more" : "")
        return "identities are <trust domain>/ns/<namespace>/sa/<service account>; the repository's workloads run as \(shown)"
    }

    /// Istio's namespace match: exact, `prefix*`, `*suffix`, `*`.
    static func matches(_ pattern: String, _ namespaces: Set<String>) -> Bool {
        if pattern == "*" { return true }
        if pattern.hasSuffix("*") { return namespaces.contains { $0.hasPrefix(pattern.dropLast()) } }
        if pattern.hasPrefix("*") { return namespaces.contains { $0.hasSuffix(pattern.dropFirst()) } }
        return namespaces.contains(pattern)
    }

    /// Whether a workload takes mesh mTLS on some port: a PeerAuthentication exists and its mode is not DISABLE everywhere.
    static func takesMutualTLS(_ workload: Workload, _ mesh: MeshIndex) -> Bool {
        guard mesh.hasPeerAuthentication else { return false }
        let modes = mesh.peerModes(namespace: workload.namespace, labels: workload.labels)
        return modes.mode != .disable || modes.ports.values.contains { $0 != .disable }
    }

    /// The first field of `rule` that names callers by peer identity.
    static func identityField(_ rule: AuthorizationRule) -> Mark? {
        for source in rule.from {
            if let value = (source.principals + source.notPrincipals + source.namespaces + source.notNamespaces
                + source.serviceAccounts + source.notServiceAccounts).first { return value.mark }
        }
        return rule.when.first { ["source.principal", "source.namespace", "source.serviceAccount"].contains($0.key?.value ?? "") }?.mark
    }

    /// Whether `rule` can apply on `port`: no `to`, or an operation whose ports (if any) hold it and whose notPorts do not.
    static func reaches(_ rule: AuthorizationRule, port: Int) -> Bool {
        rule.to.isEmpty || rule.to.contains { operation in
            (operation.ports.isEmpty || operation.ports.contains { Int($0.value) == port })
                && !operation.notPorts.contains { Int($0.value) == port }
        }
    }

    /// The first HTTP-only field of `rule`, named as written, and where.
    static func httpOnlyField(_ rule: AuthorizationRule) -> (String, Mark)? {
        for operation in rule.to {
            for (name, values) in [("hosts", operation.hosts), ("notHosts", operation.notHosts), ("methods", operation.methods),
                                   ("notMethods", operation.notMethods), ("paths", operation.paths), ("notPaths", operation.notPaths)] {
                if let first = values.first { return (name, first.mark) }
            }
        }
        for source in rule.from {
            if let first = source.requestPrincipals.first { return ("requestPrincipals", first.mark) }
            if let first = source.notRequestPrincipals.first { return ("notRequestPrincipals", first.mark) }
        }
        if let condition = rule.when.first(where: { $0.key?.value.hasPrefix("request.") == true }), let key = condition.key {
            return (key.value, key.mark)
        }
        return nil
    }

    /// Non-HTTP servers of Gateways that select one of `workloads`.
    static func tcpServers(of workloads: [Workload], _ mesh: MeshIndex) -> [(gateway: String, port: Int)] {
        var result: [(String, Int)] = []
        for (resource, spec) in mesh.gateways {
            guard let selector = spec.selector, workloads.contains(where: { $0.matches(selector) }) else { continue }
            for server in spec.servers {
                guard let port = server.port?.number?.value,
                      ["TCP", "TLS", "MONGO", "REDIS", "MYSQL"].contains(server.port?.protocol?.value.uppercased() ?? "") else { continue }
                result.append(("\(resource.namespace)/\(resource.name)", port))
            }
        }
        return result
    }
}
