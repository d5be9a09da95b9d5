import MeshDiagnostics
@testable import MeshModel
import MeshYAML
import Testing

// Issue 13: meshc decodes Istio kinds strictly, so a field of Istio's API
// that a type's `fields` forgot turns valid Istio config into IST0106.
//
// The table below lists, per Istio message, the field names Istio's API
// has (JSON, lowerCamelCase) beside the meshc type that decodes the message.
// Sources: istio/api `networking/v1/*.proto` (synced from v1alpha3),
// `security/v1/*.proto` and `type/v1beta1/*.proto`, checked against the
// CRD schemas Istio 1.28 generates from them (which also carry the
// `+kubebuilder:altName` spellings `mirror_percent` and `jwks_uri`).
// Deprecated fields count: Istio still accepts them.
//
// To add a field Istio gained: add it here and to the type's `fields`.

/// One Istio message and the meshc type that decodes it.
struct IstioMessage: Sendable, CustomTestStringConvertible {
    /// `package.Message`, as in Istio's API reference.
    let istio: String
    /// Every field name Istio's message has.
    let fields: Set<String>
    /// The meshc type decoding it.
    let meshcType: String
    /// That type's `fields`.
    let known: Set<String>
    /// Fields meshc knows that the Istio message lacks, each with the reason.
    let extras: [String: String]

    init(_ istio: String, _ fields: Set<String>, _ meshcType: String, _ known: Set<String>, extras: [String: String] = [:]) {
        self.istio = istio
        self.fields = fields
        self.meshcType = meshcType
        self.known = known
        self.extras = extras
    }

    var testDescription: String { "\(istio) → \(meshcType)" }
}

enum IstioAPI {
    /// networking.istio.io/v1: VirtualService.
    static let virtualService: [IstioMessage] = [
        IstioMessage("networking.VirtualService", ["hosts", "gateways", "http", "tls", "tcp", "exportTo"],
                     "VirtualServiceSpec", VirtualServiceSpec.fields),
        IstioMessage("networking.HTTPRoute",
                     ["name", "match", "route", "redirect", "directResponse", "delegate", "rewrite", "timeout", "retries", "fault",
                      "mirror", "mirrors", "mirrorPercent", "mirrorPercentage", "corsPolicy", "headers",
                      // The CRD's altName of the deprecated mirrorPercent.
                      "mirror_percent"],
                     "HTTPRoute", HTTPRoute.fields),
        IstioMessage("networking.HTTPMatchRequest",
                     ["name", "uri", "scheme", "method", "authority", "headers", "port", "sourceLabels", "gateways", "queryParams",
                      "ignoreUriCase", "withoutHeaders", "sourceNamespace", "statPrefix"],
                     "HTTPMatchRequest", HTTPMatchRequest.fields),
        IstioMessage("networking.StringMatch", ["exact", "prefix", "regex"], "StringMatch", StringMatch.fields),
        IstioMessage("networking.HTTPRouteDestination", ["destination", "weight", "headers"], "RouteDestination", RouteDestination.fields),
        IstioMessage("networking.RouteDestination", ["destination", "weight"], "RouteDestination", RouteDestination.fields,
                     extras: ["headers": "one meshc type decodes HTTPRouteDestination and RouteDestination; only the HTTP one has headers"]),
        IstioMessage("networking.Destination", ["host", "subset", "port"], "Destination", Destination.fields),
        IstioMessage("networking.PortSelector", ["number"], "PortSelector", PortSelector.fields),
        IstioMessage("networking.Percent", ["value"], "Percent", Percent.fields),
        IstioMessage("networking.Delegate", ["name", "namespace"], "Delegate", Delegate.fields),
        IstioMessage("networking.Headers", ["request", "response"], "Headers", Headers.fields),
        IstioMessage("networking.Headers.HeaderOperations", ["set", "add", "remove"], "HeaderOperations", HeaderOperations.fields),
        IstioMessage("networking.TLSRoute", ["match", "route"], "TLSRoute", TLSRoute.fields),
        IstioMessage("networking.TCPRoute", ["match", "route"], "TCPRoute", TCPRoute.fields),
        IstioMessage("networking.TLSMatchAttributes",
                     ["sniHosts", "destinationSubnets", "port", "sourceLabels", "gateways", "sourceNamespace"],
                     "TLSMatchAttributes", TLSMatchAttributes.fields),
        IstioMessage("networking.L4MatchAttributes",
                     ["destinationSubnets", "port", "sourceSubnet", "sourceLabels", "gateways", "sourceNamespace"],
                     "L4MatchAttributes", L4MatchAttributes.fields),
        IstioMessage("networking.HTTPRedirect", ["uri", "authority", "port", "derivePort", "scheme", "redirectCode"],
                     "HTTPRedirect", HTTPRedirect.fields),
        IstioMessage("networking.HTTPDirectResponse", ["status", "body"], "HTTPDirectResponse", HTTPDirectResponse.fields),
        IstioMessage("networking.HTTPBody", ["string", "bytes"], "HTTPBody", HTTPBody.fields),
        IstioMessage("networking.HTTPRewrite", ["uri", "authority", "uriRegexRewrite"], "HTTPRewrite", HTTPRewrite.fields),
        IstioMessage("networking.RegexRewrite", ["match", "rewrite"], "RegexRewrite", RegexRewrite.fields),
        IstioMessage("networking.HTTPRetry",
                     ["attempts", "perTryTimeout", "retryOn", "retryRemoteLocalities", "retryIgnorePreviousHosts", "backoff"],
                     "HTTPRetry", HTTPRetry.fields),
        IstioMessage("networking.CorsPolicy",
                     ["allowOrigin", "allowOrigins", "allowMethods", "allowHeaders", "exposeHeaders", "maxAge", "allowCredentials",
                      "unmatchedPreflights"],
                     "CorsPolicy", CorsPolicy.fields),
        IstioMessage("networking.HTTPFaultInjection", ["delay", "abort"], "HTTPFaultInjection", HTTPFaultInjection.fields),
        IstioMessage("networking.HTTPFaultInjection.Delay", ["percent", "fixedDelay", "exponentialDelay", "percentage"],
                     "FaultDelay", FaultDelay.fields),
        IstioMessage("networking.HTTPFaultInjection.Abort", ["httpStatus", "grpcStatus", "http2Error", "percentage"],
                     "FaultAbort", FaultAbort.fields),
        IstioMessage("networking.HTTPMirrorPolicy", ["destination", "percentage"], "HTTPMirrorPolicy", HTTPMirrorPolicy.fields),
    ]

