import MeshIR
import MeshModel
import MeshValidate

/// Finds the endpoints of a service port: WorkloadEntries a Kubernetes
/// Service selects, or a ServiceEntry's endpoints (inline, selected
/// WorkloadEntries, or its own host for DNS resolution). Only
/// WorkloadEntries carry addresses; Pods and controllers are skipped with a note.
enum EndpointResolver {
    /// The ServiceEntry providing `host`: the first declaring it, else the first wildcard covering it;
    /// nil when a Kubernetes Service provides it (a Service wins: its endpoints, discovery and port are the ones).
    static func serviceEntry(for host: String, _ state: CompileState) -> ServiceEntryTable.Entry? {
        state.servicesByHost[host] == nil ? state.serviceEntries.providing(host) : nil
    }

    /// Endpoints of `key` restricted to workloads carrying `labels` (a subset's); nil when no service provides the host.
    static func endpoints(for key: ClusterKey, labels: StringMap, _ state: inout CompileState) -> [Endpoint]? {
        if let service = state.servicesByHost[key.host] {
            return serviceEndpoints(service.resource, service.spec, key, labels, &state)
        }
        if let entry = serviceEntry(for: key.host, state) {
            return entryEndpoints(entry.resource, entry.spec, key, labels, &state)
        }
        return nil
    }

    private static func serviceEndpoints(_ resource: Resource, _ spec: ServiceSpec, _ key: ClusterKey, _ labels: StringMap,
                                         _ state: inout CompileState) -> [Endpoint] {
        guard let servicePort = spec.ports.first(where: { $0.port?.value == key.port }) else {
            state.note("Service \(resource.namespace)/\(resource.name) has no port \(key.port); cluster \(key.name) has no endpoints", in: resource)
            return []
        }
        var result: [Endpoint] = []
        // By index: a cluster reads two fields of each workload, and copying every `Workload` out was most of the lookup.
        let index = state.index
        for position in index.workloadIndices(selectedBy: resource) where labels.selects(index.workloads[position].labels) {
            guard let owner = index.workloads[position].resource else { continue }
            if case .proxy(let proxy) = owner.body {
                // A declared gateway is an endpoint itself: its address, the listen port of the mesh port the Service targets.
                if let endpoint = gatewayEndpoint(proxy, owner, servicePort, key, &state) { result.append(endpoint) }
                continue
            }
            guard case .workloadEntry(let entry) = owner.body, let address = entry.address?.value else {
                state.note("\(owner.kind.rawValue) \(owner.namespace)/\(owner.name) has no address, so it gives \(key.name) no endpoint; "
                           + "declare a WorkloadEntry for it", in: owner)
                continue
            }
            // Istio: the entry's port named like the service port, else the target port, else the service port.
            var port = key.port
            if let named = servicePort.name?.value, let mapped = entry.ports.first(where: { $0.key.value == named }) {
                port = mapped.value.value
            } else if let target = servicePort.targetPort?.value {
                switch target {
                case .int(let number): port = number
                case .string(let name):
                    guard let mapped = entry.ports.first(where: { $0.key.value == name }) else { continue }
                    port = mapped.value.value
                }
            }
            // A sidecar fronting the workload takes its traffic (no iptables: the endpoint is the sidecar's inbound listener).
            let intercepted = state.interceptions[ObjectIdentifier(owner)]?[port]
            let target = intercepted ?? (address, port)
            if let endpoint = endpoint(target.address, target.port, entry.weight?.value, owner, &state) {
                result.append(endpoint)
                recordPeer(key, owner: owner, port: port, intercepted: intercepted != nil, &state)
            }
        }
        return result.sorted()
    }

    /// The endpoint a declared gateway Proxy gives a Service selecting it: `spec.address` and the
    /// listen port of the targeted mesh port (Istio's gateway Service reaching the gateway pod).
    private static func gatewayEndpoint(_ proxy: ProxySpec, _ owner: Resource, _ servicePort: ServicePortSpec, _ key: ClusterKey,
                                        _ state: inout CompileState) -> Endpoint? {
        guard let address = proxy.address?.value, address != "0.0.0.0", address != "::" else {
            state.note("gateway Proxy \(owner.namespace)/\(owner.name) listens on every address, so it gives \(key.name) no endpoint; "
                       + "give it spec.address", in: owner)
            return nil
        }
        var meshPort = key.port
        if case .int(let target)? = servicePort.targetPort?.value, target != 0 { meshPort = target }
        let listen = proxy.ports.first { $0.port?.value == meshPort }?.listenPort?.value ?? meshPort
        return endpoint(address, listen, nil, owner, &state)
    }

