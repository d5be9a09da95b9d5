import MeshDiagnostics
import MeshIR

extension Authorization: IRJSON {
    var irJSON: JSON {
        func rules(_ list: [AuthorizationRuleIR]?) -> JSON? {
            guard let list else { return nil }
            // An empty list is meaningful (ALLOW policies whose rules never match: allow nothing); irObject would drop `[]`.
            return list.isEmpty ? .string("none") : irArray(list)
        }
        return irObject(["jwtProviders": irArray(jwtProviders), "custom": custom?.irJSON, "deny": rules(deny), "allow": rules(allow),
                         "audit": rules(audit)])
    }
}

extension AuthorizationRuleIR: IRJSON {
    var irJSON: JSON {
        irObject(["name": .string(name), "permission": permission.irJSON, "principal": principal.irJSON,
                  "file": .string(file), "line": .int(line)])
    }
}

extension AccessMatch: IRJSON {
    var irJSON: JSON {
        switch self {
        case .any: .string("any")
        case .and(let parts): .object(["and": irArray(parts)])
        case .or(let parts): .object(["or": irArray(parts)])
        case .not(let inner): .object(["not": inner.irJSON])
        case .principal(let text): .object(["principal": text.irJSON])
        case .directRemoteIP(let block): .object(["directRemoteIP": .string("\(block.address)/\(block.prefixLength)")])
        case .remoteIP(let block): .object(["remoteIP": .string("\(block.address)/\(block.prefixLength)")])
        case .destinationIP(let block): .object(["destinationIP": .string("\(block.address)/\(block.prefixLength)")])
        case .header(let name, let text): .object(["header": .object(["name": .string(name), "match": text.irJSON])])
        case .path(let text): .object(["path": text.irJSON])
        case .pathTemplate(let template): .object(["pathTemplate": .string(template)])
        case .serverName(let text): .object(["serverName": text.irJSON])
        case .metadata(let filter, let path, let text, let list):
            .object(["metadata": .object(["filter": .string(filter), "path": irStrings(path), "match": text.irJSON, "list": .bool(list)])])
        }
    }
}

extension TextMatch: IRJSON {
    var irJSON: JSON {
        switch self {
        case .exact(let value): .object(["exact": .string(value)])
        case .prefix(let value): .object(["prefix": .string(value)])
        case .suffix(let value): .object(["suffix": .string(value)])
        case .regex(let value): .object(["regex": .string(value)])
        case .present: .string("present")
        }
    }
}

extension JWTProvider: IRJSON {
    var irJSON: JSON {
        let keys: JSON = switch self.keys {
        case .inline(let jwks): .object(["inline": .string(jwks)])
        case .remote(let uri, let cluster, let timeoutMs):
            .object(["remote": .object(["uri": .string(uri), "cluster": .string(cluster), "timeoutMs": .int(timeoutMs)])])
        }
        return irObject([
            "name": .string(name), "issuer": issuer.map(JSON.string), "audiences": irStrings(audiences), "keys": keys,
            "fromHeaders": .array(fromHeaders.map { .object(["name": .string($0.name), "prefix": .string($0.prefix)]) }),
            "fromParams": irStrings(fromParams), "fromCookies": irStrings(fromCookies),
            "forwardOriginalToken": .bool(forwardOriginalToken), "payloadHeader": payloadHeader.map(JSON.string),
            "claimHeaders": .array(claimHeaders.map { .object(["header": .string($0.header), "claim": .string($0.claim)]) }),
        ])
    }
}

extension CustomAuthorization: IRJSON {
    var irJSON: JSON {
        let s = service
        return irObject([
            "service": irObject([
                "name": .string(s.name), "cluster": .string(s.cluster), "uri": .string(s.uri), "timeoutMs": .int(s.timeoutMs),
                "pathPrefix": s.pathPrefix.map(JSON.string), "failOpen": .bool(s.failOpen), "statusOnError": s.statusOnError.map(JSON.int),
                "requestHeaders": irStrings(s.requestHeaders),
                "additionalHeaders": .array(s.additionalHeaders.map { .object(["name": .string($0.name), "value": .string($0.value)]) }),
                "headersToUpstreamOnAllow": irStrings(s.headersToUpstreamOnAllow),
                "headersToDownstreamOnDeny": irStrings(s.headersToDownstreamOnDeny),
                "headersToDownstreamOnAllow": irStrings(s.headersToDownstreamOnAllow),
                "body": s.body.map { .object(["maxBytes": .int($0.maxBytes), "allowPartial": .bool($0.allowPartial), "packAsBytes": .bool($0.packAsBytes)]) },
            ]),
            "rules": irArray(rules),
        ])
    }
}
