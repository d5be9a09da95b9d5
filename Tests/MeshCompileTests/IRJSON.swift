import MeshDiagnostics
import MeshIR

/// The compiled IR as canonical JSON, for the `ir.json` goldens beside the
/// Envoy files: a diff there is a compiler change, a diff only in the Envoy
/// files is an emitter change. Keys are the IR's field names; nil optionals
/// and empty collections are left out, everything else is written; an enum
/// case is an object with the case's name as its one key.
protocol IRJSON {
    var irJSON: JSON { get }
}

extension ProxyConfig: IRJSON {
    var irJSON: JSON {
        irObject([
            "name": .string(name), "role": .string(role.rawValue), "adminPort": .int(adminPort),
            "agentAddress": agentAddress.map(JSON.string),
            "identity": .object(["namespace": .string(identity.namespace), "serviceAccount": .string(identity.serviceAccount)]),
            "listeners": irArray(listeners),
            "routeConfigs": irArray(routeConfigs), "clusters": irArray(clusters),
            "workloadTags": .object(JSONObject(workloadTags.mapValues(JSON.string))),
        ])
    }
}

extension Listener: IRJSON {
    var irJSON: JSON {
        irObject([
            "name": .string(name), "address": .string(address), "port": .int(port),
            "chains": irArray(chains), "stripsHostPort": .bool(stripsHostPort), "telemetry": telemetry?.irJSON,
        ])
    }
}

extension FilterChain: IRJSON {
    var irJSON: JSON {
        let action: JSON = switch self.action {
        case .http(let routeConfig): .object(["http": .object(["routeConfig": .string(routeConfig)])])
        case .tcp(let shares): .object(["tcp": irArray(shares)])
        }
        return irObject([
            "serverNames": irStrings(serverNames), "tls": tls?.irJSON, "transportProtocol": transportProtocol.map(JSON.string),
            "meshTLS": meshTLS ? .bool(true) : nil, "action": action, "authorization": authorization?.irJSON,
        ])
    }
}

extension ServerTLS: IRJSON {
    var irJSON: JSON {
        irObject([
            "certificateChain": .string(certificateChain), "privateKey": .string(privateKey),
            "caCertificates": caCertificates.map(JSON.string), "requireClientCertificate": .bool(requireClientCertificate),
            "subjectAltNames": irStrings(subjectAltNames), "alpn": irStrings(alpn), "secret": secret.map(JSON.string),
        ])
    }
}

extension RouteConfig: IRJSON {
    var irJSON: JSON { irObject(["name": .string(name), "virtualHosts": irArray(virtualHosts)]) }
}

extension VirtualHost: IRJSON {
    var irJSON: JSON {
        irObject(["name": .string(name), "domains": irStrings(domains), "routes": irArray(routes), "requireTLS": .bool(requireTLS)])
    }
}

extension Route: IRJSON {
    var irJSON: JSON {
        irObject([
            "name": .string(name), "match": match.irJSON, "action": action.irJSON, "timeoutMs": .int(timeoutMs),
            "retries": retries?.irJSON, "fault": fault?.irJSON,
            "requestHeaders": requestHeaders.irJSON, "responseHeaders": responseHeaders.irJSON,
            "rewrite": rewrite?.irJSON, "mirrors": irArray(mirrors), "cors": cors?.irJSON, "hashPolicies": irArray(hashPolicies),
            "source": irObject(["file": .string(source.file), "line": .int(source.line), "virtualService": .string(source.virtualService)]),
        ])
    }
}

extension RouteMatch: IRJSON {
    var irJSON: JSON {
        let parameters = queryParameters.map { irObject(["name": .string($0.name), "matcher": $0.matcher.irJSON]) }
        return irObject(["path": path.irJSON, "caseSensitive": .bool(caseSensitive), "headers": irArray(headers), "queryParameters": .array(parameters)])
    }
}

extension PathMatch: IRJSON {
    var irJSON: JSON {
        switch self {
        case .prefix(let text): .object(["prefix": .string(text)])
        case .exact(let text): .object(["exact": .string(text)])
        case .regex(let text): .object(["regex": .string(text)])
        }
    }
}

extension StringMatcher: IRJSON {
    var irJSON: JSON {
        switch self {
        case .exact(let text): .object(["exact": .string(text)])
        case .prefix(let text): .object(["prefix": .string(text)])
        case .regex(let text): .object(["regex": .string(text)])
        case .present: .object(["present": .bool(true)])
        }
    }
}

extension HeaderMatch: IRJSON {
    var irJSON: JSON { irObject(["name": .string(name), "matcher": matcher.irJSON, "inverted": .bool(inverted)]) }
}

extension RouteAction: IRJSON {
    var irJSON: JSON {
        switch self {
        case .cluster(let name): .object(["cluster": .string(name)])
        case .weighted(let shares): .object(["weighted": irArray(shares)])
        case .redirect(let redirect): .object(["redirect": redirect.irJSON])
        case .directResponse(let status, let body):
            .object(["directResponse": irObject(["status": .int(status), "body": body.map(JSON.string)])])
        }
    }
}

extension WeightedCluster: IRJSON {
    var irJSON: JSON { irObject(["cluster": .string(cluster), "weight": .int(weight), "headers": headers.irJSON]) }
}

extension DestinationHeaders: IRJSON {
    var irJSON: JSON {
        irObject(["request": request.irJSON, "response": response.irJSON, "authority": authority.map(JSON.string)])
    }
}

extension HeaderOperations: IRJSON {
    var irJSON: JSON {
        irObject(["set": .object(JSONObject(set.mapValues(JSON.string))), "add": .object(JSONObject(add.mapValues(JSON.string))), "remove": irStrings(remove)])
    }
}

extension Redirect: IRJSON {
    var irJSON: JSON {
        irObject([
            "path": path.map(JSON.string), "host": host.map(JSON.string), "port": port.map(JSON.int),
            "scheme": scheme.map(JSON.string), "status": .int(status),
        ])
    }
}

extension Rewrite: IRJSON {
    var irJSON: JSON {
        irObject([
            "pathPrefix": pathPrefix.map(JSON.string), "authority": authority.map(JSON.string),
            "regex": regex.map { irObject(["pattern": .string($0.pattern), "substitution": .string($0.substitution)]) },
        ])
    }
}

extension RetryPolicy: IRJSON {
    var irJSON: JSON {
        irObject([
            "attempts": .int(attempts), "retryOn": .string(retryOn),
            "retriableStatusCodes": .array(retriableStatusCodes.map(JSON.int)), "perTryTimeoutMs": perTryTimeoutMs.map(JSON.int),
        ])
    }
}

extension FaultInjection: IRJSON {
    var irJSON: JSON {
        irObject([
            "delay": delay.map { irObject(["milliseconds": .int($0.milliseconds), "percent": .double($0.percent)]) },
            "abort": abort.map { irObject(["status": .int($0.status), "percent": .double($0.percent)]) },
        ])
    }
}
