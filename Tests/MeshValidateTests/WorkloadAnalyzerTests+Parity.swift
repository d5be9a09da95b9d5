import MeshDiagnostics
import Testing

/// The istioctl analyzers added for parity (issue 13): annotation placement,
/// deprecation, maturity and values; namespace injection; the proxy's UID;
/// selectors on Kubernetes Gateways; Sidecars in ambient mode.
extension WorkloadAnalyzerTests {
    static let annotationPlacement: [Case] = [
        Case("pod annotations on a Deployment's metadata, a Namespace annotation on a pod template", """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: reviews
              namespace: default
              annotations:
                proxy.istio.io/config: "{}" #! IST0107
                sidecar.istio.io/inject: "false" #! IST0107 IST0135
                galley.istio.io/analyze-suppress: IST0118 #! IST0136
            spec:
              template:
                metadata:
                  labels: {app: reviews, version: v1, sidecar.istio.io/inject: "false"}
                  annotations:
                    sidecar.istio.io/inject: "false"
                    topology.istio.io/controlPlaneClusters: "*" #! IST0107 IST0136
                    proxy.istio.io/config: "{}"
                spec:
                  containers:
                  - name: reviews
                    image: reviews:v1
            ---
            apiVersion: v1
            kind: Namespace
            metadata:
              name: istio-config
              annotations:
                topology.istio.io/controlPlaneClusters: "*" #! IST0136
            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata:
              name: audit
              namespace: default
              annotations:
                istio.io/dry-run: "true" #! IST0136
            spec:
              action: DENY
              rules:
              - to:
                - operation:
                    methods: ["DELETE"]
            """),
        Case("deprecated stats annotations, and the injector's own annotations on pods", """
            apiVersion: v1
            kind: Pod
            metadata:
              name: ratings
              namespace: default
              labels: {app: ratings, version: v1}
              annotations:
                sidecar.istio.io/statsInclusionPrefixes: cluster.outbound #! IST0135 IST0136
                sidecar.istio.io/interceptionMode: REDIRECT
                traffic.sidecar.istio.io/excludeInboundPorts: "15020"
                sidecar.istio.io/status: "{}"
            spec:
              containers:
              - name: ratings
                image: ratings:v1
            """),
    ]

    /// (annotation, value, valid) as Istio's sidecar injector decides.
    static let annotationValues: [(String, String, Bool)] = [
        ("sidecar.istio.io/interceptionMode", "TPROXY", true),
        ("sidecar.istio.io/interceptionMode", "tproxy", false),
        ("status.sidecar.istio.io/port", " 15020 ", true),
        ("status.sidecar.istio.io/port", "70000", false),
        ("status.sidecar.istio.io/port", "", false),
        ("readiness.status.sidecar.istio.io/periodSeconds", "10", true),
        ("readiness.status.sidecar.istio.io/periodSeconds", "10s", false),
        ("readiness.status.sidecar.istio.io/failureThreshold", "+1", false),
        ("readiness.status.sidecar.istio.io/initialDelaySeconds", "4294967296", false),
        ("traffic.sidecar.istio.io/includeOutboundIPRanges", "*", true),
        ("traffic.sidecar.istio.io/includeOutboundIPRanges", "", true),
        ("traffic.sidecar.istio.io/includeOutboundIPRanges", "10.0.0.0/8,fd00::/8", true),
        ("traffic.sidecar.istio.io/includeOutboundIPRanges", "10.0.0.0/33", false),
        ("traffic.sidecar.istio.io/includeOutboundIPRanges", "10.0.0.0", false),
        ("traffic.sidecar.istio.io/includeOutboundIPRanges", "010.0.0.0/8", false),
        ("traffic.sidecar.istio.io/includeOutboundIPRanges", "10.0.0.0/08", false),
        ("traffic.sidecar.istio.io/includeOutboundIPRanges", "fe80::1%eth0/64", false),
        ("traffic.sidecar.istio.io/excludeOutboundIPRanges", "*", false),
        ("traffic.sidecar.istio.io/includeInboundPorts", "*", true),
        ("traffic.sidecar.istio.io/includeInboundPorts", " 80, 443 ", true),
        ("traffic.sidecar.istio.io/includeInboundPorts", "80,,443", false),
        ("traffic.sidecar.istio.io/excludeInboundPorts", "*", false),
        ("traffic.sidecar.istio.io/excludeInboundPorts", "", true),
        ("traffic.sidecar.istio.io/excludeOutboundPorts", "15020", true),
        ("prometheus.istio.io/merge-metrics", "True", true),
        ("prometheus.istio.io/merge-metrics", "yes", false),
        ("proxy.istio.io/config", "not: [yaml", true),
    ]

    static let injectionAndUID: [Case] = [
        Case("namespaces with workloads and no injection label", """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: shop #! IST0102
            ---
            apiVersion: v1
            kind: Namespace
            metadata:
              name: blank #! IST0102
              labels: {istio-injection: ""}
            ---
            apiVersion: v1
            kind: Namespace
            metadata:
              name: canary
              labels: {istio.io/rev: canary}
            ---
            apiVersion: v1
            kind: Namespace
            metadata:
              name: ambient
              labels: {istio.io/dataplane-mode: ambient}
            ---
            apiVersion: v1
            kind: Namespace
            metadata:
              name: kube-system
            ---
            apiVersion: v1
            kind: Namespace
            metadata:
              name: config-only
            """ + ["shop", "blank", "canary", "ambient", "kube-system"].map { namespace in """

            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: app
              namespace: \(namespace)
              labels: {app: app, version: v1}
            spec:
              containers:
              - name: app
                image: app:v1
            """ }.joined()),
        Case("applications running as the proxy's UID", """
            apiVersion: apps/v1
            kind: StatefulSet
            metadata:
              name: db
              namespace: default
            spec:
              template:
                metadata:
                  labels: {app: db, version: v1}
                spec:
                  securityContext:
                    runAsUser: 1337 #! IST0144
                  containers:
                  - name: db
                    image: db:v1
                    securityContext:
                      runAsUser: 999
                  - name: istio-proxy
                    image: auto
                    securityContext:
                      runAsUser: 1337
                  - name: backup
                    image: backup:v1
                    securityContext:
                      runAsUser: 1337 #! IST0144
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: istio-ingressgateway
              namespace: istio-system
              labels: {istio: ingressgateway}
            spec:
              template:
                metadata:
                  labels: {istio: ingressgateway}
                spec:
                  securityContext:
                    runAsUser: 1337
                  containers:
                  - name: istio-proxy
                    image: auto
            """),
    ]

