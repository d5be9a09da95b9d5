/// What a listener reports about the requests and connections it serves:
/// Istio's Telemetry API (access logging and tracing) after the hierarchy
/// (mesh, namespace, workload) and the mode (client, server) are resolved.
package struct ListenerTelemetry: Sendable, Hashable {
    /// Access logs, each written for every request (or connection) its filter passes.
    package var accessLogs: [AccessLog]
    /// Tracing; nil: Envoy's default (no spans, no sampling decisions).
    package var tracing: Tracing?

    package init(accessLogs: [AccessLog] = [], tracing: Tracing? = nil) {
        self.accessLogs = accessLogs
        self.tracing = tracing
    }

    package var isEmpty: Bool { accessLogs.isEmpty && tracing == nil }
}

/// One file access log (Envoy `envoy.access_loggers.file`).
package struct AccessLog: Sendable, Hashable {
    package enum Format: Sendable, Hashable {
        /// Envoy's command operators in one line (`%START_TIME%` …), newline-terminated.
        case text(String)
        /// One JSON object per line: key → command operator, in this order.
        case json([Field])
    }

    package struct Field: Sendable, Hashable {
        package var key: String
        package var value: String
        package init(_ key: String, _ value: String) {
            self.key = key
            self.value = value
        }
    }

    /// `/dev/stdout`, or a file the proxy may write (the agent's `logs/` folder, `--allow-file-root`).
    package var path: String
    package var format: Format
    package var omitEmptyValues: Bool
    /// A CEL expression (Istio's `filter.expression`): only matching requests are logged.
    package var filter: String?

    package init(path: String, format: Format, omitEmptyValues: Bool = false, filter: String? = nil) {
        self.path = path
        self.format = format
        self.omitEmptyValues = omitEmptyValues
        self.filter = filter
    }
}

/// Tracing of one listener's requests.
package struct Tracing: Sendable, Hashable {
    /// Where spans go; nil: spans are not reported, trace context still propagates (`disableSpanReporting`).
    package var provider: Provider?
    /// Requests without a sampling decision are sampled at this percentage.
    package var samplingPercent: Double
    package var customTags: [CustomTag]
    /// Longest path tag (Istio's `maxTagLength`, default 256).
    package var maxPathTagLength: Int
    /// False: Envoy does not derive the sampling decision from `x-request-id`.
    package var useRequestIdForSampling: Bool

    package enum Provider: Sendable, Hashable {
        /// Zipkin v2 JSON to `path` on `cluster` (`Host: hostname`).
        case zipkin(cluster: String, hostname: String, path: String, traceID128: Bool)
        /// OTLP over gRPC (`httpPath` nil) or HTTP (`httpPath`) to `cluster`.
        case openTelemetry(cluster: String, hostname: String, port: Int, httpPath: String?, timeoutMs: Int, serviceName: String)

        package var cluster: String {
            switch self {
            case .zipkin(let cluster, _, _, _), .openTelemetry(let cluster, _, _, _, _, _): cluster
            }
        }
    }

    package struct CustomTag: Sendable, Hashable {
        package enum Value: Sendable, Hashable {
            case literal(String)
            case header(name: String, defaultValue: String?)
        }
        package var tag: String
        package var value: Value
        package init(tag: String, value: Value) {
            self.tag = tag
            self.value = value
        }
    }

    package init(provider: Provider?, samplingPercent: Double, customTags: [CustomTag] = [], maxPathTagLength: Int = 256,
                 useRequestIdForSampling: Bool = true) {
        self.provider = provider
        self.samplingPercent = samplingPercent
        self.customTags = customTags
        self.maxPathTagLength = maxPathTagLength
        self.useRequestIdForSampling = useRequestIdForSampling
    }
}
