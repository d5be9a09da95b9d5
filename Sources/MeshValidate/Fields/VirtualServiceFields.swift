import MeshDiagnostics
import MeshModel

/// VirtualService: hosts, gateways, TLS and TCP routes, destinations
/// (Istio's ValidateVirtualService). HTTP routes are in HTTPRouteFields.swift.
extension FieldChecker {
    mutating func virtualService(_ spec: VirtualServiceSpec) {
        let isDelegate = spec.hosts.isEmpty
        if isDelegate {
            if let first = spec.gateways.first {
                fail(first.mark, "spec.gateways", "delegate virtual service must have no gateways specified",
                     hint: "add hosts, or remove gateways from the delegate")
            }
            if let first = spec.tls.first {
                fail(first.mark, "spec.tls", "delegate virtual service must have no tls route specified", hint: "add hosts, or remove tls")
            }
            if let first = spec.tcp.first {
                fail(first.mark, "spec.tcp", "delegate virtual service must have no tcp route specified", hint: "add hosts, or remove tcp")
            }
        }
        gatewayNames(spec.gateways, "spec.gateways")
        let appliesToGateway = !spec.gateways.isEmpty && !spec.gateways.contains { $0.value == "mesh" }
        virtualServiceHosts(spec, appliesToGateway: appliesToGateway)
        if !appliesToGateway {
            for (i, route) in spec.http.enumerated() {
                for m in route.match.indices { // indexing, not copying each match
                    jwtClaimMatches(route.match[m].headers, "spec.http[\(i)].match[\(m)].headers")
                    jwtClaimMatches(route.match[m].withoutHeaders, "spec.http[\(i)].match[\(m)].withoutHeaders")
                }
            }
        }
        if spec.http.isEmpty && spec.tcp.isEmpty && spec.tls.isEmpty {
            fail(specMark, "spec", "http, tcp or tls must be provided in virtual service", hint: "add an http, tcp or tls route")
        }
        for (i, route) in spec.http.enumerated() { httpRoute(route, "spec.http[\(i)]", delegate: isDelegate) }
        for (i, route) in spec.tls.enumerated() { tlsRoute(route, "spec.tls[\(i)]", spec, appliesToGateway: appliesToGateway) }
        for (i, route) in spec.tcp.enumerated() {
            func path() -> String { "spec.tcp[\(i)]" }
            for (m, match) in route.match.enumerated() {
                subnets(match.destinationSubnets, "\(path()).match[\(m)].destinationSubnets")
                port(match.port, "\(path()).match[\(m)].port")
                gatewayNames(match.gateways, "\(path()).match[\(m)].gateways")
            }
            require(!route.route.isEmpty, route.mark, path(), "TCP route is required", hint: "add a route with a destination")
            routeDestinations(route.route, path() + ".route")
        }
        exportTo(spec.exportTo, "spec.exportTo")
    }

    /// Header matches on JWT claims, which only gateways can route on.
    private mutating func jwtClaimMatches(_ headers: [(key: Located<String>, value: StringMatch)], _ path: @autoclosure () -> String) {
        for (key, _) in headers where key.value.hasPrefix("@request.auth.claims") {
            fail(key.mark, "\(path()).\(key.value)", "JWT claim based routing is only supported for gateways",
                 hint: "bind the VirtualService to a gateway")
        }
    }

    private mutating func virtualServiceHosts(_ spec: VirtualServiceSpec, appliesToGateway: Bool) {
        var allValid = true
        for (i, host) in spec.hosts.enumerated() {
            if let error = Names.wildcardDomainError(host.value) {
                if !Names.isIPAddress(host.value) {
                    fail(host.mark, "spec.hosts[\(i)]", error, hint: "use a DNS name, a short service name or a wildcard like *.example.com")
                    allValid = false
                }
            } else if !appliesToGateway && host.value == "*" {
                fail(host.mark, "spec.hosts[\(i)]", "wildcard host * is not allowed for virtual services bound to the mesh gateway",
                     hint: "name the hosts, or bind the VirtualService to an ingress gateway")
                allValid = false
            }
        }
        guard allValid else { return }
        for i in spec.hosts.indices {
            for j in spec.hosts.indices where j > i && Hosts.intersect(spec.hosts[i].value, spec.hosts[j].value) {
                fail(spec.hosts[j].mark, "spec.hosts[\(j)]", "duplicate hosts in virtual service: \(spec.hosts[i].value) & \(spec.hosts[j].value)",
                     hint: "list each host once; a wildcard already covers the names under it")
            }
        }
    }

