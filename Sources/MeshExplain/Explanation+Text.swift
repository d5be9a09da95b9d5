import Foundation

import MeshDiagnostics
import MeshIR

extension Explanation {
    /// The explanation as `meshc route` prints it: listener, virtual host,
    /// the rule with its manifest position, then each cluster with its endpoints.
    package func text() -> String {
        var lines = ["proxy \(proxy), listener \(listener)" + (serverNames.isEmpty ? "" : " (server names \(serverNames.joined(separator: ", ")))")]
        // Who calls and what the JWT and RBAC filters decide come first: Envoy runs them before routing.
        if showsCaller { lines.append(caller.line) }
        lines += authorization?.lines() ?? []
        switch outcome {
        case .tcp(let targets):
            lines.append("tcp proxy")
            lines += Self.lines(targets)
        case .noVirtualHost(let config, let authority):
            lines.append("route configuration \(config): no virtual host for authority \(authority) → 404")
        case .noRoute(let config, let host):
            lines.append("route configuration \(config), virtual host \(host): no route matches → 404")
        case .tlsRedirect(let config, let host, let location):
            lines.append("route configuration \(config), virtual host \(host): TLS required (Gateway server httpsRedirect)")
            lines.append("Envoy answers 301, location \(location); nothing is forwarded")
        case .route(let config, let host, let route, let targets):
            lines.append("route configuration \(config), virtual host \(host)")
            let origin = route.source.virtualService.isEmpty ? "default route (no VirtualService)" : "VirtualService \(route.source.virtualService)"
            lines.append("matched route \(route.name): \(Self.describe(route.match))")
            lines.append("  \(origin) at \(route.source.file):\(route.source.line)")
            switch route.action {
            case .redirect(let redirect):
                lines.append("Envoy answers \(redirect.status), location \(redirectLocation ?? "?"); nothing is forwarded")
            case .directResponse(let status, let body):
                lines.append("Envoy answers \(status) itself" + (body.map { ", body \($0.debugDescription)" } ?? ", no body") + "; nothing is forwarded")
            case .cluster, .weighted:
                lines += Self.lines(targets)
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The caller matters when it has an identity or the chain checks who calls.
    private var showsCaller: Bool { caller.principal != nil || authorization != nil }

    private static func lines(_ targets: [Target]) -> [String] {
        targets.flatMap { target -> [String] in
            var head = "→ \(target.cluster) \(formatPercent(target.percent))%"
            if let host = target.host, let port = target.port { head += " (host \(host), port \(port), subset \(target.subset ?? "none"))" }
            let endpoints = target.endpoints.isEmpty ? ["    no endpoints: Envoy answers 503"]
                : target.endpoints.map { "    endpoint \($0.address):\($0.port) weight \($0.weight)" }
            return [head] + endpoints
        }
    }

    private static func formatPercent(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }

    /// `prefix /bar, header :method exact GET, …`.
    static func describe(_ match: RouteMatch) -> String {
        var parts: [String] = []
        switch match.path {
        case .prefix(let value): parts.append("prefix \(value)")
        case .exact(let value): parts.append("path \(value)")
        case .regex(let value): parts.append("regex \(value)")
        }
        if !match.caseSensitive { parts.append("ignoring case") }
        for header in match.headers { parts.append("header \(header.inverted ? "not " : "")\(header.name) \(describe(header.matcher))") }
        for query in match.queryParameters { parts.append("query \(query.name) \(describe(query.matcher))") }
        return parts.joined(separator: ", ")
    }

    private static func describe(_ matcher: StringMatcher) -> String {
        switch matcher {
        case .exact(let value): "exact \(value)"
        case .prefix(let value): "prefix \(value)"
        case .regex(let value): "regex \(value)"
        case .present: "present"
        }
    }

    /// The explanation as canonical JSON.
    package func json() -> JSON {
        var members: JSONObject = ["proxy": .string(proxy), "listener": .string(listener)]
        if !serverNames.isEmpty { members["server_names"] = .array(serverNames.map(JSON.string)) }
        if showsCaller { members["caller"] = caller.json }
        if let authorization { members["authorization"] = authorization.json() }
        func targetsJSON(_ targets: [Target]) -> JSON {
            .array(targets.map { target in
                var object: JSONObject = [
                    "cluster": .string(target.cluster), "percent": .double(target.percent),
                    "endpoints": .array(target.endpoints.map { .object(["address": .string($0.address), "port": .int($0.port), "weight": .int($0.weight)]) }),
                ]
                if let subset = target.subset { object["subset"] = .string(subset) }
                return .object(object)
            })
        }
        switch outcome {
        case .tcp(let targets):
            members["kind"] = .string("tcp")
            members["targets"] = targetsJSON(targets)
        case .noVirtualHost(let config, let authority):
            members["kind"] = .string("no_virtual_host")
            members["route_configuration"] = .string(config)
            members["authority"] = .string(authority)
        case .noRoute(let config, let host):
            members["kind"] = .string("no_route")
            members["route_configuration"] = .string(config)
            members["virtual_host"] = .string(host)
        case .tlsRedirect(let config, let host, let location):
            members["kind"] = .string("tls_redirect")
            members["route_configuration"] = .string(config)
            members["virtual_host"] = .string(host)
            members["status"] = .int(301)
            members["location"] = .string(location)
        case .route(let config, let host, let route, let targets):
            members["kind"] = .string("route")
            if let answer {
                members["kind"] = .string(answer.location == nil ? "direct_response" : "redirect")
                members["status"] = .int(answer.status)
                if let location = answer.location { members["location"] = .string(location) }
                if let body = answer.body { members["body"] = .string(body) }
            }
            members["route_configuration"] = .string(config)
            members["virtual_host"] = .string(host)
            members["route"] = .object([
                "name": .string(route.name), "match": .string(Self.describe(route.match)),
                "source": .string("\(route.source.file):\(route.source.line)"), "virtual_service": .string(route.source.virtualService),
            ])
            members["targets"] = targetsJSON(targets)
        }
        return .object(members)
    }
}
