import MeshDiagnostics

/// meshc.dev/v1alpha1 MeshConfig: the mesh-wide settings Istio keeps in its
/// MeshConfig (IstioOperator `spec.meshConfig`, Helm `meshConfig:`), in the
/// same field names so a block can be copied over. One per repository, in
/// the root namespace. Read today: `extensionProviders` (ext_authz for
/// AuthorizationPolicy CUSTOM); other Istio MeshConfig fields are accepted
/// and not used (the decoder is not strict about them).
///
///     apiVersion: meshc.dev/v1alpha1
///     kind: MeshConfig
///     metadata: {name: mesh, namespace: istio-system}
///     spec:
///       extensionProviders:
///       - name: ext-authz
///         envoyExtAuthzHttp:
///           service: ext-authz.auth.svc.cluster.local
///           port: 8000
///           includeRequestHeadersInCheck: [x-user]
package final class MeshConfigSpec: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["extensionProviders"]
    package let extensionProviders: [ExtensionProvider]

    package init(_ o: ObjectReader) {
        extensionProviders = o.list("extensionProviders")
    }
}

/// One `extensionProviders` entry: a name and one provider kind.
package struct ExtensionProvider: Sendable, ObjectDecodable {
    /// Istio's provider kinds; meshc builds the ext_authz ones.
    package static let fields: Set<String> = [
        "name", "envoyExtAuthzHttp", "envoyExtAuthzGrpc", "zipkin", "opentelemetry", "envoyFileAccessLog", "prometheus",
        "stackdriver", "skywalking", "datadog", "lightstep", "envoyOtelAls", "envoyHttpAls", "envoyTcpAls", "sds",
    ]
    package var name: Located<String>?
    package var extAuthzHTTP: ExtAuthzHTTPProvider?
    package var extAuthzGRPC: ExtAuthzGRPCProvider?
    /// The provider kind written (the first key besides `name`), for messages.
    package var kind: String?
    package var mark: Mark

    package init(_ o: ObjectReader) {
        name = o.string("name")
        extAuthzHTTP = o.object("envoyExtAuthzHttp")
        extAuthzGRPC = o.object("envoyExtAuthzGrpc")
        kind = Self.fields.subtracting(["name"]).sorted().first { key in o.node[key] != nil }
        mark = o.mark
    }
}

/// Istio's `EnvoyExternalAuthorizationHttpProvider`.
package struct ExtAuthzHTTPProvider: Sendable, ObjectDecodable {
    package static let fields: Set<String> = [
        "service", "port", "timeout", "pathPrefix", "failOpen", "statusOnError", "includeRequestHeadersInCheck",
        "includeAdditionalHeadersInCheck", "includeRequestBodyInCheck", "headersToUpstreamOnAllow", "headersToDownstreamOnDeny",
        "headersToDownstreamOnAllow",
    ]
    package var service: Located<String>?
    package var port: Located<Int>?
    package var timeout: Located<String>?
    package var pathPrefix: Located<String>?
    package var failOpen: Located<Bool>?
    package var statusOnError: Located<String>?
    package var includeRequestHeadersInCheck: [Located<String>]
    package var includeAdditionalHeadersInCheck: StringMap?
    package var includeRequestBodyInCheck: RequestBody?
    package var headersToUpstreamOnAllow: [Located<String>]
    package var headersToDownstreamOnDeny: [Located<String>]
    package var headersToDownstreamOnAllow: [Located<String>]
    package var mark: Mark

    package init(_ o: ObjectReader) {
        service = o.string("service")
        port = o.int("port")
        timeout = o.string("timeout")
        pathPrefix = o.string("pathPrefix")
        failOpen = o.bool("failOpen")
        statusOnError = o.string("statusOnError")
        includeRequestHeadersInCheck = o.strings("includeRequestHeadersInCheck")
        includeAdditionalHeadersInCheck = o.stringMap("includeAdditionalHeadersInCheck")
        includeRequestBodyInCheck = o.object("includeRequestBodyInCheck")
        headersToUpstreamOnAllow = o.strings("headersToUpstreamOnAllow")
        headersToDownstreamOnDeny = o.strings("headersToDownstreamOnDeny")
        headersToDownstreamOnAllow = o.strings("headersToDownstreamOnAllow")
        mark = o.mark
    }

    /// Istio's `includeRequestBodyInCheck`.
    package struct RequestBody: Sendable, ObjectDecodable {
        package static let fields: Set<String> = ["maxRequestBytes", "allowPartialMessage", "packAsBytes"]
        package var maxRequestBytes: Located<Int>?
        package var allowPartialMessage: Located<Bool>?
        package var packAsBytes: Located<Bool>?
        package init(_ o: ObjectReader) {
            maxRequestBytes = o.int("maxRequestBytes")
            allowPartialMessage = o.bool("allowPartialMessage")
            packAsBytes = o.bool("packAsBytes")
        }
    }
}

/// Istio's `EnvoyExternalAuthorizationGrpcProvider` (validated; not built yet).
package struct ExtAuthzGRPCProvider: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["service", "port", "timeout", "failOpen", "statusOnError", "includeRequestBodyInCheck"]
    package var service: Located<String>?
    package var port: Located<Int>?
    package var mark: Mark

    package init(_ o: ObjectReader) {
        service = o.string("service")
        port = o.int("port")
        _ = o.string("timeout")
        _ = o.bool("failOpen")
        _ = o.string("statusOnError")
        _ = o.value("includeRequestBodyInCheck")
        mark = o.mark
    }
}