    /// networking.istio.io/v1: DestinationRule.
    static let destinationRule: [IstioMessage] = [
        IstioMessage("networking.DestinationRule", ["host", "trafficPolicy", "subsets", "exportTo", "workloadSelector"],
                     "DestinationRuleSpec", DestinationRuleSpec.fields),
        IstioMessage("type.v1beta1.WorkloadSelector (DestinationRule.workloadSelector)", ["matchLabels"],
                     "DestinationRuleSpec.Selector", DestinationRuleSpec.Selector.fields),
        IstioMessage("networking.TrafficPolicy",
                     ["loadBalancer", "connectionPool", "outlierDetection", "tls", "portLevelSettings", "tunnel", "proxyProtocol",
                      "retryBudget"],
                     "TrafficPolicy", TrafficPolicy.fields),
        IstioMessage("networking.TrafficPolicy.PortTrafficPolicy",
                     ["port", "loadBalancer", "connectionPool", "outlierDetection", "tls"],
                     "PortTrafficPolicy", PortTrafficPolicy.fields),
        IstioMessage("networking.Subset", ["name", "labels", "trafficPolicy"], "Subset", Subset.fields),
        IstioMessage("networking.LoadBalancerSettings",
                     ["simple", "consistentHash", "localityLbSetting", "warmupDurationSecs", "warmup"],
                     "LoadBalancerSettings", LoadBalancerSettings.fields),
        IstioMessage("networking.LoadBalancerSettings.ConsistentHashLB",
                     ["httpHeaderName", "httpCookie", "useSourceIp", "httpQueryParameterName", "ringHash", "maglev", "minimumRingSize"],
                     "ConsistentHash", ConsistentHash.fields),
        IstioMessage("networking.LoadBalancerSettings.ConsistentHashLB.RingHash", ["minimumRingSize"], "RingHash", RingHash.fields),
        IstioMessage("networking.LoadBalancerSettings.ConsistentHashLB.MagLev", ["tableSize"], "Maglev", Maglev.fields),
        IstioMessage("networking.LoadBalancerSettings.ConsistentHashLB.HTTPCookie", ["name", "path", "ttl", "attributes"],
                     "HTTPCookie", HTTPCookie.fields),
        IstioMessage("networking.ConnectionPoolSettings", ["tcp", "http"], "ConnectionPoolSettings", ConnectionPoolSettings.fields),
        IstioMessage("networking.ConnectionPoolSettings.TCPSettings",
                     ["maxConnections", "connectTimeout", "tcpKeepalive", "maxConnectionDuration", "idleTimeout"],
                     "TCPSettings", TCPSettings.fields),
        IstioMessage("networking.ConnectionPoolSettings.HTTPSettings",
                     ["http1MaxPendingRequests", "http2MaxRequests", "maxRequestsPerConnection", "maxRetries", "idleTimeout",
                      "h2UpgradePolicy", "useClientProtocol", "maxConcurrentStreams"],
                     "HTTPSettings", HTTPSettings.fields),
        IstioMessage("networking.OutlierDetection",
                     ["splitExternalLocalOriginErrors", "consecutiveLocalOriginFailures", "consecutiveGatewayErrors",
                      "consecutive5xxErrors", "consecutiveErrors", "interval", "baseEjectionTime", "maxEjectionPercent",
                      "minHealthPercent"],
                     "OutlierDetection", OutlierDetection.fields),
        IstioMessage("networking.ClientTLSSettings",
                     ["mode", "clientCertificate", "privateKey", "caCertificates", "credentialName", "subjectAltNames", "sni",
                      "insecureSkipVerify", "caCrl"],
                     "ClientTLSSettings", ClientTLSSettings.fields),
    ]

