import MeshDiagnostics

/// security.istio.io PeerAuthentication.
public final class PeerAuthenticationSpec: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["selector", "mtls", "portLevelMtls"]
    public let selector: WorkloadSelectorMatchLabels?
    public let mtlsMode: Located<String>?
    public let portLevelMtls: [(key: Located<String>, value: Located<String>?)]

    public init(_ o: ObjectReader) {
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
public struct WorkloadSelectorMatchLabels: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["matchLabels"]
    public var matchLabels: StringMap

    public init(_ o: ObjectReader) {
        matchLabels = o.stringMap("matchLabels") ?? StringMap(mark: o.mark)
    }
}

/// security.istio.io AuthorizationPolicy.
public final class AuthorizationPolicySpec: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["selector", "targetRef", "targetRefs", "rules", "action", "provider"]
    public let selector: WorkloadSelectorMatchLabels?
    public let targetRefs: [PolicyTargetReference]
    public let rules: [AuthorizationRule]
    public let action: Located<String>?
    public let provider: Located<String>?
    public let mark: Mark

    public init(_ o: ObjectReader) {
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

public struct AuthorizationRule: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["from", "to", "when"]
    public var from: [AuthorizationSource]
    public var to: [AuthorizationOperation]
    public var when: [AuthorizationCondition]

    public init(_ o: ObjectReader) {
        from = o.list("from") { node, context in
            ObjectReader(node, context, fields: ["source"]).flatMap { $0.object("source", AuthorizationSource.self) }
        }
        to = o.list("to") { node, context in
            ObjectReader(node, context, fields: ["operation"]).flatMap { $0.object("operation", AuthorizationOperation.self) }
        }
        when = o.list("when")
    }
}

public struct AuthorizationSource: Sendable, ObjectDecodable {
    public static let fields: Set<String> = [
        "principals", "notPrincipals", "requestPrincipals", "notRequestPrincipals", "namespaces", "notNamespaces",
        "ipBlocks", "notIpBlocks", "remoteIpBlocks", "notRemoteIpBlocks", "serviceAccounts", "notServiceAccounts",
    ]
    public var principals: [Located<String>]
    public var namespaces: [Located<String>]
    public var ipBlocks: [Located<String>]
    public var notIpBlocks: [Located<String>]
    public var remoteIpBlocks: [Located<String>]
    public var notRemoteIpBlocks: [Located<String>]

    public init(_ o: ObjectReader) {
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

public struct AuthorizationOperation: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["hosts", "notHosts", "ports", "notPorts", "methods", "notMethods", "paths", "notPaths"]
    public var hosts: [Located<String>]
    public var ports: [Located<String>]
    public var methods: [Located<String>]
    public var paths: [Located<String>]

    public init(_ o: ObjectReader) {
        hosts = o.strings("hosts") + o.strings("notHosts")
        ports = o.strings("ports") + o.strings("notPorts")
        methods = o.strings("methods") + o.strings("notMethods")
        paths = o.strings("paths") + o.strings("notPaths")
    }
}

public struct AuthorizationCondition: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["key", "values", "notValues"]
    public var key: Located<String>?
    public var values: [Located<String>]
    public var notValues: [Located<String>]
    public var mark: Mark

    public init(_ o: ObjectReader) {
        key = o.string("key")
        values = o.strings("values")
        notValues = o.strings("notValues")
        mark = o.mark
    }
}

/// security.istio.io RequestAuthentication.
public final class RequestAuthenticationSpec: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["selector", "targetRef", "targetRefs", "jwtRules"]
    public let selector: WorkloadSelectorMatchLabels?
    public let targetRefs: [PolicyTargetReference]
    public let jwtRules: [JWTRule]

    public init(_ o: ObjectReader) {
        selector = o.object("selector")
        targetRefs = (o.object("targetRef", PolicyTargetReference.self).map { [$0] } ?? []) + o.list("targetRefs")
        jwtRules = o.list("jwtRules")
    }
}

public struct JWTRule: Sendable, ObjectDecodable {
    public static let fields: Set<String> = [
        "issuer", "audiences", "jwksUri", "jwks", "fromHeaders", "fromParams", "fromCookies", "outputPayloadToHeader",
        "forwardOriginalToken", "outputClaimToHeaders", "timeout",
    ]
    public var issuer: Located<String>?
    public var jwksUri: Located<String>?
    public var jwks: Located<String>?
    public var timeout: Located<String>?
    public var mark: Mark

    public init(_ o: ObjectReader) {
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
