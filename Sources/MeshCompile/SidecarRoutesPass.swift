import MeshDiagnostics
import MeshIR
import MeshModel
import MeshValidate

/// Builds each sidecar's outbound route table and inbound ports.
///
/// Outbound: one virtual host per reachable HTTP service port (Services and
/// ServiceEntries within the Sidecar scope). Without iptables there is one
/// outbound listener, so a virtual host answers to `name:port` for every
/// name Istio's outbound table gives the service (FQDN, `name.namespace`,
/// `name.namespace.svc`, and `name` in the proxy's own namespace), and to
/// the bare names on the service's port 80 or, without one, its lowest
/// HTTP port. The first mesh VirtualService (documented order) naming the
/// host gives the routes; without one the host gets Istio's default route.
///
/// Inbound: per declared workload port, a listener that forwards to the
/// workload itself (Istio's `inbound|<port>||` cluster).
enum SidecarRoutesPass {
    static func run(_ state: inout CompileState) {
        for declaration in state.declarations where declaration.role == .sidecar {
            if let wanted = state.options.proxies, !wanted.contains(declaration.name) { continue }
            var sidecar = SidecarProxy(declaration: declaration)
            let reach: SidecarReach
            // What the sidecar reaches reads no VirtualService: while only they changed, the last compile's stands (`CompileMemo`).
            if let kept = state.reusable?.sidecarReach[declaration.name] {
                reach = kept
                state.notes += kept.notes
            } else {
                reach = self.reach(declaration, &state)
            }
            if state.recordsMemo { state.sidecarReach[declaration.name] = reach }
            for tcp in reach.tcp { state.clusterKeys.insert(tcp.cluster) }
            sidecar.outbound = outboundHosts(reach.http, &state)
            sidecar.tcpOutbound = reach.tcp
            sidecar.inbound = inboundPorts(declaration, &state)
            state.sidecars.append(sidecar)
        }
        for vs in state.meshVirtualServices where !vs.spec.tcp.isEmpty || !vs.spec.tls.isEmpty {
            state.note("tcp and tls routes on sidecars are not built; sidecars forward non-HTTP service ports only through gateways",
                       in: vs.resource)
        }
    }

    /// A reachable service port: host, port and the names it answers to.
    private struct Target {
        let host: String
        let port: Int
        let namespace: String
        /// Service name for the short aliases; nil for ServiceEntry hosts.
        let serviceName: String?
        let origin: Resource
        /// HTTP by the port's protocol (see `isHTTP`); else forwarded over TCP.
        let isHTTP: Bool
    }

    /// Every service port in scope, Services (by host) then ServiceEntries
    /// (documented order); a host and port a Service already gives is not given again.
    private static func reachablePorts(_ scope: SidecarScope, _ state: CompileState) -> [Target] {
        var targets: [Target] = []
        targets.reserveCapacity(state.servicesByHost.count + state.serviceEntries.count)
        // Hosts are distinct keys: a Service repeats a port of its own only.
        for host in state.servicesByHost.keys.sorted() {
            let (resource, spec) = state.servicesByHost[host]!
            guard scope.allows(host, namespace: resource.namespace) else { continue }
            let ports = spec.ports
            for i in ports.indices {
                guard let port = ports[i].port?.value, !ports[..<i].contains(where: { $0.port?.value == port }) else { continue }
                targets.append(Target(host: host, port: port, namespace: resource.namespace, serviceName: resource.name, origin: resource,
                                      isHTTP: isHTTP(PortProtocol.of(ports[i]))))
            }
        }
        var seen = Set<String>()
        for entry in state.serviceEntries.entries {
            for host in entry.hosts where scope.allows(host, namespace: entry.resource.namespace) {
                for port in entry.spec.ports {
                    guard let number = port.number?.value, !givenByService(host, number, scope, state),
                          seen.insert("\(host):\(number)").inserted else { continue }
                    targets.append(Target(host: host, port: number, namespace: entry.resource.namespace, serviceName: nil, origin: entry.resource,
                                          isHTTP: isHTTP(port.protocol.flatMap { PortProtocol.parse($0.value) })))
                }
            }
        }
        return targets
    }

