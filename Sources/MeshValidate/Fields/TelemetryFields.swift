import MeshDiagnostics
import MeshModel

/// Telemetry, as Istio's ValidateTelemetry checks it, and the telemetry
/// providers of meshc's MeshConfig (`envoyFileAccessLog`, `zipkin`, `opentelemetry`).
extension FieldChecker {
    mutating func telemetry(_ spec: TelemetrySpec) {
        policyTargets(spec.targetRefs, hasSelector: spec.selector != nil)
        selectorLabels(spec.selector?.matchLabels, "spec.selector.matchLabels")
        let modes = ["CLIENT_AND_SERVER", "CLIENT", "SERVER"]
        for (i, entry) in spec.tracing.enumerated() {
            let path = "spec.tracing[\(i)]"
            enumValue(entry.match?.mode, modes, path + ".match.mode", what: "workload mode")
            providerNames(entry.providers, path)
            if let percent = entry.randomSamplingPercentage, !(0...100).contains(percent.value) {
                fail(percent.mark, path + ".randomSamplingPercentage", "percentage \(percent.value) is not in range [0.0, 100.0]",
                     hint: "write a percentage from 0 to 100, like 10.0")
            }
            for (key, tag) in entry.customTags ?? [] {
                let kinds = [tag.literal != nil, tag.environment != nil, tag.header != nil, tag.formatter != nil].filter { $0 }.count
                if kinds != 1 {
                    fail(tag.mark, "\(path).customTags.\(key.value)", "custom tag \"\(key.value)\" must have exactly one of literal, environment, header, formatter",
                         hint: "keep one kind of value")
                }
                for named in [tag.environment, tag.header].compactMap({ $0 }) where (named.name?.value ?? "").isEmpty {
                    fail(named.name?.mark ?? tag.mark, "\(path).customTags.\(key.value)", "custom tag \"\(key.value)\" names no variable or header",
                         hint: "add name:")
                }
            }
        }
        for (i, entry) in spec.accessLogging.enumerated() {
            let path = "spec.accessLogging[\(i)]"
            enumValue(entry.match?.mode, modes, path + ".match.mode", what: "workload mode")
            providerNames(entry.providers, path)
            if let filter = entry.filter, filter.value.trimmingCharacters(in: .whitespaces).isEmpty {
                fail(filter.mark, path + ".filter.expression", "the filter expression is empty", hint: "write a CEL expression like response.code >= 400, or remove filter")
            }
        }
        for (i, entry) in spec.metrics.enumerated() {
            let path = "spec.metrics[\(i)]"
            providerNames(entry.providers, path)
            duration(entry.reportingInterval, path + ".reportingInterval")
            for (j, override) in entry.overrides.enumerated() {
                let at = "\(path).overrides[\(j)]"
                enumValue(override.metric, Self.istioMetrics, at + ".match.metric", what: "metric")
                enumValue(override.mode, modes, at + ".match.mode", what: "workload mode")
                if let metric = override.metric, override.customMetric != nil {
                    fail(metric.mark, at + ".match", "only one of metric and customMetric can be set", hint: "keep one")
                }
                for (name, tag) in override.tagOverrides {
                    enumValue(tag.operation, ["UPSERT", "REMOVE"], "\(at).tagOverrides.\(name.value).operation", what: "operation")
                    let remove = tag.operation?.value == "REMOVE"
                    if remove, let value = tag.value {
                        fail(value.mark, "\(at).tagOverrides.\(name.value).value", "value must not be set when the operation is REMOVE", hint: "remove value")
                    } else if !remove, (tag.value?.value ?? "").isEmpty {
                        fail(name.mark, "\(at).tagOverrides.\(name.value).value", "value must be set when the operation is UPSERT", hint: "add value: (a CEL expression)")
                    }
                }
            }
        }
    }

    private mutating func providerNames(_ providers: [TelemetryProviderRef], _ path: String) {
        for (i, provider) in providers.enumerated() where (provider.name?.value ?? "").isEmpty {
            fail(provider.name?.mark ?? specMark, "\(path).providers[\(i)].name", "a provider reference needs a name",
                 hint: "name a provider of MeshConfig extensionProviders, or envoy")
        }
    }

    /// Istio's `MetricSelector.IstioMetric`.
    static let istioMetrics = [
        "ALL_METRICS", "REQUEST_COUNT", "REQUEST_DURATION", "REQUEST_SIZE", "RESPONSE_SIZE", "TCP_OPENED_CONNECTIONS",
        "TCP_CLOSED_CONNECTIONS", "TCP_SENT_BYTES", "TCP_RECEIVED_BYTES", "GRPC_REQUEST_MESSAGES", "GRPC_RESPONSE_MESSAGES",
    ]

    /// A MeshConfig telemetry provider: a collector service and port, a log path.
    mutating func telemetryProvider(_ provider: ExtensionProvider, _ path: String) {
        if let log = provider.fileAccessLog {
            if let file = log.path, file.value.isEmpty {
                fail(file.mark, path + ".envoyFileAccessLog.path", "the access log path is empty", hint: "write /dev/stdout or a file path")
            }
            if let text = log.text, log.labels != nil {
                fail(text.mark, path + ".envoyFileAccessLog.logFormat", "only one of text and labels can be set", hint: "keep one")
            }
        }
        let collectors: [(String, Located<String>?, Located<Int>?, Mark)] = [
            provider.zipkin.map { ("zipkin", $0.service, $0.port, $0.mark) }, provider.openTelemetry.map { ("opentelemetry", $0.service, $0.port, $0.mark) },
        ].compactMap { $0 }
        for (kind, service, port, mark) in collectors {
            providerService(service, port, "\(path).\(kind)", mark: mark, named: "the collector service", portOf: "the collector's",
                            hostOf: "the collector's", host: "zipkin.istio-system.svc.cluster.local", port: 9411)
        }
        if let http = provider.openTelemetry?.http {
            duration(http.timeout, path + ".opentelemetry.http.timeout")
            if let httpPath = http.path, !httpPath.value.hasPrefix("/") {
                fail(httpPath.mark, path + ".opentelemetry.http.path", "path must start with /", hint: "write it like /v1/traces")
            }
        }
    }
}
