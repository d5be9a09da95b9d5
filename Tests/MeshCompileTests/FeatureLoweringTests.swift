import MeshCompile
import MeshIR
import Testing

/// Route and cluster features whose effect a golden shows less clearly: rules
/// dropped by sourceLabels, subset and port-level policy merging, notes for what is not built.
@Suite struct FeatureLoweringTests {
    static func compile(_ files: [(String, String)]) -> CompileResult {
        Compiler.compile(CompilerTests.resources(files + [
            ("g.yaml", CompilerTests.gateway("http-gateway", selector: "istio: ingressgateway")),
            ("s.yaml", CompilerTests.service),
        ]))
    }

    @Test func sourceLabelsKeepOnlyMatchesSelectingTheGatewayProxy() {
        let vs = CompilerTests.virtualService(http: """
            - name: egress-only
              match: [{uri: {prefix: /e}, sourceLabels: {istio: egressgateway}}]
              route: [{destination: {host: echo, port: {number: 80}}}]
            - name: mixed
              match:
              - {uri: {prefix: /kept}, sourceLabels: {istio: ingressgateway}}
              - {uri: {prefix: /dropped}, sourceLabels: {app: other}}
              route: [{destination: {host: echo, port: {number: 80}}}]
            """)
        let routes = Self.compile([("v.yaml", vs)]).proxies[0].routeConfigs[0].virtualHosts[0].routes
        // The rule whose only match names another proxy is gone; the other keeps its matching match.
        #expect(routes.map(\.name) == ["mixed"])
        #expect(routes.map(\.match.path) == [.prefix("/kept")])
    }

    /// Istio's identity: the Proxy's serviceAccount, else its WorkloadEntry's, else `default`, in the workload's namespace.
    @Test func proxiesGetTheIdentityTheirManifestsGive() {
        func proxy(_ name: String, _ extra: String) -> String {
            """
            apiVersion: meshc.dev/v1alpha1
            kind: Proxy
            metadata: {name: \(name), namespace: shop}
            spec:
            \(extra)
            """
        }
        let entry = """
            apiVersion: networking.istio.io/v1
            kind: WorkloadEntry
            metadata: {name: cart-1, namespace: shop}
            spec: {address: 127.0.0.1, labels: {app: cart}, serviceAccount: cart-sa}
            """
        let result = Compiler.compile(CompilerTests.resources([
            ("g.yaml", CompilerTests.gateway("http-gateway", selector: "istio: ingressgateway")),
            ("e.yaml", entry),
            ("p1.yaml", proxy("ingress", "  role: gateway\n  labels: {istio: ingressgateway}\n  serviceAccount: ingress-sa")),
            ("p2.yaml", proxy("cart-sidecar", "  role: sidecar\n  workload: cart-1")),
            ("p3.yaml", proxy("plain", "  role: gateway\n  labels: {istio: ingressgateway}")),
        ]))
        let identities = Dictionary(uniqueKeysWithValues: result.proxies.map { ($0.name, $0.identity) })
        #expect(identities["ingress"] == WorkloadIdentity(namespace: "shop", serviceAccount: "ingress-sa"))
        #expect(identities["cart-sidecar"] == WorkloadIdentity(namespace: "shop", serviceAccount: "cart-sa"))
        #expect(identities["plain"] == WorkloadIdentity(namespace: "shop", serviceAccount: "default"))
    }

    @Test func subsetPolicyOverridesFieldsAndPortLevelSettingsReplaceThePolicy() {
        let rule = CompilerTests.manifest("DestinationRule", "echo", spec: """
            host: echo
            trafficPolicy:
              loadBalancer: {simple: ROUND_ROBIN}
              connectionPool: {tcp: {connectTimeout: 2s}}
            subsets:
            - name: v1
              labels: {version: v1}
              trafficPolicy: {loadBalancer: {simple: RANDOM}}
            - name: v2
              labels: {version: v2}
              trafficPolicy:
                portLevelSettings: [{port: {number: 80}, outlierDetection: {consecutive5xxErrors: 3}}]
            """)
        let vs = CompilerTests.virtualService(http: """
            - route:
              - {destination: {host: echo, port: {number: 80}, subset: v1}, weight: 50}
              - {destination: {host: echo, port: {number: 80}, subset: v2}, weight: 50}
            """)
        let clusters = Self.compile([("d.yaml", rule), ("v.yaml", vs)]).proxies[0].clusters
        let v1 = clusters.first { $0.name.contains("|v1|") }, v2 = clusters.first { $0.name.contains("|v2|") }
        // v1: its own balancer, the service's connect timeout.
        #expect(v1?.lbPolicy == .random)
        #expect(v1?.connectTimeoutMs == 2000)
        // v2: the port level replaces everything: default balancer and timeout, only its outlier detection.
        #expect(v2?.lbPolicy == .leastRequest)
        #expect(v2?.connectTimeoutMs == 10_000)
        #expect(v2?.outlierDetection?.consecutive5xx == 3)
    }

    @Test func unsupportedSettingsGiveNotesNotSilence() {
        let rule = CompilerTests.manifest("DestinationRule", "echo", spec: """
            host: echo
            trafficPolicy: {tls: {mode: SIMPLE, credentialName: echo-cert}}
            """)
        let entry = CompilerTests.manifest("ServiceEntry", "corp", spec: """
            hosts: [corp.example.com]
            location: MESH_EXTERNAL
            resolution: NONE
            ports: [{number: 80, name: http, protocol: HTTP}]
            """)
        let vs = CompilerTests.virtualService(http: """
            - match: [{uri: {prefix: /corp}}]
              route: [{destination: {host: corp.example.com}}]
            - route: [{destination: {host: echo, port: {number: 80}}}]
            """)
        let result = Self.compile([("d.yaml", rule), ("e.yaml", entry), ("v.yaml", vs)])
        #expect(result.notes.contains { $0.file == "d.yaml" && $0.message.contains("credentialName is not supported yet") })
        #expect(result.notes.contains { $0.file == "e.yaml" && $0.message.contains("resolution NONE and no endpoints") })
        #expect(result.proxies[0].clusters.allSatisfy { $0.tls == nil })
    }
}
