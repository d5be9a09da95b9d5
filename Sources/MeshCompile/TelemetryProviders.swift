import MeshIR
import MeshModel
import MeshValidate

/// The telemetry providers a Telemetry can name: MeshConfig's
/// `extensionProviders` (`envoyFileAccessLog`, `zipkin`, `opentelemetry`)
/// and Istio's built-in `envoy` (a file access log to `accessLogFile`, or
/// `/dev/stdout`, in `accessLogEncoding`), with MeshConfig's `defaultProviders`.
struct TelemetryProviders {
    enum Provider {
        case accessLog(AccessLog)
        case tracing(Tracing.Provider, maxTagLength: Int?)
        /// A provider kind meshc does not build (Prometheus, Stackdriver, ALS…).
        case other(kind: String)
    }

    var byName: [String: Provider] = [:]
    var defaultAccessLogging: [String] = []
    var defaultTracing: [String] = []
    /// MeshConfig `accessLogFile`: Istio's switch that logs every proxy unless a Telemetry says otherwise.
    var meshAccessLog: AccessLog?

    /// The providers of the repository's MeshConfig (the first in documented order wins a name).
    init(_ state: inout CompileState) {
        var builtIn = AccessLog(path: "/dev/stdout", format: .text(Self.istioText))
        var logsEveryProxy = false
        for resource in state.index.resources(of: .meshConfig) {
            guard case .meshConfig(let spec) = resource.body else { continue }
            if let file = spec.accessLogFile?.value, !file.isEmpty {
                builtIn.path = file
                logsEveryProxy = true
            }
            if spec.accessLogEncoding?.value == "JSON" { builtIn.format = .json(Self.istioJSON) }
            if let format = spec.accessLogFormat?.value, !format.isEmpty, spec.accessLogEncoding?.value != "JSON" {
                builtIn.format = .text(format.hasSuffix("\n") ? format : format + "\n")
            }
            if let defaults = spec.defaultProviders {
                if defaultAccessLogging.isEmpty { defaultAccessLogging = defaults.accessLogging.map(\.value) }
                if defaultTracing.isEmpty { defaultTracing = defaults.tracing.map(\.value) }
            }
            for provider in spec.extensionProviders {
                guard let name = provider.name?.value, byName[name] == nil else { continue }
                if let log = provider.fileAccessLog {
                    byName[name] = .accessLog(Self.accessLog(log))
                } else if let zipkin = provider.zipkin, let service = zipkin.service?.value, let port = zipkin.port?.value {
                    let host = state.index.fqdn(service, namespace: resource.namespace)
                    let key = Self.collector(host, port, &state)
                    byName[name] = .tracing(.zipkin(cluster: key.name, hostname: host, path: zipkin.path?.value ?? "/api/v2/spans",
                                                   traceID128: !(zipkin.enable64bitTraceId?.value ?? false)),
                                            maxTagLength: zipkin.maxTagLength?.value)
                } else if let otel = provider.openTelemetry, let service = otel.service?.value, let port = otel.port?.value {
                    let host = state.index.fqdn(service, namespace: resource.namespace)
                    let key = Self.collector(host, port, &state)
                    let timeout = otel.http?.timeout.flatMap { GoDuration.milliseconds($0.value) } ?? 250
                    byName[name] = .tracing(.openTelemetry(cluster: key.name, hostname: host, port: port,
                                                           httpPath: otel.http.map { $0.path?.value ?? "/v1/traces" },
                                                           timeoutMs: timeout, serviceName: ""),
                                            maxTagLength: otel.maxTagLength?.value)
                } else if let kind = provider.kind {
                    byName[name] = .other(kind: kind)
                }
            }
        }
        if byName["envoy"] == nil { byName["envoy"] = .accessLog(builtIn) }
        if logsEveryProxy { meshAccessLog = builtIn }
    }

    /// The cluster spans go to: the collector service's outbound cluster, built like any service's.
    private static func collector(_ host: String, _ port: Int, _ state: inout CompileState) -> ClusterKey {
        let key = ClusterKey(host: host, port: port, subset: nil)
        state.clusterKeys.insert(key)
        return key
    }

    private static func accessLog(_ provider: FileAccessLogProvider) -> AccessLog {
        let format: AccessLog.Format
        if let labels = provider.labels {
            format = .json(labels.entries.map { AccessLog.Field($0.key, $0.value.value) })
        } else if let text = provider.text?.value, !text.isEmpty {
            format = .text(text.hasSuffix("\n") ? text : text + "\n")
        } else {
            format = .text(istioText)
        }
        return AccessLog(path: provider.path?.value ?? "/dev/stdout", format: format, omitEmptyValues: provider.omitEmptyValues?.value ?? false)
    }

    /// Istio's default text access log line (`EnvoyTextLogFormat`).
    static let istioText = "[%START_TIME%] \"%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%\" %RESPONSE_CODE% %RESPONSE_FLAGS% "
        + "%RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS% \"%UPSTREAM_TRANSPORT_FAILURE_REASON%\" %BYTES_RECEIVED% %BYTES_SENT% "
        + "%DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% \"%REQ(X-FORWARDED-FOR)%\" \"%REQ(USER-AGENT)%\" \"%REQ(X-REQUEST-ID)%\" "
        + "\"%REQ(:AUTHORITY)%\" \"%UPSTREAM_HOST%\" %UPSTREAM_CLUSTER_RAW% %UPSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS% "
        + "%DOWNSTREAM_REMOTE_ADDRESS% %REQUESTED_SERVER_NAME% %ROUTE_NAME%\n"

    /// Istio's default JSON access log fields (`accessLogEncoding: JSON`), in Istio's order.
    static let istioJSON: [AccessLog.Field] = [
        .init("start_time", "%START_TIME%"), .init("route_name", "%ROUTE_NAME%"), .init("method", "%REQ(:METHOD)%"),
        .init("path", "%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%"), .init("protocol", "%PROTOCOL%"), .init("response_code", "%RESPONSE_CODE%"),
        .init("response_flags", "%RESPONSE_FLAGS%"), .init("response_code_details", "%RESPONSE_CODE_DETAILS%"),
        .init("connection_termination_details", "%CONNECTION_TERMINATION_DETAILS%"), .init("bytes_received", "%BYTES_RECEIVED%"),
        .init("bytes_sent", "%BYTES_SENT%"), .init("duration", "%DURATION%"),
        .init("upstream_service_time", "%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)%"), .init("x_forwarded_for", "%REQ(X-FORWARDED-FOR)%"),
        .init("user_agent", "%REQ(USER-AGENT)%"), .init("request_id", "%REQ(X-REQUEST-ID)%"), .init("authority", "%REQ(:AUTHORITY)%"),
        .init("upstream_host", "%UPSTREAM_HOST%"), .init("upstream_cluster", "%UPSTREAM_CLUSTER_RAW%"),
        .init("upstream_local_address", "%UPSTREAM_LOCAL_ADDRESS%"), .init("downstream_local_address", "%DOWNSTREAM_LOCAL_ADDRESS%"),
        .init("downstream_remote_address", "%DOWNSTREAM_REMOTE_ADDRESS%"), .init("requested_server_name", "%REQUESTED_SERVER_NAME%"),
        .init("upstream_transport_failure_reason", "%UPSTREAM_TRANSPORT_FAILURE_REASON%"),
    ]
}