    /// True when a Service in `scope` gives `host` and `port`.
    private static func givenByService(_ host: String, _ port: Int, _ scope: SidecarScope, _ state: CompileState) -> Bool {
        guard let (resource, spec) = state.servicesByHost[host], scope.allows(host, namespace: resource.namespace) else { return false }
        return ServiceTarget.service(resource, spec).hasPort(port)
    }

    /// What `declaration` reaches, with the notes finding it wrote.
    private static func reach(_ declaration: ProxyDeclaration, _ state: inout CompileState) -> SidecarReach {
        let ((http, tcp), notes) = state.withNotes { state in
            let targets = reachablePorts(SidecarScope(for: declaration, &state), state)
            return (outboundTargets(declaration, targets.filter(\.isHTTP)),
                    tcpOutbound(declaration, targets.filter { !$0.isHTTP && !$0.host.hasPrefix("*") }, &state))
        }
        return SidecarReach(http: http, tcp: tcp, notes: notes)
    }

    /// The HTTP service ports with the names each answers to, sorted by
    /// virtual host name. A name goes to the first target (in `targets`'
    /// order) that gives it.
    private static func outboundTargets(_ declaration: ProxyDeclaration, _ targets: [Target]) -> [SidecarReach.HTTPTarget] {
        // The port that answers to bare names: 80, else the host's lowest HTTP port.
        var barePort = [String: Int](minimumCapacity: targets.count)
        for target in targets {
            let current = barePort[target.host]
            if current == nil || target.port == 80 || (current != 80 && target.port < current!) { barePort[target.host] = target.port }
        }
        // Each target's names, sorted and each once, made on every core.
        let names = targets.parallelMap(chunk: 512) { [barePort] target in
            var names: [String] = []
            for alias in aliases(target, proxyNamespace: declaration.namespace) {
                if barePort[target.host] == target.port { names.append(alias) }
                names.append("\(alias):\(target.port)")
            }
            names.sort()
            // A name twice in one list would count as taken by that list itself.
            return names.indices.filter { $0 == 0 || names[$0] != names[$0 - 1] }.map { names[$0] }
        }
        let taken = namesTakenEarlier(names)
        var result: [SidecarReach.HTTPTarget] = []
        result.reserveCapacity(targets.count)
        for (i, target) in targets.enumerated() {
            let domains = taken[i].map { lost in names[i].filter { !lost.contains($0) } } ?? names[i]
            result.append(SidecarReach.HTTPTarget(host: target.host, port: target.port, name: "\(target.host):\(target.port)",
                                                  domains: domains, origin: target.origin))
        }
        return result.sorted { $0.name < $1.name }
    }

    /// Per list (by index), its names an earlier list already gave; lists
    /// with none left out. Equal names have equal lengths, so names of odd
    /// and of even length are claimed apart, one half on each core, each in
    /// list order: the outcome of one pass over all of them.
    private static func namesTakenEarlier(_ lists: [[String]]) -> [Int: Set<String>] {
        let claim = { (parity: Int) -> [Int: Set<String>] in
            var claimed = Set<String>(minimumCapacity: lists.count * 3)
            var taken: [Int: Set<String>] = [:]
            for (i, names) in lists.enumerated() {
                for name in names where name.utf8.count & 1 == parity && !claimed.insert(name).inserted {
                    taken[i, default: []].insert(name)
                }
            }
            return taken
        }
        let (odd, even) = Parallel.both({ claim(1) }, { claim(0) })
        return odd.merging(even) { $0.union($1) }
    }

    /// The outbound hosts of `targets`, each with the rules of the mesh VirtualService naming it.
    /// Looked up on every core (10,000 hosts for a 10k sidecar); a host without rules gets its default route's cluster.
    private static func outboundHosts(_ targets: [SidecarReach.HTTPTarget], _ state: inout CompileState) -> [OutboundHost] {
        let (virtualServices, byHost, wildcards) = (state.meshVirtualServices, state.meshVirtualServiceByHost, state.wildcardMeshVirtualServices)
        let hosts = targets.parallelMap(chunk: 1024) { target in
            OutboundHost(host: target.host, port: target.port, domains: target.domains,
                         rules: meshRules(for: target.host, port: target.port, virtualServices, byHost, wildcards),
                         origin: target.origin, name: target.name)
        }
        for host in hosts where host.rules.isEmpty { state.clusterKeys.insert(ClusterKey(host: host.host, port: host.port, subset: nil)) }
        return hosts
    }

