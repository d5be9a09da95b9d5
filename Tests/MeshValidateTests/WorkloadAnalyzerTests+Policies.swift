import Testing

/// Policy, ServiceEntry, Gateway, duplicate and label cases of WorkloadAnalyzerTests.
extension WorkloadAnalyzerTests {
    static let selectors: [Case] = [
        Case("policies whose selectors match nothing", reviews + """

            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata:
              name: ratings
              namespace: default
            spec:
              selector:
                matchLabels: {app: ratings} #! IST0127
              action: DENY
              rules: [{to: [{operation: {methods: ["DELETE"]}}]}]
            ---
            apiVersion: security.istio.io/v1
            kind: PeerAuthentication
            metadata:
              name: ratings
              namespace: default
            spec:
              selector:
                matchLabels:
                  app: ratings #! IST0127
              mtls: {mode: STRICT}
            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata:
              name: reviews-from-root
              namespace: istio-system
            spec:
              selector:
                matchLabels: {app: reviews}
              action: DENY
              rules: [{to: [{operation: {methods: ["DELETE"]}}]}]
            ---
            apiVersion: security.istio.io/v1
            kind: PeerAuthentication
            metadata:
              name: reviews
              namespace: default
            spec:
              selector:
                matchLabels: {app: reviews, version: v1}
              mtls: {mode: STRICT}
            """),
        Case("a namespace-wide AuthorizationPolicy in an empty namespace", reviews + """

            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata:
              name: deny-all
              namespace: empty #! IST0127
            spec: {}
            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata:
              name: deny-all
              namespace: default
            spec: {}
            """),
    ]

    static let serviceEntries: [Case] = [
        Case("TCP ports need addresses", """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata:
              name: db
              namespace: default
            spec:
              hosts: [db.example.com]
              location: MESH_EXTERNAL
              resolution: DNS
              ports:
              - number: 5432
                name: tcp-db
                protocol: tcp #! IST0134
              - number: 443
                name: https
                protocol: HTTPS
            ---
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata:
              name: cache
              namespace: default
            spec:
              hosts: [cache.example.com]
              addresses: [192.0.2.7]
              location: MESH_EXTERNAL
              resolution: DNS
              ports:
              - number: 6379
                name: tcp-redis
                protocol: TCP
            """),
    ]

    static let gateways: [Case] = [
        Case("shared certificates, overlapping hosts, unexposed ports", """
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata:
              name: shop
              namespace: default
            spec:
              selector: {istio: ingressgateway}
              servers:
              - port: {number: 443, name: https, protocol: HTTPS}
                hosts: [shop.example.com]
                tls:
                  mode: SIMPLE
                  credentialName: example-cert #! IST0138
              - port: {number: 8081, name: http, protocol: HTTP} #! IST0162
                hosts: [shop.example.com]
            ---
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata:
              name: blog
              namespace: default
            spec:
              selector: {istio: ingressgateway}
              servers:
              - port: {number: 443, name: https, protocol: HTTPS}
                hosts: [blog.example.com]
                tls:
                  mode: SIMPLE
                  credentialName: example-cert #! IST0138
              - port: {number: 80, name: http, protocol: HTTP}
                hosts:
                - "*.example.com" #! IST0145
            ---
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata:
              name: docs
              namespace: default
            spec:
              selector: {istio: ingressgateway}
              servers:
              - port: {number: 80, name: http, protocol: HTTP}
                hosts:
                - default/docs.example.com #! IST0145
              - port: {number: 8080, name: http-alt, protocol: HTTP}
                hosts: [docs.example.com]
              - port: {number: 443, name: https, protocol: HTTPS}
                hosts: [docs.example.com]
                tls: {mode: SIMPLE, credentialName: docs-cert}
            """),
        Case("a custom gateway workload and its Service", """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: edge
              namespace: edge
            spec:
              template:
                metadata:
                  labels: {istio: edge, app: edge, version: v1}
                spec:
                  containers: [{name: istio-proxy, image: proxyv2}]
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: edge
              namespace: edge
            spec:
              selector: {istio: edge}
              ports:
              - {name: http2, port: 80, targetPort: 8080}
              - {name: udp-x, port: 9000, protocol: UDP}
            ---
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata:
              name: edge
              namespace: default
            spec:
              selector:
                istio: edge
              servers:
              - port:
                  number: 80
                  name: http
                  protocol: HTTP
                hosts: [edge.example.com]
              - port:
                  number: 8080
                  name: http-target
                  protocol: HTTP
                hosts: [edge-target.example.com]
              - port:
                  number: 9000 #! IST0162
                  name: tcp
                  protocol: TCP
                hosts: ["*"]
            ---
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata:
              name: nowhere
              namespace: default
            spec:
              selector:
                istio: missing #! IST0101
              servers:
              - port: {number: 80, name: http, protocol: HTTP}
                hosts: [nowhere.example.com]
            """),
        Case("a declared gateway Proxy is the workload its Gateways select: no IST0101; ports it does not declare are IST0162", """
            apiVersion: meshc.dev/v1alpha1
            kind: Proxy
            metadata: {name: edge, namespace: istio-system}
            spec:
              role: gateway
              labels: {istio: edge-proxy}
              ports:
              - {port: 80, listenPort: 18080}
            ---
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: edge, namespace: istio-system}
            spec:
              selector: {istio: edge-proxy}
              servers:
              - port: {number: 80, name: http, protocol: HTTP}
                hosts: ["*"]
              - port: {number: 5432, name: tcp, protocol: TCP} #! IST0162
                hosts: ["*"]
            """),
    ]

    static let duplicatesAndLabels: [Case] = [
        Case("a Service declared twice; same name in other kinds and namespaces", reviews + """

            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: reviews
              namespace: default
            spec:
              selector: {app: reviews}
              ports: [{name: http, port: 9080}]
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: reviews #! MSH0006
            spec:
              selector: {app: reviews}
              ports: [{name: http, port: 9080}]
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: reviews
              namespace: other
            spec:
              ports: [{name: http, port: 9080}]
            """),
        Case("workloads without app or version", """
            apiVersion: v1
            kind: Pod
            metadata:
              name: ratings #! MSH0007
              namespace: default
            spec:
              containers: [{name: ratings, image: ratings:v1}]
            ---
            apiVersion: apps/v1
            kind: StatefulSet
            metadata:
              name: db
              namespace: default
            spec:
              template:
                metadata:
                  labels:
                    app: db #! MSH0007
                spec:
                  containers: [{name: db, image: db:v1}]
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: details
              namespace: default
            spec:
              template:
                metadata:
                  labels: {app.kubernetes.io/name: details, app.kubernetes.io/version: v1}
                spec:
                  containers: [{name: details, image: details:v1}]
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: egress
              namespace: istio-system
            spec:
              template:
                metadata:
                  labels: {istio: egressgateway}
                spec:
                  containers: [{name: istio-proxy, image: proxyv2}]
            ---
            apiVersion: networking.istio.io/v1
            kind: WorkloadEntry
            metadata:
              name: vm
              namespace: default
            spec:
              address: 10.0.0.7
              labels:
                app: vm #! MSH0007
            """),
    ]
}
