import MeshDiagnostics
import Testing

/// The istioctl codes added for issue 13, beyond their catalogue examples.
@Suite struct ParityCodeTests {
    static let injection: [MarkedCase] = [
        MarkedCase("IST0146: the repository's webhooks decide (a revision's), pod templates of any kind", """
            apiVersion: admissionregistration.k8s.io/v1
            kind: MutatingWebhookConfiguration
            metadata: {name: istio-sidecar-injector-canary}
            webhooks:
            - name: rev.namespace.sidecar-injector.istio.io
              namespaceSelector:
                matchExpressions:
                - {key: istio.io/rev, operator: In, values: [canary]}
                - {key: istio-injection, operator: DoesNotExist}
              objectSelector:
                matchExpressions:
                - {key: sidecar.istio.io/inject, operator: NotIn, values: ["false"]}
            - name: unrelated.example.com
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: canary-ns, labels: {istio.io/rev: canary}}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: stable-ns, labels: {istio-injection: enabled}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: gw-canary, namespace: canary-ns}
            spec:
              selector: {matchLabels: {app: gw-canary}}
              template:
                metadata: {labels: {app: gw-canary, version: v1}}
                spec:
                  containers: [{name: istio-proxy, image: auto}]
            ---
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: gw-stable, namespace: stable-ns}
            spec:
              selector: {matchLabels: {app: gw-stable}}
              template:
                metadata: {labels: {app: gw-stable, version: v1}}
                spec:
                  containers:
                  - name: istio-proxy
                    image: auto #! IST0146
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: unknown-namespace, namespace: elsewhere}
            spec:
              selector: {matchLabels: {app: x}}
              template:
                metadata: {labels: {app: x, version: v1}}
                spec:
                  containers: [{name: istio-proxy, image: auto}]
            """),
        MarkedCase("IST0146: a pod that opts out is not injected in an injected namespace", """
            apiVersion: v1
            kind: Namespace
            metadata: {name: shop, labels: {istio-injection: enabled}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: gw, namespace: shop}
            spec:
              selector: {matchLabels: {app: gw}}
              template:
                metadata: {labels: {app: gw, version: v1, sidecar.istio.io/inject: "false"}}
                spec:
                  containers:
                  - name: istio-proxy
                    image: auto #! IST0146
            """),
        MarkedCase("IST0123 needs a non-empty istio-injection beside istio.io/rev; IST0148 reads the unrevisioned injector", """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: istio-sidecar-injector-canary, namespace: istio-system}
            data:
              values: '{"sidecarInjectorWebhook": {"enableNamespacesByDefault": true}}'
            ---
            apiVersion: v1
            kind: Namespace
            metadata:
              name: a
              labels: {istio-injection: "", istio.io/rev: canary}
            ---
            apiVersion: v1
            kind: Namespace
            metadata:
              name: b #! IST0102
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: p, namespace: b, labels: {app: p, version: v1}}
            spec:
              containers: [{name: p, image: example.com/p:1}]
            """),
    ]

