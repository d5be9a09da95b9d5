import MeshDiagnostics
import MeshValidate
import Testing

/// Rule reachability (IST0130/IST0131), gateway hosts (IST0132) and ingress subsets (IST0140).
extension RoutingAnalyzerTests {
    static let rules: [Case] = [
        Case("rule after a rule without match", vs("a", """
            hosts: [reviews]
            http:
            - route:
              - destination: {host: reviews, subset: v1}
            - match:  #! IST0130
              - uri: {prefix: /x}
              route:
              - destination: {host: reviews, subset: v2}
            """)),
        Case("rule after a catch-all prefix", vs("a", """
            hosts: [reviews]
            http:
            - match:
              - uri: {prefix: /}
              route:
              - destination: {host: reviews, subset: v1}
            - name: late  #! IST0130
              route:
              - destination: {host: reviews, subset: v2}
            """)),
        Case("narrower prefix after a broader one", vs("a", """
            hosts: [reviews]
            http:
            - match:
              - uri: {prefix: /api}
              route:
              - destination: {host: reviews, subset: v1}
            - match:  #! IST0130
              - uri: {prefix: /api/v2}  #! IST0131
                headers:
                  x-user: {exact: tester}
              route:
              - destination: {host: reviews, subset: v2}
            """)),
        Case("one of two matches shadowed", vs("a", """
            hosts: [reviews]
            http:
            - match:
              - uri: {exact: /health}
              route:
              - destination: {host: reviews, subset: v1}
            - match:
              - uri: {prefix: /v2}
              - uri: {exact: /health}  #! IST0131
              route:
              - destination: {host: reviews, subset: v2}
            """)),
        Case("seed order: /bar then /", vs("a", """
            hosts: [reviews]
            http:
            - match:
              - uri: {prefix: /bar}
              route:
              - destination: {host: reviews, subset: v2}
            - match:
              - uri: {prefix: /}
              route:
              - destination: {host: reviews, subset: v1}
            """)),
        Case("earlier match is narrower (header, method, ignoreUriCase)", vs("a", """
            hosts: [reviews]
            http:
            - match:
              - uri: {prefix: /a}
                headers:
                  x-user: {exact: tester}
              - uri: {prefix: /b}
                method: {exact: GET}
              - uri: {prefix: /c}
              route:
              - destination: {host: reviews, subset: v2}
            - match:
              - uri: {prefix: /a}
              - uri: {prefix: /b}
              - uri: {prefix: /c}
                ignoreUriCase: true
              route:
              - destination: {host: reviews, subset: v1}
            """)),
        Case("two rules without match", vs("a", """
            hosts: [reviews]
            http:
            - route:
              - destination: {host: reviews, subset: v1}
            - route:  #! IST0130
              - destination: {host: reviews, subset: v2}
            """)),
        Case("tcp rule after one without match", vs("a", """
            hosts: [reviews]
            tcp:
            - route:
              - destination: {host: reviews}
            - match:  #! IST0130
              - port: 80
              route:
              - destination: {host: reviews}
            """)),
    ]

    @Test(arguments: rules) func unreachableRulesAndIneffectiveMatches(_ testCase: Case) { Self.check(testCase) }

    static let gateways: [Case] = [
        Case("gateway serves none of the hosts", vs("a", """
            hosts: [reviews.example.org]
            gateways:
            - web  #! IST0132
            http:
            - route:
              - destination: {host: reviews}
            """)),
        Case("one host of two not served", vs("a", """
            hosts:
            - reviews.example.com
            - reviews.example.org  #! IST0132
            gateways: [web]
            http:
            - route:
              - destination: {host: reviews}
            """)),
        Case("server host limited to another namespace", vs("a", """
            hosts: [reviews.example.com]
            gateways:
            - default/scoped  #! IST0132
            http:
            - route:
              - destination: {host: reviews}
            """) + """
            ---
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata:
              name: scoped
              namespace: default
            spec:
              selector:
                istio: ingressgateway
              servers:
              - port: {number: 443, name: https, protocol: HTTPS}
                hosts: ["other/*"]
                tls: {mode: SIMPLE, credentialName: scoped-cert}

            """),
        Case("server host with ./ and */ namespace parts", vs("a", """
            hosts: [reviews.example.com]
            gateways: [scoped]
            http:
            - route:
              - destination: {host: reviews}
            """) + """
            ---
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata:
              name: scoped
              namespace: default
            spec:
              selector:
                istio: ingressgateway
              servers:
              - port: {number: 443, name: https, protocol: HTTPS}
                hosts: ["./reviews.example.com", "*/other.example.com"]
                tls: {mode: SIMPLE, credentialName: scoped-cert}

            """),
        Case("ingress routes around mesh subsets", vs("mesh-split", """
            hosts: [reviews]
            http:
            - route:
              - destination: {host: reviews, subset: v1}
            """) + vs("ingress", """
            hosts: [reviews.example.com]
            gateways: [web]
            http:
            - route:
              - destination:
                  host: reviews.default.svc.cluster.local  #! IST0140
            """)),
        Case("ingress routes to a subset too", vs("mesh-split", """
            hosts: [reviews]
            http:
            - route:
              - destination: {host: reviews, subset: v1}
            """) + vs("ingress", """
            hosts: [reviews.example.com]
            gateways: [web]
            http:
            - route:
              - destination: {host: reviews, subset: v1}
            """)),
    ]

    @Test(arguments: gateways) func gatewayHostsAndIngressSubsets(_ testCase: Case) { Self.check(testCase) }
}
