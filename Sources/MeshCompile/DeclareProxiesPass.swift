import MeshIR
import MeshModel
import MeshValidate

/// Decides which proxies the build produces. Declared `Proxy` manifests when
/// the repository has any; otherwise the implicit ones: a gateway proxy per
/// distinct Gateway selector (`istio: ingressgateway` →
/// `gateway-istio-ingressgateway`) and the sidecar view `mesh` that reaches
/// every service. Also records which workload ports a sidecar intercepts, so
/// that other proxies send to the sidecar instead of the workload.
enum DeclareProxiesPass {
    /// Istio's outbound capture port, the default of a sidecar's outbound listener.
    static let outboundPort = 15001
    static let defaultAdminPort = 15000

    static func run(_ state: inout CompileState) {
        let declared = ResolveHostsPass.ordered(state.index.resources(of: .proxy))
        var byName: [String: ProxyDeclaration] = [:]
        if declared.isEmpty {
            for declaration in implicit(state) { byName[declaration.name] = declaration }
        } else {
            for resource in declared {
                guard case .proxy(let spec) = resource.body else { continue }
                if byName[resource.name] != nil {
                    state.note("a Proxy named \(resource.name) is already declared; this one is left out (proxy names are global)", in: resource)
                    continue
                }
                guard let declaration = declaration(resource, spec, &state) else { continue }
                byName[resource.name] = declaration
            }
        }
        state.declarations = byName.keys.sorted().map { byName[$0]! }
        for declaration in state.declarations where declaration.role == .sidecar {
            guard let workload = declaration.workload, case .workloadEntry(let entry) = workload.body else { continue }
            let address = ["0.0.0.0", "::"].contains(declaration.address) ? (entry.address?.value ?? declaration.address) : declaration.address
            for (port, listenPort) in declaration.listenPorts {
                state.interceptions[ObjectIdentifier(workload), default: [:]][port] = (address, listenPort)
            }
        }
    }

    private static func declaration(_ resource: Resource, _ spec: ProxySpec, _ state: inout CompileState) -> ProxyDeclaration? {
        let role: ProxyConfig.Role = spec.role?.value == "sidecar" ? .sidecar : .gateway
        var workload: Resource?
        var labels = spec.labels ?? StringMap()
        if let name = spec.workload {
            workload = state.index.resources(of: .workloadEntry).first { $0.name == name.value && $0.namespace == resource.namespace }
            guard let entry = workload, case .workloadEntry(let entrySpec) = entry.body else {
                state.note("Proxy \(resource.name) fronts WorkloadEntry \(resource.namespace)/\(name.value), which is not declared; "
                           + "the proxy is left out", in: resource, at: name.mark)
                return nil
            }
            if spec.labels == nil {
                labels = entry.labels
                if let own = entrySpec.labels { labels.entries.append(contentsOf: own.entries) }
            }
        }
        var ports: [Int: Int] = [:]
        for entry in spec.ports {
            guard let port = entry.port?.value else { continue }
            ports[port] = entry.listenPort?.value ?? port
        }
        var declaration = ProxyDeclaration(
            name: resource.name, role: role, namespace: resource.namespace, labels: labels,
            address: spec.address?.value ?? "0.0.0.0", listenPorts: ports, portOffset: 0,
            outboundPort: spec.outboundPort?.value ?? outboundPort, adminPort: spec.admin?.port?.value ?? defaultAdminPort,
            agentAddress: spec.agent?.address?.value, workload: workload, resource: resource)
        var account: String?
        if let entry = workload, case .workloadEntry(let entrySpec) = entry.body { account = entrySpec.serviceAccount?.value }
        declaration.identity = WorkloadIdentity(namespace: workload?.namespace ?? resource.namespace,
                                                serviceAccount: spec.serviceAccount?.value ?? account ?? "default")
        return declaration
    }

    /// One gateway per distinct Gateway selector, and `mesh`; admin ports
    /// from `options.adminPort` in name order.
    private static func implicit(_ state: CompileState) -> [ProxyDeclaration] {
        var selectors: [String: StringMap] = [:]
        for resource in ResolveHostsPass.ordered(state.index.resources(of: .gateway)) {
            guard case .gateway(let spec) = resource.body, let selector = spec.selector, !selector.isEmpty else { continue }
            let name = proxyName(selector)
            if selectors[name] == nil { selectors[name] = selector }
        }
        var names = selectors.keys.sorted()
        names.append("mesh")
        names.sort()
        let options = state.options
        return names.enumerated().map { offset, name in
            ProxyDeclaration(
                name: name, role: name == "mesh" ? .sidecar : .gateway, namespace: "default", labels: selectors[name] ?? StringMap(),
                address: options.listenAddress, listenPorts: [:], portOffset: options.portOffset,
                outboundPort: outboundPort, adminPort: options.adminPort + offset,
                agentAddress: nil, workload: nil, resource: nil)
        }
    }

    /// `gateway-` and the selector's `key-value` pairs sorted by key, lower-cased,
    /// anything but letters, digits, `-` and `.` turned into `-`.
    static func proxyName(_ selector: StringMap) -> String {
        let pairs = selector.dictionary.sorted { $0.key < $1.key }.map { "\($0.key)-\($0.value)" }
        let raw = "gateway-" + pairs.joined(separator: "-")
        return String(raw.lowercased().map { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == "." ? $0 : "-" })
    }
}