    /// One TCP listener per non-HTTP service port in scope, on the service
    /// port itself (Istio's `0.0.0.0_<port>` outbound listener); the first
    /// service in host order takes a port two services share.
    private static func tcpOutbound(_ declaration: ProxyDeclaration, _ candidates: [Target], _ state: inout CompileState) -> [TCPOutbound] {
        var byPort: [Int: TCPOutbound] = [:]
        for candidate in candidates {
            if let taken = byPort[candidate.port] {
                if taken.host != candidate.host {
                    state.note("\(candidate.host) and \(taken.host) share TCP port \(candidate.port); without a service address to tell them apart "
                               + "sidecar \(declaration.name) sends that port to \(taken.host)", in: candidate.origin)
                }
                continue
            }
            byPort[candidate.port] = TCPOutbound(host: candidate.host, port: candidate.port,
                                                 cluster: ClusterKey(host: candidate.host, port: candidate.port, subset: nil))
        }
        return byPort.keys.sorted().map { byPort[$0]! }
    }

    /// Istio treats HTTP-family ports as HTTP, and so does meshc for ports whose protocol it cannot tell (Istio sniffs them).
    static func isHTTP(_ proto: PortProtocol?) -> Bool {
        guard let proto else { return true }
        return [.http, .http2, .grpc, .grpcWeb, .httpProxy].contains(proto)
    }

    private static func aliases(_ target: Target, proxyNamespace: String) -> [String] {
        guard let name = target.serviceName else { return [target.host] }
        var result = [target.host, "\(name).\(target.namespace)", "\(name).\(target.namespace).svc"]
        if target.namespace == proxyNamespace { result.append(name) }
        return result
    }

    /// The rules of the first mesh VirtualService naming `host` exactly, else the first whose wildcard covers it.
    private static func meshRules(for host: String, port: Int, _ virtualServices: [BoundVirtualService], _ byHost: [String: Int],
                                  _ wildcards: [Int]) -> [RuleRef] {
        let position = byHost[host] ?? wildcards.first { index in
            virtualServices[index].hosts.contains { $0.hasPrefix("*") && Hosts.covers($0, host) }
        }
        guard let position else { return [] }
        let vs = virtualServices[position]
        return vs.spec.http.enumerated().map { position, rule in
            RuleRef(virtualService: vs, rule: rule, position: position, gatewayKey: "mesh", port: port)
        }
    }

    private static func inboundPorts(_ declaration: ProxyDeclaration, _ state: inout CompileState) -> [InboundPort] {
        guard let workload = declaration.workload, case .workloadEntry(let entry) = workload.body,
              let address = entry.address?.value else { return [] }
        return declaration.listenPorts.keys.sorted().map { port in
            let cluster = Cluster(name: "inbound|\(port)||", endpoints: [Endpoint(address: address, port: port)],
                                  discovery: Names.isIPAddress(address) ? .static : .dns)
            return InboundPort(port: port, listenPort: declaration.listenPorts[port]!, cluster: cluster)
        }
    }
}

/// What a sidecar reaches, a function of its Sidecar scope and the
/// Services and ServiceEntries (no VirtualService): its HTTP service ports
/// with the names each answers to, its TCP service ports, and the notes
/// finding them wrote. A `CompileMemo` keeps it per sidecar.
struct SidecarReach {
    struct HTTPTarget {
        let host: String
        let port: Int
        /// `host:port`.
        let name: String
        /// Sorted.
        let domains: [String]
        let origin: Resource
    }

    /// Sorted by name.
    let http: [HTTPTarget]
    let tcp: [TCPOutbound]
    let notes: [CompileNote]
}