    /// networking.istio.io/v1: Gateway.
    static let gateway: [IstioMessage] = [
        IstioMessage("networking.Gateway", ["servers", "selector"], "GatewaySpec", GatewaySpec.fields),
        IstioMessage("networking.Server", ["port", "bind", "hosts", "tls", "defaultEndpoint", "name"], "GatewayServer", GatewayServer.fields),
        IstioMessage("networking.Port", ["number", "protocol", "name", "targetPort"], "PortSpec", PortSpec.fields),
        IstioMessage("networking.ServerTLSSettings",
                     ["httpsRedirect", "mode", "serverCertificate", "privateKey", "caCertificates", "caCertCredentialName", "caCrl",
                      "credentialName", "credentialNames", "tlsCertificates", "subjectAltNames", "verifyCertificateSpki",
                      "verifyCertificateHash", "minProtocolVersion", "maxProtocolVersion", "cipherSuites"],
                     "ServerTLSSettings", ServerTLSSettings.fields),
    ]

    /// networking.istio.io/v1: ServiceEntry, WorkloadEntry, WorkloadGroup.
    static let serviceEntry: [IstioMessage] = [
        IstioMessage("networking.ServiceEntry",
                     ["hosts", "addresses", "ports", "location", "resolution", "endpoints", "workloadSelector", "exportTo",
                      "subjectAltNames"],
                     "ServiceEntrySpec", ServiceEntrySpec.fields),
        IstioMessage("networking.ServicePort", ["number", "protocol", "name", "targetPort"], "PortSpec", PortSpec.fields),
        IstioMessage("networking.WorkloadEntry",
                     ["address", "ports", "labels", "network", "locality", "weight", "serviceAccount"],
                     "WorkloadEntrySpec", WorkloadEntrySpec.fields),
        IstioMessage("networking.WorkloadSelector", ["labels"], "WorkloadSelector", WorkloadSelector.fields),
        IstioMessage("networking.WorkloadGroup", ["metadata", "template", "probe"], "WorkloadGroupSpec", WorkloadGroupSpec.fields),
        IstioMessage("networking.WorkloadGroup.ObjectMeta", ["labels", "annotations"],
                     "WorkloadGroupSpec.GroupMetadata", WorkloadGroupSpec.GroupMetadata.fields),
    ]

    /// networking.istio.io/v1: Sidecar.
    static let sidecar: [IstioMessage] = [
        IstioMessage("networking.Sidecar",
                     ["workloadSelector", "ingress", "egress", "inboundConnectionPool", "outboundTrafficPolicy"],
                     "SidecarSpec", SidecarSpec.fields),
        IstioMessage("networking.IstioIngressListener",
                     ["port", "bind", "captureMode", "defaultEndpoint", "tls", "connectionPool"],
                     "SidecarIngressListener", SidecarIngressListener.fields),
        IstioMessage("networking.IstioEgressListener", ["port", "bind", "captureMode", "hosts"],
                     "SidecarEgressListener", SidecarEgressListener.fields),
        IstioMessage("networking.SidecarPort", ["number", "protocol", "name", "targetPort"], "PortSpec", PortSpec.fields),
        IstioMessage("networking.OutboundTrafficPolicy", ["mode", "egressProxy"],
                     "SidecarSpec.OutboundTrafficPolicy", SidecarSpec.OutboundTrafficPolicy.fields),
    ]

