import MeshDiagnostics
import Testing

/// Existing checks reviewed against istioctl's behaviour (issue 13): each case
/// is a divergence that was fixed, or a rule that was confirmed.
@Suite struct ParityReviewTests {
    static let references: [MarkedCase] = [
        MarkedCase("a subset is checked even when its host is unknown (DestinationRuleAnalyzer)", """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews, namespace: default}
            spec:
              hosts: [reviews.example.com]
              http:
              - route:
                - destination:
                    host: ratings #! IST0101
                    subset: v1 #! IST0101
            """),
        MarkedCase("hosts not exported to the VirtualService's namespace (exportTo, the Service annotation)", """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: payments, namespace: billing}
            spec:
              hosts: [payments.internal]
              exportTo: ["."]
              location: MESH_EXTERNAL
              resolution: DNS
              ports: [{number: 80, name: http, protocol: HTTP}]
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: ledger
              namespace: billing
              annotations: {networking.istio.io/exportTo: "billing,audit"}
            spec:
              selector: {app: ledger}
              ports: [{name: http, port: 80}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: shop, namespace: shop}
            spec:
              hosts: [shop.example.com]
              http:
              - match: [{uri: {prefix: /pay}}]
                route:
                - destination:
                    host: payments.internal #! IST0101
              - route:
                - destination:
                    host: ledger.billing.svc.cluster.local #! IST0101
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: audit, namespace: audit}
            spec:
              hosts: [audit.example.com]
              http:
              - route:
                - destination: {host: ledger.billing.svc.cluster.local}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: billing-view, namespace: ops}
            spec:
              hosts: [ops.example.com]
              exportTo: [billing]
              http:
              - route:
                - destination: {host: payments.internal}
            """),
        MarkedCase("a host is found in the entry exported to the namespace when an earlier one is not", """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: api-private, namespace: billing}
            spec:
              hosts: [api.example.com]
              exportTo: ["."]
              location: MESH_EXTERNAL
              resolution: DNS
              ports: [{number: 443, name: tls, protocol: TLS}]
            ---
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: api-public, namespace: shop}
            spec:
              hosts: [api.example.com]
              location: MESH_EXTERNAL
              resolution: DNS
              ports: [{number: 443, name: tls, protocol: TLS}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: api, namespace: shop}
            spec:
              hosts: [api.example.com]
              tls:
              - match: [{sniHosts: [api.example.com]}]
                route:
                - destination: {host: api.example.com, port: {number: 443}}
            """),
        MarkedCase("IST0109 only between VirtualServices visible in a common namespace", """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: api, namespace: default}
            spec:
              hosts: [api.example.com]
              location: MESH_EXTERNAL
              resolution: DNS
              ports: [{number: 80, name: http, protocol: HTTP}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: team-a, namespace: team-a}
            spec:
              hosts:
              - api.example.com #! IST0109
              exportTo: ["."]
              http:
              - route: [{destination: {host: api.example.com}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: team-b, namespace: team-b}
            spec:
              hosts: [api.example.com]
              exportTo: ["."]
              http:
              - route: [{destination: {host: api.example.com}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: team-c, namespace: team-c}
            spec:
              hosts:
              - api.example.com #! IST0109
              exportTo: [team-a]
              http:
              - route: [{destination: {host: api.example.com}}]
            """),
    ]

