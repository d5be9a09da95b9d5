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
        for resource in ordered(index.resources(of: .virtualService)) {
            guard case .virtualService(let spec) = resource.body else { continue }
            // A VirtualService's hosts and gateways are its own, resolved under the same config.
            let bound = state.reusable?.bound[ObjectIdentifier(resource)].flatMap { $0.resource === resource ? $0 : nil }
                ?? bind(resource, spec, index)
            if state.recordsMemo { state.bound[ObjectIdentifier(resource)] = bound }
            let hosts = bound.hosts, gateways = bound.gateways
            if gateways.isEmpty || spec.gateways.contains(where: { $0.value == "mesh" }) {
                let position = state.meshVirtualServices.count
                state.meshVirtualServices.append(bound)
                for host in hosts where state.meshVirtualServiceByHost[host] == nil { state.meshVirtualServiceByHost[host] = position }
                if hosts.contains(where: { $0.hasPrefix("*") }) { state.wildcardMeshVirtualServices.append(position) }
            }
            if !gateways.isEmpty { state.virtualServices.append(bound) }
        }
    }

    /// `resource` with FQDN hosts and the Gateways it names (`mesh` left out).
    private static func bind(_ resource: Resource, _ spec: VirtualServiceSpec, _ index: MeshIndex) -> BoundVirtualService {
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
        func before(_ a: Resource, _ b: Resource) -> Bool { (a.file, a.mark.line, a.mark.column) < (b.file, b.mark.line, b.mark.column) }
        if zip(resources, resources.dropFirst()).allSatisfy({ !before($1, $0) }) { return resources }
        return resources.sorted(by: before)
    }
}