    /// security.istio.io/v1 and istio.type.v1beta1.
    static let security: [IstioMessage] = [
        IstioMessage("security.PeerAuthentication", ["selector", "mtls", "portLevelMtls"],
                     "PeerAuthenticationSpec", PeerAuthenticationSpec.fields),
        IstioMessage("security.PeerAuthentication.MutualTLS", ["mode"],
                     "PeerAuthenticationSpec.MutualTLS", PeerAuthenticationSpec.MutualTLS.fields),
        IstioMessage("security.AuthorizationPolicy", ["selector", "targetRef", "targetRefs", "rules", "action", "provider"],
                     "AuthorizationPolicySpec", AuthorizationPolicySpec.fields),
        IstioMessage("security.AuthorizationPolicy.ExtensionProvider", ["name"],
                     "AuthorizationPolicySpec.Provider", AuthorizationPolicySpec.Provider.fields),
        IstioMessage("security.Rule", ["from", "to", "when"], "AuthorizationRule", AuthorizationRule.fields),
        IstioMessage("security.Source",
                     ["principals", "notPrincipals", "requestPrincipals", "notRequestPrincipals", "namespaces", "notNamespaces",
                      "ipBlocks", "notIpBlocks", "remoteIpBlocks", "notRemoteIpBlocks", "serviceAccounts", "notServiceAccounts"],
                     "AuthorizationSource", AuthorizationSource.fields),
        IstioMessage("security.Operation", ["hosts", "notHosts", "ports", "notPorts", "methods", "notMethods", "paths", "notPaths"],
                     "AuthorizationOperation", AuthorizationOperation.fields),
        IstioMessage("security.Condition", ["key", "values", "notValues"], "AuthorizationCondition", AuthorizationCondition.fields),
        IstioMessage("security.RequestAuthentication", ["selector", "targetRef", "targetRefs", "jwtRules"],
                     "RequestAuthenticationSpec", RequestAuthenticationSpec.fields),
        IstioMessage("security.JWTRule",
                     ["issuer", "audiences", "jwksUri", "jwks", "fromHeaders", "fromParams", "outputPayloadToHeader", "fromCookies",
                      "forwardOriginalToken", "outputClaimToHeaders", "timeout", "spaceDelimitedClaims",
                      // The CRD's altName of jwksUri.
                      "jwks_uri"],
                     "JWTRule", JWTRule.fields),
        IstioMessage("security.JWTHeader", ["name", "prefix"], "JWTRule.JWTHeader", JWTRule.JWTHeader.fields),
        IstioMessage("security.ClaimToHeader", ["header", "claim"], "JWTRule.ClaimToHeader", JWTRule.ClaimToHeader.fields),
        IstioMessage("type.v1beta1.WorkloadSelector", ["matchLabels"], "WorkloadSelectorMatchLabels", WorkloadSelectorMatchLabels.fields),
        IstioMessage("type.v1beta1.PolicyTargetReference", ["group", "kind", "name", "namespace"],
                     "PolicyTargetReference", PolicyTargetReference.fields),
    ]

    /// telemetry.istio.io/v1: Telemetry (issue 12).
    static let telemetry: [IstioMessage] = [
        IstioMessage("telemetry.Telemetry", ["selector", "targetRef", "targetRefs", "tracing", "metrics", "accessLogging"],
                     "TelemetrySpec", TelemetrySpec.fields),
        IstioMessage("telemetry.Tracing",
                     ["match", "providers", "randomSamplingPercentage", "disableSpanReporting", "customTags", "useRequestIdForTraceSampling",
                      "enableIstioTags", "disableContextPropagation"],
                     "TelemetryTracing", TelemetryTracing.fields),
        IstioMessage("telemetry.Tracing.TracingSelector", ["mode"], "TelemetryModeSelector", TelemetryModeSelector.fields),
        IstioMessage("telemetry.Tracing.CustomTag", ["literal", "environment", "header", "formatter"], "TelemetryCustomTag", TelemetryCustomTag.fields),
        IstioMessage("telemetry.Tracing.Literal", ["value"], "TelemetryCustomTag.Value", TelemetryCustomTag.Value.fields),
        IstioMessage("telemetry.Tracing.Environment", ["name", "defaultValue"], "TelemetryCustomTag.NamedValue", TelemetryCustomTag.NamedValue.fields),
        IstioMessage("telemetry.Tracing.RequestHeader", ["name", "defaultValue"], "TelemetryCustomTag.NamedValue", TelemetryCustomTag.NamedValue.fields),
        IstioMessage("telemetry.Tracing.Formatter", ["value"], "TelemetryCustomTag.Value", TelemetryCustomTag.Value.fields),
        IstioMessage("telemetry.ProviderRef", ["name"], "TelemetryProviderRef", TelemetryProviderRef.fields),
        IstioMessage("telemetry.Metrics", ["providers", "overrides", "reportingInterval"], "TelemetryMetrics", TelemetryMetrics.fields),
        IstioMessage("telemetry.MetricsOverrides", ["match", "disabled", "tagOverrides"], "TelemetryMetrics.Override", TelemetryMetrics.Override.fields),
        IstioMessage("telemetry.MetricSelector", ["metric", "customMetric", "mode"], "TelemetryMetrics.Override.Selector",
                     TelemetryMetrics.Override.Selector.fields),
        IstioMessage("telemetry.MetricsOverrides.TagOverride", ["operation", "value"], "TelemetryMetrics.TagOverride",
                     TelemetryMetrics.TagOverride.fields),
        IstioMessage("telemetry.AccessLogging", ["match", "providers", "disabled", "filter"], "TelemetryAccessLogging", TelemetryAccessLogging.fields),
        IstioMessage("telemetry.AccessLogging.LogSelector", ["mode"], "TelemetryModeSelector", TelemetryModeSelector.fields),
        IstioMessage("telemetry.AccessLogging.Filter", ["expression"], "TelemetryAccessLogging.Filter", TelemetryAccessLogging.Filter.fields),
    ]

    static let all = virtualService + destinationRule + gateway + serviceEntry + sidecar + security + telemetry