    static let gatewaysAndAmbient: [Case] = [
        Case("selectors on Kubernetes Gateway pods", """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: edge-istio
              namespace: default
            spec:
              template:
                metadata:
                  labels: {gateway.networking.k8s.io/gateway-name: edge, app: edge, version: v1}
                spec:
                  containers:
                  - name: istio-proxy
                    image: auto
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: edge-istio-1
              namespace: default
              labels: {gateway.networking.k8s.io/gateway-name: edge, app: edge, version: v1}
            spec:
              containers:
              - name: istio-proxy
                image: auto
            ---
            apiVersion: security.istio.io/v1
            kind: RequestAuthentication
            metadata:
              name: jwt
              namespace: default
            spec:
              selector:
                matchLabels: {app: edge} #! IST0166
              jwtRules:
              - issuer: https://issuer.example.com
            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata:
              name: bound
              namespace: default
            spec:
              targetRefs:
              - {group: gateway.networking.k8s.io, kind: Gateway, name: edge}
              action: DENY
              rules:
              - to:
                - operation:
                    methods: ["POST"]
            """),
        Case("Sidecars for ambient workloads and namespaces", """
            apiVersion: v1
            kind: Pod
            metadata:
              name: ratings
              namespace: default
              labels: {app: ratings, version: v1}
              annotations:
                ambient.istio.io/redirection: enabled
            spec:
              containers:
              - name: ratings
                image: ratings:v1
            ---
            apiVersion: networking.istio.io/v1
            kind: Sidecar
            metadata:
              name: ratings
              namespace: default
            spec:
              workloadSelector:
                labels: {app: ratings} #! IST0167
              egress: [{hosts: ["./*"]}]
            ---
            apiVersion: networking.istio.io/v1
            kind: Sidecar
            metadata:
              name: ratings-v1
              namespace: default
            spec:
              workloadSelector:
                labels: {version: v1} #! IST0167
              egress: [{hosts: ["./*"]}]
            ---
            apiVersion: v1
            kind: Namespace
            metadata:
              name: mixed
              labels: {istio.io/dataplane-mode: ambient, istio-injection: enabled}
            ---
            apiVersion: networking.istio.io/v1
            kind: Sidecar
            metadata:
              name: a #! IST0111
              namespace: mixed
            spec:
              egress: [{hosts: ["./*"]}]
            ---
            apiVersion: networking.istio.io/v1
            kind: Sidecar
            metadata:
              name: b #! IST0111
              namespace: mixed
            spec:
              egress: [{hosts: ["./*"]}]
            """),
    ]

    @Test(arguments: annotationPlacement + injectionAndUID + gatewaysAndAmbient)
    func istioctlParity(_ test: Case) {
        // IST0136 is off by default (as in istioctl); these tables check it too.
        #expect(codesAndLines(lintYAML(test.yaml, optIn: Codes.optIn)) == test.expected)
    }

    @Test(arguments: annotationValues)
    func annotationValuesAsTheInjectorChecksThem(_ key: String, _ value: String, _ valid: Bool) {
        let yaml = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: ratings
              namespace: default
              labels: {app: ratings, version: v1}
              annotations:
                \(key): '\(value)'
            spec:
              containers:
              - name: ratings
                image: ratings:v1
            """
        let invalid = lintYAML(yaml).filter { $0.code == Codes.invalidAnnotation }
        #expect(invalid.isEmpty == valid, "\(invalid.map(\.message))")
        #expect(invalid.allSatisfy { $0.mark.line == 8 && $0.path == "metadata.annotations[\(key)]" && $0.hint != nil })
    }

    @Test func parityMessagesSayWhatToDo() {
        let diagnostics = lintYAML(Self.annotationPlacement[0].yaml) + lintYAML(Self.injectionAndUID[0].yaml)
        let deprecated = diagnostics.first { $0.code == Codes.deprecatedAnnotation }
        #expect(deprecated?.message.contains("deprecated in favor of the \"sidecar.istio.io/inject\" label") == true)
        #expect(deprecated?.hint == "make it a label: move sidecar.istio.io/inject: \"false\" to metadata.labels")
        let misplaced = diagnostics.first { $0.code == Codes.misplacedAnnotation }
        #expect(misplaced?.message.contains("can only be applied to Pod, not to a Deployment") == true)
        #expect(misplaced?.hint == "move it to spec.template.metadata.annotations, where the pods get it")
        let namespace = diagnostics.first { $0.code == Codes.namespaceNotInjected }
        #expect(namespace?.message == "metadata.name: namespace shop is not enabled for Istio injection, so its pods (Pod app) get no sidecar")
        #expect(namespace?.resource == ResourceRef(kind: "Namespace", namespace: "default", name: "shop"))
    }
}
