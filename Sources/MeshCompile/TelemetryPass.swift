import MeshIR
import MeshModel
import MeshValidate

/// Istio's Telemetry API per proxy: the Telemetry of the root namespace
/// (mesh), of the workload's namespace (both without a selector) and the one
/// selecting the workload, applied in that order, each level overriding the
/// one above field by field (Istio's hierarchy). Resolved twice per proxy:
/// for its client side (gateway listeners, sidecar outbound) and its server
/// side (sidecar inbound), as `match.mode` asks.
///
/// Access logging: per provider, `disabled` and `filter` are inherited until
/// a level sets them; an entry without providers uses MeshConfig's
/// `defaultProviders.accessLogging`. MeshConfig `accessLogFile` logs every
/// proxy on which no Telemetry configures access logging.
/// Tracing: `providers`, `randomSamplingPercentage`, `disableSpanReporting`,
/// `customTags` and `useRequestIdForTraceSampling` are inherited until set.
/// Metrics: Envoy's own stats are meshc's metrics; overrides are noted, not built.
enum TelemetryPass {
    enum Mode: String { case client = "CLIENT", server = "SERVER" }

    static func run(_ state: inout CompileState) {
        let telemetries = state.index.resources(of: .telemetry)
            .sorted { ($0.file, $0.mark.line, $0.mark.column) < ($1.file, $1.mark.line, $1.mark.column) }
            .compactMap { resource -> (Resource, TelemetrySpec)? in
                guard case .telemetry(let spec) = resource.body else { return nil }
                return (resource, spec)
            }
        let providers = TelemetryProviders(&state)
        guard !telemetries.isEmpty || providers.meshAccessLog != nil else { return }
        notes(telemetries, providers, &state)
        let root = state.index.config.rootNamespace
        let mesh = telemetries.first { $0.0.namespace == root && $0.1.selector == nil && $0.1.targetRefs.isEmpty }
        for declaration in state.declarations {
            let namespace = declaration.workload?.namespace ?? declaration.namespace
            let local = namespace == root ? nil : telemetries.first { $0.0.namespace == namespace && $0.1.selector == nil && $0.1.targetRefs.isEmpty }
            let workload = telemetries.first { resource, spec in
                guard resource.namespace == namespace, spec.targetRefs.isEmpty, let labels = spec.selector?.matchLabels, !labels.isEmpty else { return false }
                return labels.selects(declaration.labels)
            }
            let levels = [mesh, local, workload].compactMap { $0 }
            var resolved: [Mode: ListenerTelemetry] = [:]
            for mode in [Mode.client, .server] {
                let telemetry = ListenerTelemetry(accessLogs: accessLogs(levels, mode, providers),
                                                  tracing: tracing(levels, mode, declaration, providers, &state))
                if !telemetry.isEmpty { resolved[mode] = telemetry }
            }
            if !resolved.isEmpty { state.telemetry[declaration.name] = resolved }
        }
    }

    /// The telemetry of proxy `proxy`'s listeners on side `mode`; nil: none.
    static func listener(_ proxy: String, _ mode: Mode, _ state: CompileState) -> ListenerTelemetry? {
        state.telemetry[proxy]?[mode]
    }

    /// Whether a `match.mode` selects `mode` (absent: both).
    private static func selects(_ match: TelemetryModeSelector?, _ mode: Mode) -> Bool {
        guard let written = match?.mode?.value, written != "CLIENT_AND_SERVER" else { return true }
        return written == mode.rawValue
    }

    private static func accessLogs(_ levels: [(Resource, TelemetrySpec)], _ mode: Mode, _ providers: TelemetryProviders) -> [AccessLog] {
        var settings: [(name: String, disabled: Bool, filter: String?)] = []
        var configured = false
        for (_, spec) in levels {
            for entry in spec.accessLogging where selects(entry.match, mode) {
                configured = true
                let names = entry.providers.isEmpty ? providers.defaultAccessLogging : entry.providers.compactMap(\.name?.value)
                for name in names {
                    let index = settings.firstIndex { $0.name == name } ?? {
                        settings.append((name, false, nil))
                        return settings.count - 1
                    }()
                    if let disabled = entry.disabled?.value { settings[index].disabled = disabled }
                    if let filter = entry.filter?.value { settings[index].filter = filter.isEmpty ? nil : filter }
                }
            }
        }
        guard configured else { return providers.meshAccessLog.map { [$0] } ?? [] }
        return settings.filter { !$0.disabled }.compactMap { setting in
            guard case .accessLog(var log)? = providers.byName[setting.name] else { return nil }
            log.filter = setting.filter
            return log
        }
    }