    // Messages meshc reads without a type of its own: checked by decoding
    // the manifests below instead.
    //   security.Rule.From {source}, security.Rule.To {operation}: inline readers in AuthorizationRule.
    // Messages meshc does not descend into (any content is accepted, none is built):
    //   TrafficPolicy.TunnelSettings {protocol, targetHost, targetPort}, TrafficPolicy.ProxyProtocol {version},
    //   TrafficPolicy.RetryBudget {percent, minRetryConcurrency}, WarmupConfiguration {duration, minimumPercent,
    //   aggression}, LocalityLoadBalancerSetting {distribute, failover, failoverPriority, enabled} and its
    //   Distribute/Failover {from, to}, HTTPCookie.Attribute {name, value}, TCPSettings.TcpKeepalive {probes,
    //   time, interval}, ServerTLSSettings.TLSCertificate {serverCertificate, privateKey, caCertificates},
    //   WorkloadGroup's ReadinessProbe.
}

@Suite("Istio's API fields are known to meshc")
struct IstioFieldsTests {
    @Test("every field of Istio's message is known", arguments: IstioAPI.all)
    func knowsEveryIstioField(_ message: IstioMessage) {
        let missing = message.fields.subtracting(message.known)
        #expect(missing.isEmpty, "\(message.meshcType).fields lacks \(missing.sorted()) of \(message.istio)")
    }

