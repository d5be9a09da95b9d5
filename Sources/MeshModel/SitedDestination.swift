import MeshDiagnostics

/// Where a VirtualService names a destination. Indices only: the field path
/// is built when a finding needs it.
package enum DestinationSite: Sendable {
    case http(rule: Int, route: Int)
    case httpMirror(rule: Int)
    case httpMirrors(rule: Int, mirror: Int)
    case tls(rule: Int, route: Int)
    case tcp(rule: Int, route: Int)

    /// Field path of the `destination` object (`spec.http[0].route[1].destination`).
    package var path: String {
        switch self {
        case .http(let rule, let route): "spec.http[\(rule)].route[\(route)].destination"
        case .httpMirror(let rule): "spec.http[\(rule)].mirror"
        case .httpMirrors(let rule, let mirror): "spec.http[\(rule)].mirrors[\(mirror)].destination"
        case .tls(let rule, let route): "spec.tls[\(rule)].route[\(route)].destination"
        case .tcp(let rule, let route): "spec.tcp[\(rule)].route[\(route)].destination"
        }
    }

    /// True for the routes that carry traffic (not mirrors).
    package var isRoute: Bool {
        switch self {
        case .http, .tls, .tcp: true
        case .httpMirror, .httpMirrors: false
        }
    }
}

/// A destination with a host, as written in a VirtualService.
package struct SitedDestination: Sendable {
    package var destination: Destination
    package var host: Located<String>
    package var site: DestinationSite
}

extension VirtualServiceSpec {
    /// Every destination that names a host: HTTP routes, mirror and mirrors,
    /// then TLS and TCP routes. Made once, when the spec is decoded (its
    /// routes are still in cache, and files decode on every core), for the
    /// index that resolves them (`MeshIndex.routeVirtualServices`).
    static func sitedDestinations(http: [HTTPRoute], tls: [TLSRoute], tcp: [TCPRoute]) -> [SitedDestination] {
        var result: [SitedDestination] = []
        func add(_ destination: Destination?, _ site: DestinationSite) {
            guard let destination, let host = destination.host else { return }
            result.append(SitedDestination(destination: destination, host: host, site: site))
        }
        for (i, rule) in http.enumerated() {
            for (j, route) in rule.route.enumerated() { add(route.destination, .http(rule: i, route: j)) }
            add(rule.mirror, .httpMirror(rule: i))
            for (j, mirror) in rule.mirrors.enumerated() { add(mirror.destination, .httpMirrors(rule: i, mirror: j)) }
        }
        for (i, rule) in tls.enumerated() {
            for (j, route) in rule.route.enumerated() { add(route.destination, .tls(rule: i, route: j)) }
        }
        for (i, rule) in tcp.enumerated() {
            for (j, route) in rule.route.enumerated() { add(route.destination, .tcp(rule: i, route: j)) }
        }
        return result
    }
}
