import MeshModel

/// A VirtualService with what the routing analyzers read, resolved once when
/// the index is built so no analyzer rebuilds host names per lookup.
struct RoutedVirtualService {
    let resource: Resource
    let spec: VirtualServiceSpec
    /// `spec.hosts`, FQDN-resolved in the VirtualService's namespace (same indices).
    let hosts: [String]
    /// True when the sidecars of the mesh apply it (see `VirtualServiceSpec.isMeshBound`).
    let isMeshBound: Bool
    /// The Gateways it binds, `mesh` left out.
    let gatewayBindings: [GatewayBinding]
    /// Every destination that names a host, in `sitedDestinations` order.
    let destinations: [ResolvedDestination]
}

/// A destination with its host FQDN-resolved and looked up in the mesh.
struct ResolvedDestination {
    let sited: SitedDestination
    /// The destination host, FQDN-resolved in the VirtualService's namespace.
    let fqdn: String
    /// The Service or ServiceEntry providing `fqdn` (`MeshIndex.target(forHost:)`).
    let target: ServiceTarget?
}

/// A DestinationRule with its host FQDN-resolved (nil when it names none).
struct RoutedDestinationRule {
    let resource: Resource
    let spec: DestinationRuleSpec
    let fqdn: String?
}

/// `Hosts.fqdn` with a cache: a mesh names the same short hosts from the
/// same namespaces over and over, and each miss builds a new String.
/// Used only while the index is built (it mutates).
struct HostResolver {
    private struct Key: Hashable {
        var host: String
        var namespace: String
    }

    let domain: String
    private var cache: [Key: String] = [:]

    init(domain: String) { self.domain = domain }

    mutating func fqdn(_ host: String, namespace: String) -> String {
        guard Hosts.isShortName(host) else { return host }
        let key = Key(host: host, namespace: namespace)
        if let known = cache[key] { return known }
        let resolved = Hosts.fqdn(host, namespace: namespace, domain: domain)
        cache[key] = resolved
        return resolved
    }
}

extension MeshIndex {
    /// Resolves every VirtualService's hosts, gateways and destinations.
    static func routeVirtualServices(_ virtualServices: [Resource], _ services: ServiceTable,
                                     _ resolver: inout HostResolver) -> [RoutedVirtualService] {
        var result: [RoutedVirtualService] = []
        result.reserveCapacity(virtualServices.count)
        for resource in virtualServices {
            guard case .virtualService(let spec) = resource.body else { continue }
            let namespace = resource.namespace
            let destinations = spec.sitedDestinations.map { sited in
                let fqdn = resolver.fqdn(sited.host.value, namespace: namespace)
                return ResolvedDestination(sited: sited, fqdn: fqdn, target: services.target(forHost: fqdn))
            }
            result.append(RoutedVirtualService(
                resource: resource, spec: spec, hosts: spec.hosts.map { resolver.fqdn($0.value, namespace: namespace) },
                isMeshBound: spec.isMeshBound, gatewayBindings: spec.gatewayBindings(namespace: namespace),
                destinations: destinations))
        }
        return result
    }

    /// DestinationRules in resource order, hosts resolved.
    static func routeDestinationRules(_ rules: [Resource], _ resolver: inout HostResolver) -> [RoutedDestinationRule] {
        rules.compactMap { resource in
            guard case .destinationRule(let spec) = resource.body else { return nil }
            let fqdn = spec.host.map { resolver.fqdn($0.value, namespace: resource.namespace) }
            return RoutedDestinationRule(resource: resource, spec: spec, fqdn: fqdn)
        }
    }
}
