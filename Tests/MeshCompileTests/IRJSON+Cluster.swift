import MeshDiagnostics
import MeshIR

extension RequestMirror: IRJSON {
    var irJSON: JSON { irObject(["cluster": .string(cluster), "percent": .double(percent)]) }
}

extension CorsPolicy: IRJSON {
    var irJSON: JSON {
        irObject([
            "allowOrigins": irArray(allowOrigins), "allowMethods": irStrings(allowMethods), "allowHeaders": irStrings(allowHeaders),
            "exposeHeaders": irStrings(exposeHeaders), "maxAgeSeconds": maxAgeSeconds.map(JSON.int),
            "allowCredentials": allowCredentials.map(JSON.bool), "forwardUnmatchedPreflights": .bool(forwardUnmatchedPreflights),
        ])
    }
}

extension HashPolicy: IRJSON {
    var irJSON: JSON {
        switch self {
        case .header(let name): .object(["header": .string(name)])
        case .cookie(let name, let path, let ttlMs):
            .object(["cookie": irObject(["name": .string(name), "path": path.map(JSON.string), "ttlMs": ttlMs.map(JSON.int)])])
        case .sourceIP: .object(["sourceIP": .bool(true)])
        case .queryParameter(let name): .object(["queryParameter": .string(name)])
        }
    }
}

extension Cluster: IRJSON {
    var irJSON: JSON {
        irObject([
            "name": .string(name), "endpoints": irArray(endpoints), "discovery": .string(discovery.rawValue),
            "lbPolicy": .string(lbPolicy.rawValue), "connectTimeoutMs": .int(connectTimeoutMs),
            "circuitBreakers": circuitBreakers?.irJSON, "outlierDetection": outlierDetection?.irJSON,
            "maxRequestsPerConnection": maxRequestsPerConnection.map(JSON.int), "idleTimeoutMs": idleTimeoutMs.map(JSON.int),
            "healthyPanicThreshold": healthyPanicThreshold.map(JSON.int), "hashTableSize": hashTableSize.map(JSON.int),
            "hashPolicy": hashPolicy?.irJSON, "tls": tls?.irJSON, "http2": http2 ? .bool(true) : nil,
        ])
    }
}

extension Endpoint: IRJSON {
    var irJSON: JSON { irObject(["address": .string(address), "port": .int(port), "weight": .int(weight)]) }
}

extension CircuitBreakers: IRJSON {
    var irJSON: JSON {
        irObject([
            "maxConnections": maxConnections.map(JSON.int), "maxPendingRequests": maxPendingRequests.map(JSON.int),
            "maxRequests": maxRequests.map(JSON.int), "maxRetries": maxRetries.map(JSON.int),
        ])
    }
}

extension OutlierDetection: IRJSON {
    var irJSON: JSON {
        irObject([
            "consecutive5xx": consecutive5xx.map(JSON.int), "consecutiveGatewayErrors": consecutiveGatewayErrors.map(JSON.int),
            "intervalMs": intervalMs.map(JSON.int), "baseEjectionTimeMs": baseEjectionTimeMs.map(JSON.int),
            "maxEjectionPercent": maxEjectionPercent.map(JSON.int),
        ])
    }
}

extension UpstreamTLS: IRJSON {
    var irJSON: JSON {
        irObject([
            "sni": sni.map(JSON.string), "clientCertificate": clientCertificate.map(JSON.string), "privateKey": privateKey.map(JSON.string),
            "caCertificates": caCertificates.map(JSON.string), "subjectAltNames": irStrings(subjectAltNames),
            "meshIdentity": meshIdentity ? .bool(true) : nil, "autoSni": autoSni ? .bool(true) : nil,
            "autoSanValidation": autoSanValidation ? .bool(true) : nil,
        ])
    }
}

/// An object of `members`, leaving out nil values and empty arrays and objects.
func irObject(_ members: KeyValuePairs<String, JSON?>) -> JSON {
    var result: JSONObject = [:]
    for case let (key, value?) in members {
        switch value {
        case .array(let items) where items.isEmpty: continue
        case .object(let fields) where fields.isEmpty: continue
        default: result[key] = value
        }
    }
    return .object(result)
}

/// The values' JSON, in order.
func irArray(_ values: [some IRJSON]) -> JSON { .array(values.map(\.irJSON)) }

/// The strings as a JSON array, in order.
func irStrings(_ values: [String]) -> JSON { .array(values.map(JSON.string)) }
