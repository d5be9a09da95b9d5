import MeshDiagnostics

/// security.istio.io PeerAuthentication.
package final class PeerAuthenticationSpec: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["selector", "mtls", "portLevelMtls"]
    package let selector: WorkloadSelectorMatchLabels?
    package let mtlsMode: Located<String>?
    package let portLevelMtls: [(key: Located<String>, value: Located<String>?)]

    package init(_ o: ObjectReader) {
        selector = o.object("selector")
        mtlsMode = o.object("mtls", MutualTLS.self)?.mode
        portLevelMtls = o.entries("portLevelMtls") { node, context in
            ObjectReader(node, context, fields: MutualTLS.fields).map { MutualTLS($0).mode }
        }
    }

    struct MutualTLS: ObjectDecodable {
        static let fields: Set<String> = ["mode"]
        var mode: Located<String>?
        init(_ o: ObjectReader) { mode = o.string("mode") }
    }
}

/// Istio security's selector (`matchLabels`).
package struct WorkloadSelectorMatchLabels: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["matchLabels"]
    package var matchLabels: StringMap

    package init(_ o: ObjectReader) {
        matchLabels = o.stringMap("matchLabels") ?? StringMap(mark: o.mark)
    }
}

/// security.istio.io AuthorizationPolicy.
package final class AuthorizationPolicySpec: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["selector", "targetRef", "targetRefs", "rules", "action", "provider"]
    package let selector: WorkloadSelectorMatchLabels?
    package let targetRefs: [PolicyTargetReference]
    package let rules: [AuthorizationRule]
    package let action: Located<String>?
    package let provider: Located<String>?
    package let mark: Mark

    package init(_ o: ObjectReader) {
        selector = o.object("selector")
        targetRefs = (o.object("targetRef", PolicyTargetReference.self).map { [$0] } ?? []) + o.list("targetRefs")
        rules = o.list("rules")
        action = o.string("action")
        provider = o.object("provider", Provider.self)?.name
        mark = o.mark
    }

    struct Provider: ObjectDecodable {
        static let fields: Set<String> = ["name"]
        var name: Located<String>?
        init(_ o: ObjectReader) { name = o.string("name") }
    }
}

package struct AuthorizationRule: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["from", "to", "when"]
    package var from: [AuthorizationSource]
    package var to: [AuthorizationOperation]
    package var when: [AuthorizationCondition]

    package init(_ o: ObjectReader) {
        from = o.list("from") { node, context in
            ObjectReader(node, context, fields: ["source"]).flatMap { $0.object("source", AuthorizationSource.self) }
        }
        to = o.list("to") { node, context in
            ObjectReader(node, context, fields: ["operation"]).flatMap { $0.object("operation", AuthorizationOperation.self) }
        }
        when = o.list("when")
    }
}

package struct AuthorizationSource: Sendable, ObjectDecodable {
    package static let fields: Set<String> = [
        "principals", "notPrincipals", "requestPrincipals", "notRequestPrincipals", "namespaces", "notNamespaces",
        "ipBlocks", "notIpBlocks", "remoteIpBlocks", "notRemoteIpBlocks", "serviceAccounts", "notServiceAccounts",
    ]
    package var principals: [Located<String>]
    package var namespaces: [Located<String>]
    package var ipBlocks: [Located<String>]
    package var notIpBlocks: [Located<String>]
    package var remoteIpBlocks: [Located<String>]
    package var notRemoteIpBlocks: [Located<String>]

    package init(_ o: ObjectReader) {
        principals = o.strings("principals") + o.strings("notPrincipals")
        namespaces = o.strings("namespaces") + o.strings("notNamespaces")
        ipBlocks = o.strings("ipBlocks")
        notIpBlocks = o.strings("notIpBlocks")
        remoteIpBlocks = o.strings("remoteIpBlocks")
        notRemoteIpBlocks = o.strings("notRemoteIpBlocks")
        _ = o.strings("requestPrincipals") + o.strings("notRequestPrincipals")
        _ = o.strings("serviceAccounts") + o.strings("notServiceAccounts")
    }
}

package struct AuthorizationOperation: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["hosts", "notHosts", "ports", "notPorts", "methods", "notMethods", "paths", "notPaths"]
    package var hosts: [Located<String>]
    package var ports: [Located<String>]
    package var methods: [Located<String>]
    package var paths: [Located<String>]

    package init(_ o: ObjectReader) {
        hosts = o.strings("hosts") + o.strings("notHosts")
        ports = o.strings("ports") + o.strings("notPorts")
        methods = o.strings("methods") + o.strings("notMethods")
        paths = o.strings("paths") + o.strings("notPaths")
    }
}

package struct AuthorizationCondition: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["key", "values", "notValues"]
    package var key: Located<String>?
    package var values: [Located<String>]
    package var notValues: [Located<String>]
    package var mark: Mark

    package init(_ o: ObjectReader) {
        key = o.string("key")
        values = o.strings("values")
        notValues = o.strings("notValues")
        mark = o.mark
    }
}

/// security.istio.io RequestAuthentication.
package final class RequestAuthenticationSpec: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["selector", "targetRef", "targetRefs", "jwtRules"]
    package let selector: WorkloadSelectorMatchLabels?
    package let targetRefs: [PolicyTargetReference]
    package let jwtRules: [JWTRule]

    package init(_ o: ObjectReader) {
        selector = o.object("selector")
        targetRefs = (o.object("targetRef", PolicyTargetReference.self).map { [$0] } ?? []) + o.list("targetRefs")
        jwtRules = o.list("jwtRules")
    }
}

package struct JWTRule: Sendable, ObjectDecodable {
    package static let fields: Set<String> = [
        "issuer", "audiences", "jwksUri", "jwks", "fromHeaders", "fromParams", "fromCookies", "outputPayloadToHeader",
        "forwardOriginalToken", "outputClaimToHeaders", "timeout",
    ]
    package var issuer: Located<String>?
    package var jwksUri: Located<String>?
    package var jwks: Located<String>?
    package var timeout: Located<String>?
    package var mark: Mark

    package init(_ o: ObjectReader) {
        issuer = o.string("issuer")
        jwksUri = o.string("jwksUri")
        jwks = o.string("jwks")
        timeout = o.string("timeout")
        mark = o.mark
        _ = o.strings("audiences")
        _ = o.strings("fromParams")
        _ = o.strings("fromCookies")
        _ = o.string("outputPayloadToHeader")
        _ = o.bool("forwardOriginalToken")
    }
}