    private static func tracing(_ levels: [(Resource, TelemetrySpec)], _ mode: Mode, _ declaration: ProxyDeclaration,
                                _ providers: TelemetryProviders, _ state: inout CompileState) -> Tracing? {
        var configured = false
        var names = providers.defaultTracing
        var percent = 1.0
        var disabled = false
        var tags: [Tracing.CustomTag] = []
        var requestIDSampling = true
        for (resource, spec) in levels {
            for entry in spec.tracing where selects(entry.match, mode) {
                configured = true
                if !entry.providers.isEmpty { names = entry.providers.compactMap(\.name?.value) }
                if let value = entry.randomSamplingPercentage?.value { percent = value }
                if let value = entry.disableSpanReporting?.value { disabled = value }
                if let value = entry.useRequestIdForTraceSampling?.value { requestIDSampling = value }
                if let written = entry.customTags {
                    tags = written.compactMap { key, tag in
                        if let literal = tag.literal?.value { return .init(tag: key.value, value: .literal(literal)) }
                        if let header = tag.header, let name = header.name?.value {
                            return .init(tag: key.value, value: .header(name: name, defaultValue: header.defaultValue?.value))
                        }
                        let what = tag.environment != nil ? "an environment tag would read the agent's environment" : "formatter tags are not built yet"
                        state.note("custom tag \(key.value): \(what); left out", in: resource, at: key.mark)
                        return nil
                    }
                }
            }
        }
        guard configured else { return nil }
        var provider: Tracing.Provider?
        var maxTag = 256
        if !disabled, let name = names.first {
            if case .tracing(let found, let length)? = providers.byName[name] {
                provider = found
                if case .openTelemetry(let cluster, let host, let port, let path, let timeout, _) = found {
                    provider = .openTelemetry(cluster: cluster, hostname: host, port: port, httpPath: path, timeoutMs: timeout,
                                              serviceName: "\(declaration.name).\(declaration.workload?.namespace ?? declaration.namespace)")
                }
                maxTag = length ?? 256
            }
        }
        return Tracing(provider: provider, samplingPercent: percent, customTags: tags, maxPathTagLength: maxTag,
                       useRequestIdForSampling: requestIDSampling)
    }

    /// Build notes for what is written and not built (once per Telemetry, not per proxy).
    private static func notes(_ telemetries: [(Resource, TelemetrySpec)], _ providers: TelemetryProviders, _ state: inout CompileState) {
        for (resource, spec) in telemetries {
            if let target = spec.targetRefs.first {
                state.note("targetRef attaches Telemetry to Gateway API resources, which meshc does not build; this Telemetry applies to no proxy",
                           in: resource, at: target.mark)
            }
            for entry in spec.tracing {
                if let flag = entry.disableContextPropagation, flag.value {
                    state.note("disableContextPropagation is not built: trace headers are still forwarded", in: resource, at: flag.mark)
                }
            }
            for entry in spec.metrics where !entry.overrides.isEmpty || entry.reportingInterval != nil {
                state.note("metrics overrides are not built: Envoy's own stats are the metrics (README \"Stats for Prometheus\")",
                           in: resource, at: entry.mark)
            }
            let named = spec.accessLogging.flatMap(\.providers) + spec.tracing.flatMap(\.providers)
            for ref in named {
                guard let name = ref.name else { continue }
                switch providers.byName[name.value] {
                case nil:
                    state.note("provider \"\(name.value)\" is not declared in MeshConfig extensionProviders; nothing is reported to it",
                               in: resource, at: name.mark)
                case .other(let kind)?:
                    state.note("provider \"\(name.value)\" is \(kind), which meshc does not build; nothing is reported to it", in: resource, at: name.mark)
                default:
                    break
                }
            }
            for entry in spec.tracing {
                for ref in entry.providers {
                    guard let name = ref.name, case .accessLog? = providers.byName[name.value] else { continue }
                    state.note("provider \"\(name.value)\" is an access log, not a tracer", in: resource, at: name.mark)
                }
            }
        }
    }
}
