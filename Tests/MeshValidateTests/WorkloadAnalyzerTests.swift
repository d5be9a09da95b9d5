import MeshDiagnostics
import Testing

/// Cases for the workload, Service, Sidecar, policy and Gateway analyzers.
/// Each case's YAML marks the lines that must be reported with a trailing
/// `#! CODE` comment; every other line must stay quiet.
@Suite struct WorkloadAnalyzerTests {
    struct Case: CustomStringConvertible, Sendable {
        var description: String
        var yaml: String
        init(_ description: String, _ yaml: String) {
            self.description = description
            self.yaml = yaml
        }

        /// `CODE@line` for each `#! CODE` marker, in line order.
        var expected: [String] {
            yaml.split(separator: "\n", omittingEmptySubsequences: false).enumerated().flatMap { index, line in
                guard let marker = line.range(of: "#! ") else { return [String]() }
                return line[marker.upperBound...].split(separator: " ").map { "\($0)@\(index + 1)" }
            }
        }
    }

    static let reviews = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: reviews
          namespace: default
        spec:
          selector:
            matchLabels:
              app: reviews
          template:
            metadata:
              labels:
                app: reviews
                version: v1
            spec:
              containers:
              - name: reviews
                image: reviews:v1
                ports:
                - name: api
                  containerPort: 9080
        """

    static let annotations: [Case] = [
        Case("unknown sidecar annotation on a pod and a namespace", """
            apiVersion: v1
            kind: Pod
            metadata:
              name: ratings
              namespace: default
              labels: {app: ratings, version: v1}
              annotations:
                sidecar.istio.io/inject: "true" #! IST0135
                sidecar.istio.io/proxyCPUs: "100m" #! IST0108
                example.com/owner: team-a
            spec:
              containers:
              - name: ratings
                image: ratings:v1
            ---
            apiVersion: v1
            kind: Namespace
            metadata:
              name: shop
              annotations:
                istio.io/revision: canary #! IST0108
                kubectl.kubernetes.io/last-applied-configuration: "{}"
            """),
        Case("known annotations: no IST0108, alpha-phase ones are IST0136", """
            apiVersion: v1
            kind: Service
            metadata:
              name: ratings
              namespace: default
              annotations:
                networking.istio.io/exportTo: "." #! IST0136
                galley.istio.io/analyze-suppress: IST0118 #! IST0136
                traffic.istio.io/nodeSelector: "topology.kubernetes.io/zone=a"
            spec:
              ports:
              - name: http
                port: 9080
            """),
    ]

    static let sidecars: [Case] = [
        Case("two namespace-wide Sidecars", """
            apiVersion: networking.istio.io/v1
            kind: Sidecar
            metadata:
              name: a #! IST0111
              namespace: default
            spec:
              egress: [{hosts: ["./*"]}]
            ---
            apiVersion: networking.istio.io/v1
            kind: Sidecar
            metadata:
              name: b #! IST0111
              namespace: default
            spec:
              egress: [{hosts: ["./*"]}]
            ---
            apiVersion: networking.istio.io/v1
            kind: Sidecar
            metadata:
              name: c
              namespace: other
            spec:
              egress: [{hosts: ["./*"]}]
            """),
        Case("overlapping, disjoint and dangling selectors", reviews + """