    @Test("every field meshc knows beyond Istio's is explained", arguments: IstioAPI.all)
    func extrasAreExplained(_ message: IstioMessage) {
        let extra = message.known.subtracting(message.fields)
        #expect(extra == Set(message.extras.keys),
                "\(message.meshcType) knows \(extra.sorted()) that \(message.istio) lacks; explained: \(message.extras.keys.sorted())")
    }

    @Test("a manifest writing every Istio field decodes without a diagnostic", arguments: EveryField.manifests)
    func decodesEveryField(_ manifest: EveryField.Manifest) {
        let decoded = ResourceDecoder.decode(YAMLParser.parse(manifest.yaml, path: "\(manifest.kind).yaml"))
        #expect(decoded.diagnostics.isEmpty,
                "\(decoded.diagnostics.map { "\($0.code.id) line \($0.mark.line) \($0.path): \($0.message)" })")
        #expect(decoded.resources.count == manifest.count)
    }

    @Test func destinationRuleSelectorReadsMatchLabels() throws {
        let yaml = """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: reviews, namespace: default}
            spec:
              host: reviews
              workloadSelector:
                matchLabels: {app: reviews}
            """
        let resource = try #require(ResourceDecoder.decode(YAMLParser.parse(yaml, path: "dr.yaml")).resources.first)
        guard case .destinationRule(let spec) = resource.body else { Issue.record("not a DestinationRule"); return }
        #expect(spec.workloadSelector?.labels["app"] == "reviews")
    }

    @Test func destinationRuleSelectorRejectsLabels() throws {
        // Istio's CRD has only `matchLabels` under a DestinationRule's workloadSelector;
        // `labels` (the Sidecar/ServiceEntry spelling) is an unknown field there.
        let yaml = """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: reviews, namespace: default}
            spec:
              host: reviews
              workloadSelector:
                labels: {app: reviews}
            """
        let decoded = ResourceDecoder.decode(YAMLParser.parse(yaml, path: "dr.yaml"))
        #expect(decoded.diagnostics.map { "\($0.code.id)@\($0.mark.line) \($0.path)" } == ["IST0106@7 spec.workloadSelector.labels"])
        let resource = try #require(decoded.resources.first)
        guard case .destinationRule(let spec) = resource.body else { Issue.record("not a DestinationRule"); return }
        #expect(spec.workloadSelector?.labels.isEmpty == true)
    }

    @Test func jwtRuleReadsJwksUriAltName() throws {
        let yaml = """
            apiVersion: security.istio.io/v1
            kind: RequestAuthentication
            metadata: {name: jwt, namespace: default}
            spec:
              jwtRules:
              - issuer: https://issuer.example.com
                jwks_uri: https://issuer.example.com/jwks.json
                spaceDelimitedClaims: [roles]
            """
        let resource = try #require(ResourceDecoder.decode(YAMLParser.parse(yaml, path: "ra.yaml")).resources.first)
        guard case .requestAuthentication(let spec) = resource.body else { Issue.record("not a RequestAuthentication"); return }
        #expect(spec.jwtRules.first?.jwksUri?.value == "https://issuer.example.com/jwks.json")
        #expect(spec.jwtRules.first?.spaceDelimitedClaims.map(\.value) == ["roles"])
    }

    @Test func unknownFieldsStayErrors() {
        // The strictness these tables guard: a field Istio lacks is still IST0106.
        let yaml = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews, namespace: default}
            spec:
              hosts: [reviews]
              http:
              - retries: {attempts: 2, backof: 25ms}
                route: [{destination: {host: reviews}}]
            """
        let diagnostics = ResourceDecoder.decode(YAMLParser.parse(yaml, path: "vs.yaml")).diagnostics
        #expect(diagnostics.map(\.code.id) == ["IST0106"])
        #expect(diagnostics.first?.message.contains("backof") == true)
    }
}

/// One manifest per kind (two where oneofs or selector forms exclude each
/// other) that writes every field of Istio's API at least once.
enum EveryField {
    struct Manifest: Sendable, CustomTestStringConvertible {
        let kind: String
        let count: Int
        let yaml: String
        var testDescription: String { kind }
    }

    static let manifests: [Manifest] = [
        Manifest(kind: "VirtualService", count: 1, yaml: """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: every-field, namespace: default}
            spec:
              hosts: [reviews]
              gateways: [mesh]
              exportTo: ["*"]
              http:
              - name: all
                match:
                - name: m
                  uri: {prefix: /a}
                  scheme: {exact: https}
                  method: {exact: GET}
                  authority: {regex: ".*"}
                  headers: {x-a: {exact: b}}
                  port: 80
                  sourceLabels: {app: a}
                  gateways: [mesh]
                  queryParams: {q: {exact: "1"}}
                  ignoreUriCase: true
                  withoutHeaders: {x-b: {prefix: c}}
                  sourceNamespace: default
                  statPrefix: s
                route:
                - destination: {host: reviews, subset: v1, port: {number: 80}}
                  weight: 100
                  headers:
                    request: {set: {a: b}, add: {c: d}, remove: [e]}
                    response: {set: {a: b}, add: {c: d}, remove: [e]}
                rewrite: {uri: /b, authority: x, uriRegexRewrite: {match: "^/a", rewrite: /b}}
                timeout: 5s
                retries:
                  attempts: 2
                  perTryTimeout: 1s
                  retryOn: 5xx
                  retryRemoteLocalities: true
                  retryIgnorePreviousHosts: true
                  backoff: 25ms
                fault:
                  delay: {fixedDelay: 1s, percentage: {value: 1}, percent: 1}
                  abort: {httpStatus: 503, percentage: {value: 1}}
                mirror: {host: mirror, subset: v1, port: {number: 80}}
                mirrors: [{destination: {host: m2}, percentage: {value: 5}}]
                mirrorPercentage: {value: 10}
                mirrorPercent: 10
                corsPolicy:
                  allowOrigins: [{exact: a}, {prefix: b}, {regex: c}]
                  allowOrigin: [d]
                  allowMethods: [GET]
                  allowHeaders: [x]
                  exposeHeaders: [y]
                  maxAge: 24h
                  allowCredentials: true
                  unmatchedPreflights: IGNORE
                headers: {request: {set: {a: b}}, response: {remove: [c]}}
              - redirect: {uri: /c, authority: x, port: 8080, scheme: https, redirectCode: 302}
                mirror_percent: 5
              - redirect: {derivePort: FROM_REQUEST_PORT}
              - directResponse: {status: 200, body: {string: ok}}
              - directResponse: {status: 200, body: {bytes: b2s=}}
              - delegate: {name: d, namespace: default}
              - fault: {delay: {exponentialDelay: 1s}, abort: {grpcStatus: UNAVAILABLE}}
                route: [{destination: {host: reviews}}]
              - fault: {abort: {http2Error: x}}
                route: [{destination: {host: reviews}}]
              tls:
              - match:
                - sniHosts: [a.example.com]
                  destinationSubnets: [10.0.0.0/8]
                  port: 443
                  sourceLabels: {a: b}
                  gateways: [mesh]
                  sourceNamespace: default
                route: [{destination: {host: a}, weight: 100}]
              tcp:
              - match:
                - destinationSubnets: [10.0.0.0/8]
                  port: 3306
                  sourceSubnet: 10.0.0.0/8
                  sourceLabels: {a: b}
                  gateways: [mesh]
                  sourceNamespace: default
                route: [{destination: {host: db}, weight: 100}]
            """),
        Manifest(kind: "DestinationRule", count: 1, yaml: """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: every-field, namespace: default}
            spec:
              host: reviews
              exportTo: ["."]
              workloadSelector: {matchLabels: {app: reviews}}
              trafficPolicy:
                loadBalancer:
                  simple: ROUND_ROBIN
                  localityLbSetting:
                    enabled: true
                    distribute: [{from: region/zone/*, to: {"region/zone/*": 100}}]
                    failover: [{from: east, to: west}]
                    failoverPriority: [topology.kubernetes.io/region]
                  warmupDurationSecs: 10s
                  warmup: {duration: 10s, minimumPercent: 10, aggression: 1}
                connectionPool:
                  tcp:
                    maxConnections: 1
                    connectTimeout: 1s
                    maxConnectionDuration: 1h
                    idleTimeout: 1h
                    tcpKeepalive: {probes: 3, time: 1s, interval: 1s}
                  http:
                    http1MaxPendingRequests: 1
                    http2MaxRequests: 1
                    maxRequestsPerConnection: 1
                    maxRetries: 1
                    idleTimeout: 1s
                    h2UpgradePolicy: UPGRADE
                    useClientProtocol: true
                    maxConcurrentStreams: 1
                outlierDetection:
                  splitExternalLocalOriginErrors: true
                  consecutiveLocalOriginFailures: 1
                  consecutiveGatewayErrors: 1
                  consecutive5xxErrors: 1
                  consecutiveErrors: 1
                  interval: 1s
                  baseEjectionTime: 1s
                  maxEjectionPercent: 10
                  minHealthPercent: 10
                tls:
                  mode: SIMPLE
                  clientCertificate: /etc/cert.pem
                  privateKey: /etc/key.pem
                  caCertificates: /etc/ca.pem
                  credentialName: cred
                  subjectAltNames: [reviews]
                  sni: reviews
                  insecureSkipVerify: false
                  caCrl: /etc/crl.pem
                portLevelSettings:
                - port: {number: 80}
                  loadBalancer: {consistentHash: {httpHeaderName: x-user, ringHash: {minimumRingSize: 1024}}}
                  connectionPool: {tcp: {maxConnections: 1}}
                  outlierDetection: {consecutive5xxErrors: 1}
                  tls: {mode: ISTIO_MUTUAL}
                tunnel: {protocol: CONNECT, targetHost: egress, targetPort: 8080}
                proxyProtocol: {version: V2}
                retryBudget: {percent: 20, minRetryConcurrency: 3}
              subsets:
              - name: v1
                labels: {version: v1}
                trafficPolicy:
                  loadBalancer:
                    consistentHash:
                      httpCookie: {name: c, path: /, ttl: 1s, attributes: [{name: SameSite, value: Strict}]}
                      maglev: {tableSize: 65537}
              - name: v2
                trafficPolicy: {loadBalancer: {consistentHash: {useSourceIp: true, minimumRingSize: 1024}}}
              - name: v3
                trafficPolicy: {loadBalancer: {consistentHash: {httpQueryParameterName: q}}}
            """),
        Manifest(kind: "Gateway", count: 1, yaml: """
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: every-field, namespace: default}
            spec:
              selector: {istio: ingressgateway}
              servers:
              - port: {number: 443, protocol: HTTPS, name: https, targetPort: 8443}
                bind: 0.0.0.0
                hosts: ["*"]
                name: https
                defaultEndpoint: 127.0.0.1:8080
                tls:
                  httpsRedirect: false
                  mode: MUTUAL
                  serverCertificate: /etc/cert.pem
                  privateKey: /etc/key.pem
                  caCertificates: /etc/ca.pem
                  caCertCredentialName: client-ca
                  caCrl: /etc/crl.pem
                  credentialName: cred
                  credentialNames: [cred-rsa, cred-ecdsa]
                  tlsCertificates: [{serverCertificate: /etc/cert.pem, privateKey: /etc/key.pem, caCertificates: /etc/ca.pem}]
                  subjectAltNames: [client]
                  verifyCertificateSpki: [abc]
                  verifyCertificateHash: [def]
                  minProtocolVersion: TLSV1_2
                  maxProtocolVersion: TLSV1_3
                  cipherSuites: [ECDHE-RSA-AES128-GCM-SHA256]
            """),
        Manifest(kind: "ServiceEntry", count: 2, yaml: """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: every-field, namespace: default}
            spec:
              hosts: [api.example.com]
              addresses: [240.0.0.1]
              ports: [{number: 443, protocol: TLS, name: tls, targetPort: 8443}]
              location: MESH_EXTERNAL
              resolution: STATIC
              endpoints:
              - {address: 10.0.0.1, ports: {tls: 8443}, labels: {a: b}, network: n1, locality: r/z, weight: 1, serviceAccount: sa}
              exportTo: ["*"]
              subjectAltNames: [api.example.com]
            ---
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: selector, namespace: default}
            spec:
              hosts: [vm.example.com]
              ports: [{number: 80, protocol: HTTP, name: http}]
              location: MESH_INTERNAL
              resolution: STATIC
              workloadSelector: {labels: {app: vm}}
            """),
        Manifest(kind: "WorkloadEntry", count: 1, yaml: """
            apiVersion: networking.istio.io/v1
            kind: WorkloadEntry
            metadata: {name: every-field, namespace: default}
            spec: {address: 10.0.0.1, ports: {http: 8080}, labels: {app: vm}, network: n1, locality: r/z, weight: 1, serviceAccount: sa}
            """),
        Manifest(kind: "WorkloadGroup", count: 1, yaml: """
            apiVersion: networking.istio.io/v1
            kind: WorkloadGroup
            metadata: {name: every-field, namespace: default}
            spec:
              metadata: {labels: {app: vm}, annotations: {a: b}}
              template: {address: 10.0.0.1, ports: {http: 8080}, labels: {x: y}, network: n1, locality: r/z, weight: 1, serviceAccount: sa}
              probe: {initialDelaySeconds: 1, timeoutSeconds: 1, periodSeconds: 1, successThreshold: 1, failureThreshold: 1, httpGet: {path: /ready, port: 8080}}
            """),
        Manifest(kind: "Sidecar", count: 1, yaml: """
            apiVersion: networking.istio.io/v1
            kind: Sidecar
            metadata: {name: every-field, namespace: default}
            spec:
              workloadSelector: {labels: {app: reviews}}
              ingress:
              - port: {number: 9080, protocol: HTTP, name: http, targetPort: 9080}
                bind: 0.0.0.0
                captureMode: DEFAULT
                defaultEndpoint: 127.0.0.1:8080
                tls: {mode: SIMPLE, credentialName: cred, caCertCredentialName: client-ca}
                connectionPool: {http: {http1MaxPendingRequests: 1}, tcp: {maxConnections: 1}}
              egress:
              - port: {number: 80, protocol: HTTP, name: http}
                bind: 127.0.0.1
                captureMode: NONE
                hosts: ["./*"]
              inboundConnectionPool: {http: {maxRequestsPerConnection: 1}}
              outboundTrafficPolicy: {mode: REGISTRY_ONLY, egressProxy: {host: egress, subset: s, port: {number: 80}}}
            """),
        Manifest(kind: "PeerAuthentication", count: 1, yaml: """
            apiVersion: security.istio.io/v1
            kind: PeerAuthentication
            metadata: {name: every-field, namespace: default}
            spec:
              selector: {matchLabels: {app: reviews}}
              mtls: {mode: STRICT}
              portLevelMtls: {8080: {mode: PERMISSIVE}}
            """),
        Manifest(kind: "AuthorizationPolicy", count: 2, yaml: """
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: every-field, namespace: default}
            spec:
              selector: {matchLabels: {app: reviews}}
              action: ALLOW
              rules:
              - from:
                - source:
                    principals: [cluster.local/ns/default/sa/a]
                    notPrincipals: [b]
                    requestPrincipals: [c]
                    notRequestPrincipals: [d]
                    namespaces: [e]
                    notNamespaces: [f]
                    ipBlocks: [10.0.0.1]
                    notIpBlocks: [10.0.0.2]
                    remoteIpBlocks: [10.0.0.3]
                    notRemoteIpBlocks: [10.0.0.4]
                    serviceAccounts: [sa]
                    notServiceAccounts: [other/sb]
                to:
                - operation: {hosts: [a], notHosts: [b], ports: ["80"], notPorts: ["81"], methods: [GET], notMethods: [POST], paths: [/a], notPaths: [/b]}
                when:
                - {key: "request.headers[x-id]", values: [a], notValues: [b]}
            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: targeted, namespace: default}
            spec:
              targetRef: {group: gateway.networking.k8s.io, kind: Gateway, name: ingress, namespace: default}
              targetRefs: [{group: "", kind: Service, name: reviews}]
              action: CUSTOM
              provider: {name: ext-authz}
              rules: [{to: [{operation: {paths: [/admin]}}]}]
            """),
        Manifest(kind: "RequestAuthentication", count: 2, yaml: """
            apiVersion: security.istio.io/v1
            kind: RequestAuthentication
            metadata: {name: every-field, namespace: default}
            spec:
              selector: {matchLabels: {app: reviews}}
              jwtRules:
              - issuer: https://issuer.example.com
                audiences: [reviews]
                jwksUri: https://issuer.example.com/jwks.json
                jwks: "{}"
                fromHeaders: [{name: authorization, prefix: "Bearer "}]
                fromParams: [token]
                fromCookies: [session]
                outputPayloadToHeader: x-jwt
                forwardOriginalToken: true
                outputClaimToHeaders: [{header: x-sub, claim: sub}]
                timeout: 5s
                spaceDelimitedClaims: [roles]
              - issuer: https://other.example.com
                jwks_uri: https://other.example.com/jwks.json
            ---
            apiVersion: security.istio.io/v1
            kind: RequestAuthentication
            metadata: {name: targeted, namespace: default}
            spec:
              targetRef: {group: gateway.networking.k8s.io, kind: Gateway, name: ingress}
              targetRefs: [{group: "", kind: Service, name: reviews, namespace: default}]
              jwtRules: [{issuer: https://issuer.example.com, jwksUri: https://issuer.example.com/jwks.json}]
            """),
        Manifest(kind: "Telemetry", count: 1, yaml: """
            apiVersion: telemetry.istio.io/v1
            kind: Telemetry
            metadata: {name: every-field, namespace: default}
            spec:
              selector: {matchLabels: {app: reviews}}
              tracing:
              - match: {mode: SERVER}
                providers: [{name: zipkin}]
                randomSamplingPercentage: 12.5
                disableSpanReporting: false
                useRequestIdForTraceSampling: true
                enableIstioTags: true
                disableContextPropagation: false
                customTags:
                  a: {literal: {value: x}}
                  b: {environment: {name: POD, defaultValue: none}}
                  c: {header: {name: x-user, defaultValue: anonymous}}
                  d: {formatter: {value: "%PROTOCOL%"}}
              metrics:
              - providers: [{name: prometheus}]
                reportingInterval: 10s
                overrides:
                - match: {metric: REQUEST_COUNT, mode: CLIENT}
                  disabled: false
                  tagOverrides:
                    request_host: {operation: UPSERT, value: request.host}
                    response_code: {operation: REMOVE}
                - match: {customMetric: my_metric}
              accessLogging:
              - match: {mode: CLIENT_AND_SERVER}
                providers: [{name: envoy}]
                disabled: false
                filter: {expression: response.code >= 400}
            """),
    ]
}
