import MeshDiagnostics
import MeshIR

/// Access logs and tracing on a connection manager or TCP proxy (Telemetry):
/// Envoy's file access logger (its stdout and stderr stream loggers for
/// `/dev/stdout` and `/dev/stderr`), a CEL filter (Istio's `filter.expression`),
/// and the Zipkin or OpenTelemetry tracer with Istio's settings (128-bit
/// trace ids, spans not shared between client and server).
enum TelemetryBuilder {
    /// The `access_log` list of a connection manager or TCP proxy.
    static func accessLogs(_ telemetry: ListenerTelemetry?) -> JSON? {
        guard let logs = telemetry?.accessLogs, !logs.isEmpty else { return nil }
        return .array(logs.map(accessLog))
    }

    private static func accessLog(_ log: AccessLog) -> JSON {
        var format: JSONObject = [:]
        switch log.format {
        case .text(let text): format["text_format_source"] = .object(["inline_string": .string(text)])
        case .json(let fields):
            var json = JSONObject()
            for field in fields where json[field.key] == nil { json[field.key] = .string(field.value) } // the first of a name wins
            format["json_format"] = .object(json)
        }
        if log.omitEmptyValues { format["omit_empty_values"] = .bool(true) }
        // Envoy's own output goes through the stream loggers, which write to the
        // process's descriptor: a file logger would reopen /dev/stdout by path,
        // which Envoy running as an unprivileged user may not (the agent's log is root's).
        let (name, type): (String, String) = switch log.path {
        case "/dev/stdout": (EnvoyFilter.stdoutAccessLog, EnvoyType.stdoutAccessLog)
        case "/dev/stderr": (EnvoyFilter.stderrAccessLog, EnvoyType.stderrAccessLog)
        default: (EnvoyFilter.fileAccessLog, EnvoyType.fileAccessLog)
        }
        var config: JSONObject = ["log_format": .object(format)]
        if name == EnvoyFilter.fileAccessLog { config["path"] = .string(log.path) }
        var members: JSONObject = ["name": .string(name), "typed_config": JSON.object(config).typed(type)]
        if let filter = log.filter {
            members["filter"] = .object(["extension_filter": .object([
                "name": .string(EnvoyFilter.celAccessLogFilter),
                "typed_config": JSON.object(["expression": .string(filter)]).typed(EnvoyType.celAccessLogFilter),
            ])])
        }
        return .object(members)
    }

    /// The connection manager members for tracing: `tracing`, and the request-id
    /// extension when sampling must not follow `x-request-id`.
    static func tracing(_ telemetry: ListenerTelemetry?) -> JSONObject {
        guard let tracing = telemetry?.tracing else { return [:] }
        var config: JSONObject = [
            "random_sampling": .object(["value": .double(tracing.samplingPercent)]),
            "max_path_tag_length": .int(tracing.maxPathTagLength),
        ]
        if !tracing.customTags.isEmpty { config["custom_tags"] = .array(tracing.customTags.map(customTag)) }
        if let provider = tracing.provider { config["provider"] = self.provider(provider) }
        var members: JSONObject = ["tracing": .object(config)]
        if !tracing.useRequestIdForSampling {
            members["request_id_extension"] = .object(["typed_config": JSON.object([
                "use_request_id_for_trace_sampling": .bool(false),
            ]).typed(EnvoyType.uuidRequestID)])
        }
        return members
    }

    private static func customTag(_ tag: Tracing.CustomTag) -> JSON {
        switch tag.value {
        case .literal(let value):
            return .object(["tag": .string(tag.tag), "literal": .object(["value": .string(value)])])
        case .header(let name, let defaultValue):
            var header: JSONObject = ["name": .string(name)]
            if let defaultValue { header["default_value"] = .string(defaultValue) }
            return .object(["tag": .string(tag.tag), "request_header": .object(header)])
        }
    }

    private static func provider(_ provider: Tracing.Provider) -> JSON {
        switch provider {
        case .zipkin(let cluster, let hostname, let path, let traceID128):
            return .object(["name": .string("envoy.tracers.zipkin"), "typed_config": JSON.object([
                "collector_cluster": .string(cluster),
                "collector_endpoint": .string(path),
                "collector_endpoint_version": .string("HTTP_JSON"),
                "collector_hostname": .string(hostname),
                "trace_id_128bit": .bool(traceID128),
                "shared_span_context": .bool(false),
            ]).typed(EnvoyType.zipkinConfig)])
        case .openTelemetry(let cluster, let hostname, let port, let httpPath, let timeoutMs, let serviceName):
            var config: JSONObject = ["service_name": .string(serviceName)]
            if let httpPath {
                config["http_service"] = .object(["http_uri": .object([
                    "uri": .string("http://\(hostname):\(port)\(httpPath)"), "cluster": .string(cluster),
                    "timeout": .duration(milliseconds: timeoutMs),
                ])])
            } else {
                config["grpc_service"] = .object(["envoy_grpc": .object(["cluster_name": .string(cluster), "authority": .string(hostname)])])
            }
            return .object(["name": .string("envoy.tracers.opentelemetry"), "typed_config": JSON.object(config).typed(EnvoyType.openTelemetryConfig)])
        }
    }
}

extension EnvoyType {
    static let fileAccessLog = "type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog"
    static let stdoutAccessLog = "type.googleapis.com/envoy.extensions.access_loggers.stream.v3.StdoutAccessLog"
    static let stderrAccessLog = "type.googleapis.com/envoy.extensions.access_loggers.stream.v3.StderrAccessLog"
    static let celAccessLogFilter = "type.googleapis.com/envoy.extensions.access_loggers.filters.cel.v3.ExpressionFilter"
    static let zipkinConfig = "type.googleapis.com/envoy.config.trace.v3.ZipkinConfig"
    static let openTelemetryConfig = "type.googleapis.com/envoy.config.trace.v3.OpenTelemetryConfig"
    static let uuidRequestID = "type.googleapis.com/envoy.extensions.request_id.uuid.v3.UuidRequestIdConfig"
}

extension EnvoyFilter {
    static let fileAccessLog = "envoy.access_loggers.file"
    static let stdoutAccessLog = "envoy.access_loggers.stdout"
    static let stderrAccessLog = "envoy.access_loggers.stderr"
    static let celAccessLogFilter = "envoy.access_loggers.extension_filters.cel"
}