    /// Notes who answers at one endpoint of `key` (mesh mTLS: auto-mTLS and the SANs to expect).
    private static func recordPeer(_ key: ClusterKey, owner: Resource, port: Int, intercepted: Bool, _ state: inout CompileState) {
        var peers = state.endpointPeers[key] ?? EndpointPeers()
        if intercepted, let sidecar = state.sidecarOfWorkload[ObjectIdentifier(owner)] {
            peers.identities.insert(sidecar.identity.spiffeID(trustDomain: state.options.config.trustDomain))
            if state.peerModes[sidecar.name]?.mode(port) == .disable { peers.disabled = true }
        } else {
            peers.plain += 1
        }
        state.endpointPeers[key] = peers
    }

    private static func entryEndpoints(_ resource: Resource, _ spec: ServiceEntrySpec, _ key: ClusterKey, _ labels: StringMap,
                                       _ state: inout CompileState) -> [Endpoint] {
        guard let entryPort = spec.ports.first(where: { $0.number?.value == key.port }) else {
            state.note("ServiceEntry \(resource.namespace)/\(resource.name) has no port \(key.port); cluster \(key.name) has no endpoints",
                       in: resource)
            return []
        }
        func port(of entry: WorkloadEntrySpec) -> Int {
            if let named = entryPort.name?.value, let mapped = entry.ports.first(where: { $0.key.value == named }) { return mapped.value.value }
            return entryPort.targetPort?.value ?? key.port
        }
        var result: [Endpoint] = []
        // No sidecar fronts a ServiceEntry's endpoints here: each counts as plain text for mesh mTLS.
        defer { if !result.isEmpty { state.endpointPeers[key, default: EndpointPeers()].plain += result.count } }
        for entry in spec.endpoints where labels.selects(entry.labels ?? StringMap()) {
            guard let address = entry.address?.value else { continue }
            if let endpoint = endpoint(address, port(of: entry), entry.weight?.value, resource, &state) { result.append(endpoint) }
        }
        if let selector = spec.workloadSelector {
            for workload in state.index.workloads(in: resource.namespace, matching: selector.labels) where labels.selects(workload.labels) {
                guard let owner = workload.resource, case .workloadEntry(let entry) = owner.body, let address = entry.address?.value else { continue }
                if let endpoint = endpoint(address, port(of: entry), entry.weight?.value, owner, &state) { result.append(endpoint) }
            }
        }
        if result.isEmpty, ["DNS", "DNS_ROUND_ROBIN"].contains(spec.resolution?.value ?? ""), !key.host.hasPrefix("*"), spec.endpoints.isEmpty,
           spec.workloadSelector == nil {
            // Istio: the port traffic is received on is targetPort when written.
            result.append(Endpoint(address: key.host, port: entryPort.targetPort?.value ?? key.port))
        }
        return result.sorted()
    }

    /// How the proxy finds the addresses of `key`'s endpoints. A ServiceEntry's resolution decides, as in
    /// Istio: STATIC → static IPs, DNS → every address of every name, DNS_ROUND_ROBIN → the first address of
    /// one name, NONE → the endpoints as given (a gateway cannot pass traffic through to the original
    /// destination, so Istio falls back to the endpoints too). Other hosts: static when every address is an IP.
    static func discovery(for key: ClusterKey, endpoints: inout [Endpoint], _ state: inout CompileState) -> Cluster.Discovery {
        let allIPs = endpoints.allSatisfy { Names.isIPAddress($0.address) }
        guard let entry = serviceEntry(for: key.host, state) else { return allIPs ? .static : .dns }
        switch entry.spec.resolution?.value ?? "NONE" {
        case "DNS": return .dns
        case "DNS_ROUND_ROBIN":
            if endpoints.count > 1 {
                state.note("resolution DNS_ROUND_ROBIN takes one endpoint; \(key.name) keeps \(endpoints[0].address)", in: entry.resource)
                endpoints = [endpoints[0]]
            }
            return .logicalDNS
        default:
            if endpoints.isEmpty, entry.spec.resolution?.value ?? "NONE" == "NONE" {
                state.note("ServiceEntry \(entry.resource.namespace)/\(entry.resource.name) has resolution NONE and no endpoints, so a "
                           + "gateway has no address to send \(key.name) to; use resolution DNS or STATIC with endpoints", in: entry.resource)
            }
            return allIPs ? .static : .dns
        }
    }

    private static func endpoint(_ address: String, _ port: Int, _ weight: Int?, _ owner: Resource, _ state: inout CompileState) -> Endpoint? {
        if address.hasPrefix("unix://") {
            state.note("unix socket endpoints are not built yet", in: owner)
            return nil
        }
        return Endpoint(address: address, port: port, weight: max(1, weight ?? 1))
    }
}
