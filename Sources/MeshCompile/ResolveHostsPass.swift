import MeshDiagnostics
import MeshModel
import MeshValidate

/// Resolves hosts to FQDNs with Istio's rules (`Hosts.fqdn`): VirtualService
/// hosts and gateway references, Service and ServiceEntry hosts. Puts
/// VirtualServices in the documented merge order: file path, then position.
enum ResolveHostsPass {
    static func run(_ state: inout CompileState) {
        let index = state.index
        // Services and ServiceEntries stood (`CompileMemo`): their tables are the last compile's.
        if let memo = state.reusable {
            state.servicesByHost = memo.servicesByHost
            state.serviceEntries = memo.serviceEntries
        } else {
            for resource in ordered(index.resources(of: .service)) {
                guard case .service(let spec) = resource.body else { continue }
                // The last Service declaring a host wins, as in the lint index.
                state.servicesByHost[index.fqdn(resource.name, namespace: resource.namespace)] = (resource, spec)
            }
            for resource in ordered(index.resources(of: .serviceEntry)) {
                guard case .serviceEntry(let spec) = resource.body else { continue }
                state.serviceEntries.append((resource, spec, spec.hosts.map { index.fqdn($0.value, namespace: resource.namespace) }))
            }
        }
        let virtualServices = ordered(index.resources(of: .virtualService))
        if let last = state.reusable?.resolvedHosts, takeOver(last, virtualServices, &state) { return }
        var order: [BoundVirtualService] = [], meshPosition: [Int?] = [], gatewayPosition: [Int?] = []
        // Sized once: growing rehashes every key inserted so far.
        if state.recordsMemo { state.bound.reserveCapacity(virtualServices.count) }
        state.meshVirtualServiceByHost.reserveCapacity(virtualServices.count)
        for resource in virtualServices {
            // A VirtualService's hosts and gateways are its own, resolved under the same config
            // (the kept record carries the spec: the resource's body is not copied out again).
            let kept = state.reusable?.bound[ObjectIdentifier(resource)].flatMap { $0.resource === resource ? $0 : nil }
            guard let bound = kept ?? bind(resource, index) else { continue }
            if state.recordsMemo { state.bound[ObjectIdentifier(resource)] = bound }
            let hosts = bound.hosts, sidecars = bound.appliesToSidecars
            if state.recordsMemo {
                order.append(bound)
                meshPosition.append(sidecars ? state.meshVirtualServices.count : nil)
                gatewayPosition.append(bound.gateways.isEmpty ? nil : state.virtualServices.count)
            }
            if sidecars {
                let position = state.meshVirtualServices.count
                state.meshVirtualServices.append(bound)
                for host in hosts where state.meshVirtualServiceByHost[host] == nil { state.meshVirtualServiceByHost[host] = position }
                if hosts.contains(where: { $0.hasPrefix("*") }) { state.wildcardMeshVirtualServices.append(position) }
            }
            if !bound.gateways.isEmpty { state.virtualServices.append(bound) }
        }
        if state.recordsMemo {
            state.resolvedHosts = ResolvedHosts(order: order, meshPosition: meshPosition, gatewayPosition: gatewayPosition,
                                                virtualServices: state.virtualServices, meshVirtualServices: state.meshVirtualServices,
                                                meshVirtualServiceByHost: state.meshVirtualServiceByHost,
                                                wildcardMeshVirtualServices: state.wildcardMeshVirtualServices)
        }
    }

    /// The last compile's tables with the VirtualServices `virtualServices` (merge order) holds in
    /// place of the ones it held at the same places, when each new one has the hosts and gateways of
    /// the one it replaces (then every table is the same but for those entries). False otherwise.
    private static func takeOver(_ last: ResolvedHosts, _ virtualServices: [Resource], _ state: inout CompileState) -> Bool {
        guard virtualServices.count == last.order.count else { return false }
        var tables = last
        var replaced: [(old: BoundVirtualService, new: BoundVirtualService)] = []
        for (position, resource) in virtualServices.enumerated() where resource !== last.order[position].resource {
            let old = last.order[position]
            guard let new = bind(resource, state.index), new.hosts == old.hosts, new.gateways == old.gateways,
                  new.appliesToSidecars == old.appliesToSidecars else { return false }
            tables.order[position] = new
            if let at = last.meshPosition[position] { tables.meshVirtualServices[at] = new }
            if let at = last.gatewayPosition[position] { tables.virtualServices[at] = new }
            replaced.append((old, new))
        }
        state.virtualServices = tables.virtualServices
        state.meshVirtualServices = tables.meshVirtualServices
        state.meshVirtualServiceByHost = tables.meshVirtualServiceByHost
        state.wildcardMeshVirtualServices = tables.wildcardMeshVirtualServices
        if state.recordsMemo {
            var bound = state.reusable?.bound ?? [:]
            for (old, new) in replaced {
                bound[ObjectIdentifier(old.resource)] = nil
                bound[ObjectIdentifier(new.resource)] = new
            }
            state.bound = bound
            state.resolvedHosts = tables
        }
        return true
    }

    /// `resource` with FQDN hosts and the Gateways it names (`mesh` left out); nil when it is not a VirtualService.
    private static func bind(_ resource: Resource, _ index: MeshIndex) -> BoundVirtualService? {
        guard case .virtualService(let spec) = resource.body else { return nil }
        let gateways = spec.gateways.map(\.value).filter { $0 != "mesh" }.map { ref -> String in
            let parts = Hosts.gatewayRef(ref, defaultNamespace: resource.namespace)
            return "\(parts.namespace)/\(parts.name)"
        }
        let hosts = spec.hosts.map { index.fqdn($0.value, namespace: resource.namespace) }
        return BoundVirtualService(resource: resource, spec: spec, hosts: hosts, gateways: gateways)
    }

    /// `resources` in the documented order: file path, then position in the file.
    /// The linter gives them in that order already (files sorted by path), so
    /// a check in one pass usually spares the sort of 10,000 Services.
    static func ordered(_ resources: [Resource]) -> [Resource] {
        func before(_ a: Resource, _ b: Resource) -> Bool {
            // Field by field: a tuple of the three would copy both file names for every comparison.
            if a.file != b.file { return a.file < b.file }
            return a.mark.line != b.mark.line ? a.mark.line < b.mark.line : a.mark.column < b.mark.column
        }
        if resources.isSorted(by: { !before($1, $0) }) { return resources }
        return resources.sorted(by: before)
    }
}