            ---
            apiVersion: networking.istio.io/v1
            kind: Sidecar
            metadata:
              name: all-reviews
              namespace: default
            spec:
              workloadSelector:
                labels: {app: reviews} #! IST0110
              egress: [{hosts: ["./*"]}]
            ---
            apiVersion: networking.istio.io/v1
            kind: Sidecar
            metadata:
              name: reviews-v1
              namespace: default
            spec:
              workloadSelector:
                labels:
                  version: v1 #! IST0110
              egress: [{hosts: ["./*"]}]
            ---
            apiVersion: networking.istio.io/v1
            kind: Sidecar
            metadata:
              name: ratings
              namespace: default
            spec:
              workloadSelector:
                labels:
                  app: ratings #! IST0101
              egress: [{hosts: ["./*"]}]
            ---
            apiVersion: networking.istio.io/v1
            kind: Sidecar
            metadata:
              name: namespace-wide
              namespace: default
            spec:
              egress: [{hosts: ["./*"]}]
            """),
    ]

    static let servicePorts: [Case] = [
        Case("HTTP and TCP on one workload port, and two ports on one targetPort", """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: reviews #! IST0116 IST0137
              namespace: default
            spec:
              template:
                metadata:
                  labels: {app: reviews, version: v1}
                spec:
                  containers:
                  - name: reviews
                    image: reviews:v1
                    ports:
                    - name: api
                      containerPort: 9080
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: reviews
              namespace: default
            spec:
              selector: {app: reviews}
              ports:
              - name: http
                port: 9080
                targetPort: 9080
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: reviews-raw
              namespace: default
            spec:
              selector: {app: reviews}
              ports:
              - name: tcp-raw
                port: 80
                targetPort: api
              - name: tcp-raw-alt
                port: 81
                targetPort: api
            """),
        Case("same protocol by appProtocol and name; UDP elsewhere; other namespace", reviews + """

            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: reviews
              namespace: default
            spec:
              selector: {app: reviews}
              ports:
              - name: http-api
                port: 9080
              - name: dns
                port: 53
                protocol: UDP
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: reviews-app
              namespace: default
            spec:
              selector: {app: reviews}
              ports:
              - name: api
                appProtocol: HTTP
                port: 9080
                targetPort: 9080
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: reviews
              namespace: other
            spec:
              selector: {app: reviews}
              ports:
              - name: tcp
                port: 80
                targetPort: 9080
            """),
        Case("UDP and TCP on one port", """
            apiVersion: v1
            kind: Pod
            metadata:
              name: dns #! IST0116
              namespace: default
              labels: {app: dns, version: v1}
            spec:
              containers: [{name: dns, image: dns:v1}]
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: dns-tcp
              namespace: default
            spec:
              selector: {app: dns}
              ports:
              - name: tcp-dns
                port: 9053
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: dns-udp
              namespace: default
            spec:
              selector: {app: dns}
              ports:
              - name: udp-dns
                port: 9053
                protocol: UDP
            """),
    ]

    static let portNames: [Case] = [
        Case("bad name, no name, unknown appProtocol", """
            apiVersion: v1
            kind: Service
            metadata:
              name: ratings
              namespace: default
            spec:
              ports:
              - name: web #! IST0118
                port: 80
              - name: http
                appProtocol: web #! IST0118
                port: 82
              - name: http-metrics
                port: 83
              - name: alt
                appProtocol: HTTP2
                port: 84
              - name: grpc-web-api
                port: 85
              - name: h2c
                appProtocol: kubernetes.io/h2c
                port: 86
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: unnamed
              namespace: default
            spec:
              ports:
              - port: 81 #! IST0118
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: mysql
              namespace: default
            spec:
              ports:
              - port: 3306
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: syslog
              namespace: default
            spec:
              ports:
              - port: 514
                protocol: UDP
            """),
        Case("system namespaces and Istio's own are skipped; ExternalName Services are IST0150", """
            apiVersion: v1
            kind: Service
            metadata:
              name: dns
              namespace: kube-system
            spec:
              ports:
              - name: metrics
                port: 9153
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: istiod
              namespace: istio-system
              labels: {istio: pilot}
            spec:
              ports:
              - name: grpc-xds
                port: 15010
              - name: webhook
                port: 443
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: legacy
              namespace: default
            spec:
              type: ExternalName
              externalName: legacy.example.com
              ports:
              - name: web #! IST0150
                port: 80
              - name: tls-legacy
                port: 443
            """),
    ]

    @Test(arguments: annotations + sidecars + servicePorts + portNames)
    func servicesAndSidecars(_ test: Case) {
        // IST0136 is off by default (as in istioctl); these tables check it too.
        #expect(codesAndLines(lintYAML(test.yaml, optIn: Codes.optIn)) == test.expected)
    }

    @Test(arguments: selectors + serviceEntries + gateways + duplicatesAndLabels)
    func policiesGatewaysAndLabels(_ test: Case) {
        #expect(codesAndLines(lintYAML(test.yaml)) == test.expected)
    }

    @Test func messagesSayWhatToDo() {
        let duplicates = Self.duplicatesAndLabels[0].yaml
        let diagnostics = lintYAML(Self.annotations[0].yaml) + lintYAML(duplicates)
        let lines = duplicates.split(separator: "\n", omittingEmptySubsequences: false)
        let firstService = (lines.firstIndex(of: "kind: Service") ?? 0) + 3
        let unknown = diagnostics.first { $0.code.id == "IST0108" }
        #expect(unknown?.hint == "did you mean \"sidecar.istio.io/proxyCPU\"?")
        #expect(unknown?.path == "metadata.annotations[sidecar.istio.io/proxyCPUs]")
        let duplicate = diagnostics.first { $0.code.id == "MSH0006" }
        #expect(duplicate?.message.contains("is already declared at test.yaml:\(firstService)") == true)
        #expect(duplicate?.resource == ResourceRef(kind: "Service", namespace: "default", name: "reviews"))
    }
}
