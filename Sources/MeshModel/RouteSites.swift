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

    /// Every `gateways` entry of an HTTP, TLS or TCP match, in that order,
    /// made when the spec is decoded. Most VirtualServices have none, and
    /// then nothing is allocated.
    static func matchGateways(http: [HTTPRoute], tls: [TLSRoute], tcp: [TCPRoute]) -> [MatchGatewayRef] {
        var result: [MatchGatewayRef] = []
        func add(_ field: String, rule: Int, match: Int, _ gateways: [Located<String>]) {
            for (index, ref) in gateways.enumerated() {
                result.append(MatchGatewayRef(ref: ref, field: field, rule: rule, match: match, index: index))
            }
        }
        for (i, rule) in http.enumerated() {
            for (j, match) in rule.match.enumerated() where !match.gateways.isEmpty { add("http", rule: i, match: j, match.gateways) }
        }
        for (i, rule) in tls.enumerated() {
            for (j, match) in rule.match.enumerated() where !match.gateways.isEmpty { add("tls", rule: i, match: j, match.gateways) }
        }
        for (i, rule) in tcp.enumerated() {
            for (j, match) in rule.match.enumerated() where !match.gateways.isEmpty { add("tcp", rule: i, match: j, match.gateways) }
        }
        return result
    }
}

/// A gateway named in a route match (`spec.http[0].match[1].gateways[0]`).
package struct MatchGatewayRef: Sendable {
    package var ref: Located<String>
    package var field: String
    package var rule: Int
    package var match: Int
    package var index: Int

    package var path: String { "spec.\(field)[\(rule)].match[\(match)].gateways[\(index)]" }
}