    static let gatewaysAndRoutes: [MarkedCase] = [
        MarkedCase("IST0149: a RequestAuthentication outside the gateway's and the root namespace does not count", """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: gw, namespace: edge}
            spec:
              selector: {matchLabels: {istio: edge}}
              template:
                metadata: {labels: {istio: edge, app: gw, version: v1}}
                spec:
                  containers: [{name: istio-proxy, image: docker.io/istio/proxyv2:1.28.0}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: gw, namespace: edge}
            spec:
              selector: {istio: edge}
              ports: [{name: http, port: 8080}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: reviews, namespace: default}
            spec:
              selector: {app: reviews}
              ports: [{name: http, port: 9080}]
            ---
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: edge, namespace: edge}
            spec:
              selector: {istio: edge}
              servers:
              - port: {number: 8080, name: http, protocol: HTTP}
                hosts: ["*/reviews.example.com"]
            ---
            apiVersion: security.istio.io/v1
            kind: RequestAuthentication
            metadata: {name: default-namespace, namespace: default}
            spec:
              jwtRules: [{issuer: https://issuer.example.com}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews, namespace: default}
            spec:
              hosts: [reviews.example.com]
              gateways: [edge/edge]
              http:
              - match:
                - withoutHeaders:
                    "@request.auth.claims.role": #! IST0149
                      exact: admin
                route: [{destination: {host: reviews}}]
            """),
        MarkedCase("IST0161: a MUTUAL credential's client CA may come from the -cacert Secret", """
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: partners, namespace: istio-system}
            spec:
              selector: {istio: ingressgateway}
              servers:
              - port: {number: 443, name: https, protocol: HTTPS}
                hosts: [partners.example.com]
                tls: {mode: MUTUAL, credentialName: partner-credential}
            ---
            apiVersion: v1
            kind: Secret
            type: kubernetes.io/tls
            metadata:
              name: partner-credential
              namespace: istio-system
              annotations: {meshc.dev/certificate-files: "/etc/certs/p.crt,/etc/certs/p.key"}
            ---
            apiVersion: v1
            kind: Secret
            metadata:
              name: partner-credential-cacert
              namespace: istio-system
              annotations: {meshc.dev/ca-certificate-file: /etc/certs/p-ca.crt}
            """),
        MarkedCase("IST0165: the `~` spelling (also an invalid gateway name), and internal names in match gateways", """
            apiVersion: v1
            kind: Service
            metadata: {name: httpbin, namespace: default}
            spec:
              selector: {app: httpbin}
              ports: [{name: http, port: 8000}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: httpbin, namespace: default}
            spec:
              hosts: [httpbin.example.com]
              gateways:
              - gateway~istio-autogenerated-k8s-gateway~default #! IST0106 IST0165
              http:
              - match:
                - gateways:
                  - istio-system/gw-istio-autogenerated-k8s-gateway-http #! IST0165
                route: [{destination: {host: httpbin}}]
              - route: [{destination: {host: httpbin}}]
            """),
        MarkedCase("IST0177: an unset protocol (also IST0134) conflicts; entries kept apart by exportTo do not", """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata:
              name: api-unset #! IST0177
              namespace: default
            spec:
              hosts: [api.example.com]
              location: MESH_EXTERNAL
              resolution: DNS
              ports: [{number: 8080, name: web}] #! IST0134
            ---
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata:
              name: api-http #! IST0177
              namespace: default
            spec:
              hosts: [api.example.com]
              location: MESH_EXTERNAL
              resolution: DNS
              ports: [{number: 8080, name: http, protocol: http}]
            ---
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: db-a, namespace: a}
            spec:
              hosts: [db.example.com]
              exportTo: ["."]
              location: MESH_EXTERNAL
              resolution: DNS
              ports: [{number: 443, name: tls, protocol: TLS}]
            ---
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: db-b, namespace: b}
            spec:
              hosts: [db.example.com]
              exportTo: ["."]
              location: MESH_EXTERNAL
              resolution: DNS
              ports: [{number: 443, name: https, protocol: HTTPS}]
            """),
        MarkedCase("IST0002: a percent of 0 is not reported; IST0175 wants a non-empty value", """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: istiod #! IST0175
              namespace: istio-system
              labels: {app: istiod}
            spec:
              selector: {matchLabels: {app: istiod}}
              template:
                metadata: {labels: {app: istiod, version: v1}}
                spec:
                  containers:
                  - name: discovery
                    image: docker.io/istio/pilot:1.28.0
                    env: [{name: BLOCKED_CIDRS_IN_JWKS_URIS, value: ""}]
            ---
            apiVersion: security.istio.io/v1
            kind: RequestAuthentication
            metadata: {name: jwt, namespace: istio-system}
            spec:
              jwtRules: [{issuer: https://issuer.example.com}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: ratings, namespace: default}
            spec:
              selector: {app: ratings}
              ports: [{name: http, port: 9080}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: ratings, namespace: default}
            spec:
              hosts: [ratings]
              http:
              - fault: {delay: {fixedDelay: 1s, percent: 0}}
                route: [{destination: {host: ratings}}]
            """),
    ]

    @Test(arguments: injection + gatewaysAndRoutes)
    func reportsAsIstioctl(_ test: MarkedCase) {
        #expect(test.reported.sorted() == test.expected.sorted(), "\(lintYAML(test.yaml, optIn: test.optIn).map(\.fullMessage))")
    }
}