    private mutating func tlsRoute(_ route: TLSRoute, _ path: @autoclosure () -> String, _ spec: VirtualServiceSpec, appliesToGateway: Bool) {
        require(!route.match.isEmpty, route.mark, path(), "TLS route must have at least one match condition", hint: "add a match with sniHosts")
        for (m, match) in route.match.enumerated() {
            func matchPath() -> String { "\(path()).match[\(m)]" }
            if match.sniHosts.isEmpty {
                fail(route.mark, matchPath(), "TLS match must have at least one SNI host", hint: "add sniHosts")
            }
            for (s, sni) in match.sniHosts.enumerated() {
                let outbound = appliesToGateway && sni.value.hasPrefix("outbound_")
                if !outbound, let error = Names.wildcardDomainError(sni.value) {
                    if !Names.isIPAddress(sni.value) {
                        fail(sni.mark, "\(matchPath()).sniHosts[\(s)]", error, hint: "use a DNS name or a wildcard like *.example.com")
                    }
                    continue
                }
                if !outbound, !spec.hosts.contains(where: { Hosts.covers($0.value, sni.value) }) {
                    fail(sni.mark, "\(matchPath()).sniHosts[\(s)]",
                         "SNI host \"\(sni.value)\" is not a compatible subset of any of the virtual service hosts",
                         hint: "use an SNI host covered by spec.hosts")
                }
            }
            subnets(match.destinationSubnets, "\(matchPath()).destinationSubnets")
            port(match.port, "\(matchPath()).port")
            gatewayNames(match.gateways, "\(matchPath()).gateways")
        }
        require(!route.route.isEmpty, route.mark, path(), "TLS route is required", hint: "add a route with a destination")
        routeDestinations(route.route, path() + ".route")
    }

    mutating func subnets(_ values: [Located<String>], _ path: @autoclosure () -> String) {
        for (i, value) in values.enumerated() {
            if let error = Names.ipSubnetError(value.value) {
                fail(value.mark, "\(path())[\(i)]", error, hint: "use an IP address or a CIDR block like 10.0.0.0/16")
            }
        }
    }

    /// Weighted destinations of any route kind (Istio's validate*RouteDestinations).
    mutating func routeDestinations(_ routes: [RouteDestination], _ path: @autoclosure () -> String) {
        var total = 0
        for (i, route) in routes.enumerated() {
            func itemPath() -> String { "\(path())[\(i)]" }
            if let destination = route.destination {
                self.destination(destination, itemPath() + ".destination")
            } else {
                fail(route.mark, itemPath(), "destination is required", hint: "add destination.host")
            }
            if let weight = route.weight, weight.value < 0 {
                fail(weight.mark, itemPath() + ".weight", "weight \(weight.value) < 0", hint: "use a weight from 0 to 100")
            }
            total += route.weight?.value ?? 0
            if let headers = route.headers { headerOperations(headers, itemPath() + ".headers") }
        }
        if routes.count > 1 && total == 0 {
            fail(routes[0].mark, path(), "total destination weight = 0", hint: "give at least one destination a weight above 0")
        }
    }

    /// Istio's validateDestination.
    mutating func destination(_ destination: Destination, _ path: @autoclosure () -> String) {
        if let host = destination.host {
            if host.value == "*" {
                fail(host.mark, path() + ".host", "invalid destination host *", hint: "name the service to send traffic to")
            } else if let error = Names.wildcardDomainError(host.value) {
                fail(host.mark, path() + ".host", error, hint: "use a service name like reviews or reviews.default.svc.cluster.local")
            }
        } else {
            fail(destination.mark, path() + ".host", "destination host is required", hint: "add host: <service>")
        }
        if let subset = destination.subset, !Names.isDNS1123Label(subset.value) {
            fail(subset.mark, path() + ".subset", subset.value.isEmpty ? "subset name cannot be empty" : "subset name is invalid: \(subset.value)",
                 hint: "use a lower-case DNS label like v1")
        }
        if let selector = destination.port {
            let number = selector.number ?? Located(0, at: destination.mark)
            port(number, path() + ".port.number")
        }
    }
}