    static let rules: [MarkedCase] = [
        MarkedCase("TLS: an SNI match covered by an earlier wildcard", """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: api, namespace: default}
            spec:
              hosts: [api.example.com, "*.api.example.com"]
              location: MESH_EXTERNAL
              resolution: NONE
              ports: [{number: 443, name: tls, protocol: TLS}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: api, namespace: default}
            spec:
              hosts: [api.example.com, "*.api.example.com"]
              tls:
              - match:
                - sniHosts: ["*.api.example.com"]
                route: [{destination: {host: api.example.com}}]
              - match: #! IST0130
                - sniHosts: [eu.api.example.com] #! IST0131
                route: [{destination: {host: api.example.com}}]
              - match:
                - sniHosts: [api.example.com]
                route: [{destination: {host: api.example.com}}]
            """),
        MarkedCase("TCP: source labels covered, and a rule after one without matches", """
            apiVersion: v1
            kind: Service
            metadata: {name: db, namespace: default}
            spec:
              selector: {app: db}
              ports: [{name: tcp-postgres, port: 5432}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: db, namespace: default}
            spec:
              hosts: [db]
              tcp:
              - match:
                - sourceLabels: {app: reports}
                route: [{destination: {host: db}}]
              - match:
                - sourceLabels: {app: reports, version: v2} #! IST0131
                - sourceLabels: {app: billing}
                route: [{destination: {host: db}}]
              - route: [{destination: {host: db}}]
              - match: #! IST0130
                - port: 5432
                route: [{destination: {host: db}}]
            """),
        MarkedCase("TCP: different ports and subnets are not covered", """
            apiVersion: v1
            kind: Service
            metadata: {name: db, namespace: default}
            spec:
              selector: {app: db}
              ports: [{name: tcp-postgres, port: 5432}, {name: tcp-replica, port: 5433}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: db, namespace: default}
            spec:
              hosts: [db]
              tcp:
              - match: [{port: 5432, destinationSubnets: [10.0.0.0/8]}]
                route: [{destination: {host: db, port: {number: 5432}}}]
              - match: [{port: 5432}, {port: 5433, destinationSubnets: [10.0.0.0/8]}]
                route: [{destination: {host: db, port: {number: 5433}}}]
            """),
    ]

    static let selectors: [MarkedCase] = [
        MarkedCase("IST0110: Sidecars never conflict on the implicit ingress gateway (no manifest)", """
            apiVersion: networking.istio.io/v1
            kind: Sidecar
            metadata: {name: gw-a, namespace: istio-system}
            spec:
              workloadSelector:
                labels:
                  istio: ingressgateway #! IST0101
              egress: [{hosts: ["./*"]}]
            ---
            apiVersion: networking.istio.io/v1
            kind: Sidecar
            metadata: {name: gw-b, namespace: istio-system}
            spec:
              workloadSelector:
                labels:
                  app: istio-ingressgateway #! IST0101
              egress: [{hosts: ["./*"]}]
            """),
        MarkedCase("a DestinationRule workloadSelector takes matchLabels only; `labels` is unknown there", """
            apiVersion: v1
            kind: Service
            metadata: {name: reviews, namespace: default}
            spec:
              selector: {app: reviews}
              ports: [{name: http, port: 9080}]
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: reviews, namespace: default}
            spec:
              host: reviews
              workloadSelector:
                labels: #! IST0106 IST0127 IST0133
                  app: reviews
              trafficPolicy: {loadBalancer: {simple: ROUND_ROBIN}}
            """),
        MarkedCase("IST0136 is off by default, as istioctl never runs its AlphaAnalyzer", """
            apiVersion: v1
            kind: Service
            metadata:
              name: details
              namespace: default
              annotations: {networking.istio.io/exportTo: "."}
            spec:
              selector: {app: details}
              ports: [{name: http, port: 9080}]
            """),
        MarkedCase("IST0136 when enabled", optIn: ["IST0136"], """
            apiVersion: v1
            kind: Service
            metadata:
              name: details
              namespace: default
              annotations: {networking.istio.io/exportTo: "."} #! IST0136
            spec:
              selector: {app: details}
              ports: [{name: http, port: 9080}]
            """),
    ]

    @Test(arguments: references + rules + selectors)
    func matchesIstioctl(_ test: MarkedCase) {
        #expect(test.reported.sorted() == test.expected.sorted(), "\(lintYAML(test.yaml, optIn: test.optIn).map(\.fullMessage))")
    }

    @Test func selectorDiagnosticsNameMatchLabels() {
        let yaml = """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: reviews, namespace: default}
            spec:
              host: reviews.default.svc.cluster.local
              workloadSelector:
                matchLabels: {app: nowhere}
            """
        let paths = lintYAML(yaml).filter { $0.code.id == "IST0127" }.map(\.path)
        #expect(paths == ["spec.workloadSelector.matchLabels"])
    }
}
