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
    package var mark: Mark

    package init(_ o: ObjectReader) {
        mark = o.mark
        from = o.list("from") { node, context in
            ObjectReader(node, context, fields: ["source"]).flatMap { $0.object("source", AuthorizationSource.self) }
        }
        to = o.list("to") { node, context in
            ObjectReader(node, context, fields: ["operation"]).flatMap { $0.object("operation", AuthorizationOperation.self) }
        }
        when = o.list("when")
    }
}

/// A rule's `from.source`: who calls. Each field matches when any value
/// does; the `not*` fields when none does.
package struct AuthorizationSource: Sendable, ObjectDecodable {
    package static let fields: Set<String> = [
        "principals", "notPrincipals", "requestPrincipals", "notRequestPrincipals", "namespaces", "notNamespaces",
        "ipBlocks", "notIpBlocks", "remoteIpBlocks", "notRemoteIpBlocks", "serviceAccounts", "notServiceAccounts",
    ]
    package var principals: [Located<String>]
    package var notPrincipals: [Located<String>]
    package var requestPrincipals: [Located<String>]
    package var notRequestPrincipals: [Located<String>]
    package var namespaces: [Located<String>]
    package var notNamespaces: [Located<String>]
    package var ipBlocks: [Located<String>]
    package var notIpBlocks: [Located<String>]
    package var remoteIpBlocks: [Located<String>]
    package var notRemoteIpBlocks: [Located<String>]
    /// `namespace/name` or `name` (the policy's namespace).
    package var serviceAccounts: [Located<String>]
    package var notServiceAccounts: [Located<String>]
    package var mark: Mark

    package init(_ o: ObjectReader) {
        principals = o.strings("principals")
        notPrincipals = o.strings("notPrincipals")
        requestPrincipals = o.strings("requestPrincipals")
        notRequestPrincipals = o.strings("notRequestPrincipals")
        namespaces = o.strings("namespaces")
        notNamespaces = o.strings("notNamespaces")
        ipBlocks = o.strings("ipBlocks")
        notIpBlocks = o.strings("notIpBlocks")
        remoteIpBlocks = o.strings("remoteIpBlocks")
        notRemoteIpBlocks = o.strings("notRemoteIpBlocks")
        serviceAccounts = o.strings("serviceAccounts")
        notServiceAccounts = o.strings("notServiceAccounts")
        mark = o.mark
    }

    /// Every value the source lists, in field order (for checks common to all fields).
    package var allValues: [Located<String>] {
        principals + notPrincipals + requestPrincipals + notRequestPrincipals + namespaces + notNamespaces
            + ipBlocks + notIpBlocks + remoteIpBlocks + notRemoteIpBlocks + serviceAccounts + notServiceAccounts
    }
}

/// A rule's `to.operation`: what is called. Each field matches when any value
/// does; the `not*` fields when none does.
package struct AuthorizationOperation: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["hosts", "notHosts", "ports", "notPorts", "methods", "notMethods", "paths", "notPaths"]
    package var hosts: [Located<String>]
    package var notHosts: [Located<String>]
    package var ports: [Located<String>]
    package var notPorts: [Located<String>]
    package var methods: [Located<String>]
    package var notMethods: [Located<String>]
    package var paths: [Located<String>]
    package var notPaths: [Located<String>]
    package var mark: Mark

    package init(_ o: ObjectReader) {
        hosts = o.strings("hosts")
        notHosts = o.strings("notHosts")
        ports = o.strings("ports")
        notPorts = o.strings("notPorts")
        methods = o.strings("methods")
        notMethods = o.strings("notMethods")
        paths = o.strings("paths")
        notPaths = o.strings("notPaths")
        mark = o.mark
    }

    /// Every value the operation lists, in field order.
    package var allValues: [Located<String>] { hosts + notHosts + ports + notPorts + methods + notMethods + paths + notPaths }
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

/// One issuer RequestAuthentication trusts.
package struct JWTRule: Sendable, ObjectDecodable {
    package static let fields: Set<String> = [
        "issuer", "audiences", "jwksUri", "jwks", "fromHeaders", "fromParams", "fromCookies", "outputPayloadToHeader",
        "forwardOriginalToken", "outputClaimToHeaders", "timeout", "spaceDelimitedClaims",
        // Istio's CRD also takes the proto name of jwksUri (`+kubebuilder:altName=jwks_uri`).
        "jwks_uri",
    ]
    package var issuer: Located<String>?
    package var audiences: [Located<String>]
    package var jwksUri: Located<String>?
    package var jwks: Located<String>?
    package var fromHeaders: [JWTHeader]
    package var fromParams: [Located<String>]
    package var fromCookies: [Located<String>]
    package var outputPayloadToHeader: Located<String>?
    package var forwardOriginalToken: Located<Bool>?
    package var outputClaimToHeaders: [ClaimToHeader]
    package var timeout: Located<String>?
    /// Istio 1.28: claims read as space-delimited lists besides `scope` and `permission` (read, not built).
    package var spaceDelimitedClaims: [Located<String>]
    package var mark: Mark

    package init(_ o: ObjectReader) {
        issuer = o.string("issuer")
        audiences = o.strings("audiences")
        jwksUri = o.string("jwksUri") ?? o.string("jwks_uri")
        jwks = o.string("jwks")
        fromHeaders = o.list("fromHeaders")
        fromParams = o.strings("fromParams")
        fromCookies = o.strings("fromCookies")
        outputPayloadToHeader = o.string("outputPayloadToHeader")
        forwardOriginalToken = o.bool("forwardOriginalToken")
        outputClaimToHeaders = o.list("outputClaimToHeaders")
        timeout = o.string("timeout")
        spaceDelimitedClaims = o.strings("spaceDelimitedClaims")
        mark = o.mark
    }

    /// Where a token may be: a header, its value after `prefix`.
    package struct JWTHeader: Sendable, ObjectDecodable {
        package static let fields: Set<String> = ["name", "prefix"]
        package var name: Located<String>?
        package var prefix: Located<String>?
        package var mark: Mark
        package init(_ o: ObjectReader) {
            name = o.string("name")
            prefix = o.string("prefix")
            mark = o.mark
        }
    }

    /// A verified token's claim copied into a request header.
    package struct ClaimToHeader: Sendable, ObjectDecodable {
        package static let fields: Set<String> = ["header", "claim"]
        package var header: Located<String>?
        package var claim: Located<String>?
        package var mark: Mark
        package init(_ o: ObjectReader) {
            header = o.string("header")
            claim = o.string("claim")
            mark = o.mark
        }
    }
}
