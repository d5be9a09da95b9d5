import MeshDiagnostics

/// telemetry.istio.io Telemetry: access logging, tracing and metrics for
/// the workloads it selects (root namespace: the mesh; a namespace: its
/// workloads; `selector.matchLabels`: those workloads).
package final class TelemetrySpec: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["selector", "targetRef", "targetRefs", "tracing", "metrics", "accessLogging"]
    package let selector: WorkloadSelectorMatchLabels?
    package let targetRefs: [PolicyTargetReference]
    package let tracing: [TelemetryTracing]
    package let metrics: [TelemetryMetrics]
    package let accessLogging: [TelemetryAccessLogging]
    package let mark: Mark

    package init(_ o: ObjectReader) {
        selector = o.object("selector")
        targetRefs = (o.object("targetRef", PolicyTargetReference.self).map { [$0] } ?? []) + o.list("targetRefs")
        tracing = o.list("tracing")
        metrics = o.list("metrics")
        accessLogging = o.list("accessLogging")
        mark = o.mark
    }
}

/// `providers[]`: a provider of MeshConfig's `extensionProviders`, by name.
package struct TelemetryProviderRef: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["name"]
    package var name: Located<String>?
    package init(_ o: ObjectReader) { name = o.string("name") }
}

/// `match` of tracing and access logging: `CLIENT`, `SERVER` or `CLIENT_AND_SERVER`.
package struct TelemetryModeSelector: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["mode"]
    package var mode: Located<String>?
    package init(_ o: ObjectReader) { mode = o.string("mode") }
}

/// One `tracing` entry. Unset fields are inherited from the levels above.
package struct TelemetryTracing: Sendable, ObjectDecodable {
    package static let fields: Set<String> = [
        "match", "providers", "randomSamplingPercentage", "disableSpanReporting", "customTags",
        "useRequestIdForTraceSampling", "enableIstioTags", "disableContextPropagation",
    ]
    package var match: TelemetryModeSelector?
    package var providers: [TelemetryProviderRef]
    package var randomSamplingPercentage: Located<Double>?
    package var disableSpanReporting: Located<Bool>?
    /// Nil when absent (inherited); present and empty replaces the parent's.
    package var customTags: [(key: Located<String>, value: TelemetryCustomTag)]?
    package var useRequestIdForTraceSampling: Located<Bool>?
    package var enableIstioTags: Located<Bool>?
    package var disableContextPropagation: Located<Bool>?
    package var mark: Mark

    package init(_ o: ObjectReader) {
        match = o.object("match")
        providers = o.list("providers")
        randomSamplingPercentage = o.double("randomSamplingPercentage")
        disableSpanReporting = o.bool("disableSpanReporting")
        customTags = o.has("customTags") ? o.objectMap("customTags") : nil
        useRequestIdForTraceSampling = o.bool("useRequestIdForTraceSampling")
        enableIstioTags = o.bool("enableIstioTags")
        disableContextPropagation = o.bool("disableContextPropagation")
        mark = o.mark
    }
}

/// A span tag: a literal, an environment variable of the proxy, a request header, or a formatter.
package struct TelemetryCustomTag: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["literal", "environment", "header", "formatter"]
    package var literal: Located<String>?
    package var environment: NamedValue?
    package var header: NamedValue?
    package var formatter: Located<String>?
    package var mark: Mark

    package init(_ o: ObjectReader) {
        literal = o.object("literal", Value.self)?.value
        environment = o.object("environment")
        header = o.object("header")
        formatter = o.object("formatter", Value.self)?.value
        mark = o.mark
    }

    struct Value: ObjectDecodable {
        static let fields: Set<String> = ["value"]
        var value: Located<String>?
        init(_ o: ObjectReader) { value = o.string("value") }
    }

    /// `environment` and `header`: a name and a value when it is missing.
    package struct NamedValue: Sendable, ObjectDecodable {
        package static let fields: Set<String> = ["name", "defaultValue"]
        package var name: Located<String>?
        package var defaultValue: Located<String>?
        package init(_ o: ObjectReader) {
            name = o.string("name")
            defaultValue = o.string("defaultValue")
        }
    }
}

/// One `metrics` entry (validated; Envoy's own stats are meshc's metrics).
package struct TelemetryMetrics: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["providers", "overrides", "reportingInterval"]
    package var providers: [TelemetryProviderRef]
    package var overrides: [Override]
    package var reportingInterval: Located<String>?
    package var mark: Mark

    package init(_ o: ObjectReader) {
        providers = o.list("providers")
        overrides = o.list("overrides")
        reportingInterval = o.string("reportingInterval")
        mark = o.mark
    }

    package struct Override: Sendable, ObjectDecodable {
        package static let fields: Set<String> = ["match", "disabled", "tagOverrides"]
        package var metric: Located<String>?
        package var customMetric: Located<String>?
        package var mode: Located<String>?
        package var disabled: Located<Bool>?
        package var tagOverrides: [(key: Located<String>, value: TagOverride)]
        package var mark: Mark

        package init(_ o: ObjectReader) {
            let match = o.object("match", Selector.self)
            metric = match?.metric
            customMetric = match?.customMetric
            mode = match?.mode
            disabled = o.bool("disabled")
            tagOverrides = o.objectMap("tagOverrides")
            mark = o.mark
        }

        struct Selector: ObjectDecodable {
            static let fields: Set<String> = ["metric", "customMetric", "mode"]
            var metric: Located<String>?
            var customMetric: Located<String>?
            var mode: Located<String>?
            init(_ o: ObjectReader) {
                metric = o.string("metric")
                customMetric = o.string("customMetric")
                mode = o.string("mode")
            }
        }
    }

    package struct TagOverride: Sendable, ObjectDecodable {
        package static let fields: Set<String> = ["operation", "value"]
        package var operation: Located<String>?
        package var value: Located<String>?
        package init(_ o: ObjectReader) {
            operation = o.string("operation")
            value = o.string("value")
        }
    }
}

/// One `accessLogging` entry.
package struct TelemetryAccessLogging: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["match", "providers", "disabled", "filter"]
    package var match: TelemetryModeSelector?
    package var providers: [TelemetryProviderRef]
    package var disabled: Located<Bool>?
    /// `filter.expression`: a CEL expression; only matching requests are logged.
    package var filter: Located<String>?
    package var mark: Mark

    package init(_ o: ObjectReader) {
        match = o.object("match")
        providers = o.list("providers")
        disabled = o.bool("disabled")
        filter = o.object("filter", Filter.self)?.expression
        mark = o.mark
    }

    struct Filter: ObjectDecodable {
        static let fields: Set<String> = ["expression"]
        var expression: Located<String>?
        init(_ o: ObjectReader) { expression = o.string("expression") }
    }
}
