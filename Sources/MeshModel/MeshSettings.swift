import MeshDiagnostics

/// meshc.dev/v1alpha1 MeshConfig: the mesh-wide settings Istio keeps in its
/// MeshConfig (IstioOperator `spec.meshConfig`, Helm `meshConfig:`), in the
/// same field names so a block can be copied over. One per repository, in
/// the root namespace. Read today: `extensionProviders` (ext_authz for
/// AuthorizationPolicy CUSTOM; file access logs, Zipkin and OpenTelemetry
/// for Telemetry), `defaultProviders`, and the access-log settings
/// `accessLogFile`, `accessLogEncoding`, `accessLogFormat`; other Istio
/// MeshConfig fields are accepted and not used (the decoder is not strict
/// about them).
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
    package static let fields: Set<String> = [
        "extensionProviders", "defaultProviders", "accessLogFile", "accessLogEncoding", "accessLogFormat",
    ]
    package let extensionProviders: [ExtensionProvider]
    package let defaultProviders: DefaultProviders?
    /// Istio's older switch: every proxy logs to this file (`/dev/stdout`) unless a Telemetry says otherwise.
    package let accessLogFile: Located<String>?
    /// `TEXT` (default) or `JSON`, for `accessLogFile` and the built-in `envoy` provider.
    package let accessLogEncoding: Located<String>?
    package let accessLogFormat: Located<String>?

    package init(_ o: ObjectReader) {
        extensionProviders = o.list("extensionProviders")
        defaultProviders = o.object("defaultProviders")
        accessLogFile = o.string("accessLogFile")
        accessLogEncoding = o.string("accessLogEncoding")
        accessLogFormat = o.string("accessLogFormat")
    }

    /// Providers a Telemetry entry without `providers` uses.
    package struct DefaultProviders: Sendable, ObjectDecodable {
        package static let fields: Set<String> = ["tracing", "metrics", "accessLogging"]
        package var tracing: [Located<String>]
        package var metrics: [Located<String>]
        package var accessLogging: [Located<String>]
        package init(_ o: ObjectReader) {
            tracing = o.strings("tracing")
            metrics = o.strings("metrics")
            accessLogging = o.strings("accessLogging")
        }
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
    package var fileAccessLog: FileAccessLogProvider?
    package var zipkin: ZipkinProvider?
    package var openTelemetry: OpenTelemetryProvider?
    /// The provider kind written (the first key besides `name`), for messages.
    package var kind: String?
    package var mark: Mark

    package init(_ o: ObjectReader) {
        name = o.string("name")
        extAuthzHTTP = o.object("envoyExtAuthzHttp")
        extAuthzGRPC = o.object("envoyExtAuthzGrpc")
        fileAccessLog = o.object("envoyFileAccessLog")
        zipkin = o.object("zipkin")
        openTelemetry = o.object("opentelemetry")
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

/// Istio's `EnvoyFileAccessLogProvider`: a file and a text or JSON (`labels`) format.
package struct FileAccessLogProvider: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["path", "logFormat"]
    package var path: Located<String>?
    package var text: Located<String>?
    /// JSON keys and their Envoy command operators, in document order.
    package var labels: StringMap?
    package var omitEmptyValues: Located<Bool>?
    package var mark: Mark

    package init(_ o: ObjectReader) {
        path = o.string("path")
        let format = o.object("logFormat", LogFormat.self)
        text = format?.text
        labels = format?.labels
        omitEmptyValues = format?.omitEmptyValues
        mark = o.mark
    }

    struct LogFormat: ObjectDecodable {
        static let fields: Set<String> = ["text", "labels", "omitEmptyValues"]
        var text: Located<String>?
        var labels: StringMap?
        var omitEmptyValues: Located<Bool>?
        init(_ o: ObjectReader) {
            text = o.string("text")
            labels = o.stringMap("labels")
            omitEmptyValues = o.bool("omitEmptyValues")
        }
    }
}

/// Istio's `ZipkinTracingProvider`.
package struct ZipkinProvider: Sendable, ObjectDecodable {
    package static let fields: Set<String> = [
        "service", "port", "maxTagLength", "enable64bitTraceId", "path", "traceContextOption", "timeout", "headers",
    ]
    package var service: Located<String>?
    package var port: Located<Int>?
    package var maxTagLength: Located<Int>?
    package var enable64bitTraceId: Located<Bool>?
    package var path: Located<String>?
    package var mark: Mark

    package init(_ o: ObjectReader) {
        service = o.string("service")
        port = o.int("port")
        maxTagLength = o.int("maxTagLength")
        enable64bitTraceId = o.bool("enable64bitTraceId")
        path = o.string("path")
        _ = o.string("traceContextOption")
        _ = o.string("timeout")
        _ = o.value("headers")
        mark = o.mark
    }
}

/// Istio's `OpenTelemetryTracingProvider`: OTLP over gRPC, or over HTTP with `http`.
package struct OpenTelemetryProvider: Sendable, ObjectDecodable {
    package static let fields: Set<String> = [
        "service", "port", "maxTagLength", "http", "grpc", "resourceDetectors", "dynamicSampler",
    ]
    package var service: Located<String>?
    package var port: Located<Int>?
    package var maxTagLength: Located<Int>?
    package var http: HTTP?
    package var mark: Mark

    package init(_ o: ObjectReader) {
        service = o.string("service")
        port = o.int("port")
        maxTagLength = o.int("maxTagLength")
        http = o.object("http")
        _ = o.value("grpc")
        _ = o.value("resourceDetectors")
        _ = o.value("dynamicSampler")
        mark = o.mark
    }

    /// OTLP/HTTP: the collector's path (`/v1/traces`), a timeout, headers.
    package struct HTTP: Sendable, ObjectDecodable {
        package static let fields: Set<String> = ["path", "timeout", "headers"]
        package var path: Located<String>?
        package var timeout: Located<String>?
        package init(_ o: ObjectReader) {
            path = o.string("path")
            timeout = o.string("timeout")
            _ = o.value("headers")
        }
    }
}
