import MeshDiagnostics
import MeshValidate
import Testing

/// The routing analyzers (IST0101, 0109, 0112, 0128–0132, 0140, 0173, 0174).
/// Each case is YAML whose expected findings are written on the lines they
/// point at: `host: ratings  #! IST0101`. A case without markers must be clean.
@Suite struct RoutingAnalyzerTests {
    /// Service `reviews` (one port), workloads v1 and v2, DestinationRule with subsets v1 and v2.
    static let base = """
        apiVersion: v1
        kind: Service
        metadata:
          name: reviews
          namespace: default
        spec:
          selector:
            app: reviews
          ports:
          - name: http
            port: 80
        ---
        apiVersion: networking.istio.io/v1
        kind: WorkloadEntry
        metadata:
          name: reviews-v1
          namespace: default
        spec:
          address: 10.0.0.1
          labels:
            app: reviews
            version: v1
        ---
        apiVersion: networking.istio.io/v1
        kind: WorkloadEntry
        metadata:
          name: reviews-v2
          namespace: default
        spec:
          address: 10.0.0.2
          labels:
            app: reviews
            version: v2
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata:
          name: reviews
          namespace: default
        spec:
          host: reviews
          subsets:
          - name: v1
            labels:
              version: v1
          - name: v2
            labels:
              version: v2
        ---
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata:
          name: web
          namespace: default
        spec:
          selector:
            istio: ingressgateway
          servers:
          - port:
              number: 80
              name: http
              protocol: HTTP
            hosts:
            - "*.example.com"

        """

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var yaml: String
        var testDescription: String { name }

        init(_ name: String, _ yaml: String) {
            self.name = name
            self.yaml = yaml
        }
    }

    /// A VirtualService document (`---` included) with the given spec body, indented as spec's children.
    static func vs(_ name: String, namespace: String = "default", _ spec: String) -> String {
        "---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: \(name)\n  namespace: \(namespace)\nspec:\n"
            + spec.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n") + "\n"
    }

    /// A DestinationRule document with the given spec body.
    static func dr(_ name: String, _ spec: String) -> String {
        "---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: \(name)\n  namespace: default\nspec:\n"
            + spec.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n") + "\n"
    }

    /// `CODE@line` for every `#! CODE…` marker, sorted.
    static func markers(_ yaml: String) -> [String] {
        var result: [String] = []
        for (index, line) in yaml.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard let marker = line.range(of: "#! ") else { continue }
            for code in line[marker.upperBound...].split(separator: " ") { result.append("\(code)@\(index + 1)") }
        }
        return result.sorted()
    }

    static func check(_ testCase: Case) {
        let yaml = base + testCase.yaml
        let diagnostics = lintYAML(yaml)
        #expect(codesAndLines(diagnostics).sorted() == markers(yaml),
                "\(diagnostics.map { "\($0.code.id)@\($0.mark.line) \($0.fullMessage)" }.joined(separator: "\n"))")
    }

    @Test func baseIsClean() {
        #expect(lintYAML(Self.base).isEmpty)
    }

    static let referenced: [Case] = [
        Case("gateway that does not exist", vs("a", """
            hosts: [reviews.example.com]
            gateways:
            - missing  #! IST0101
            http:
            - route:
              - destination: {host: reviews}
            """)),
        Case("gateway as ns/name, mesh, and legacy name.namespace (Istio warns: IST0133)", vs("a", """
            hosts: [reviews.example.com]
            gateways: [default/web, mesh, web.default]  #! IST0133
            http:
            - route:
              - destination: {host: reviews}
            """)),
        Case("gateway in another namespace by bare name", vs("a", namespace: "other", """
            hosts: [reviews.example.com]
            gateways:
            - web  #! IST0101
            http:
            - route:
              - destination: {host: reviews.default.svc.cluster.local}
            """)),
        Case("match gateway that does not exist", vs("a", """
            hosts: [reviews]
            http:
            - match:
              - gateways:
                - nowhere  #! IST0101
              route:
              - destination: {host: reviews}
            """)),
        Case("tcp match gateway that does not exist", vs("a", """
            hosts: [reviews]
            tcp:
            - match:
              - gateways:
                - nowhere  #! IST0101
              route:
              - destination: {host: reviews}
            """)),
        Case("route, mirror and mirrors hosts that do not exist", vs("a", """
            hosts: [reviews]
            http:
            - match:
              - uri: {prefix: /a}
              route:
              - destination:
                  host: ratings  #! IST0101
              mirror:
                host: shadow  #! IST0101
            - route:
              - destination: {host: reviews}
              mirrors:
              - destination:
                  host: reviews.other.svc.cluster.local  #! IST0101
            """)),
        Case("host resolved by FQDN and by a ServiceEntry wildcard", vs("a", """
            hosts: [reviews]
            http:
            - route:
              - destination: {host: reviews.default.svc.cluster.local}
              mirror: {host: api.external.com}
            """) + """
            ---
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata:
              name: external
              namespace: default
            spec:
              hosts: ["*.external.com"]
              location: MESH_EXTERNAL
              resolution: NONE
              ports:
              - number: 80
                name: http
                protocol: HTTP

            """),
        Case("subset no DestinationRule defines", vs("a", """
            hosts: [reviews]
            http:
            - route:
              - destination:
                  host: reviews
                  subset: v3  #! IST0101
            """)),
        Case("port the Service does not have", vs("a", """
            hosts: [reviews]
            http:
            - route:
              - destination:
                  host: reviews
                  port:
                    number: 8080  #! IST0101
            """)),
    ]

    @Test(arguments: referenced) func referencedResourceNotFound(_ testCase: Case) { Self.check(testCase) }

    static let conflictsAndPorts: [Case] = [
        Case("two mesh VirtualServices claim one host", vs("a", """
            hosts:
            - reviews  #! IST0109
            http:
            - route:
              - destination: {host: reviews}
            """) + vs("b", """
            hosts:
            - reviews.default.svc.cluster.local  #! IST0109
            gateways: [mesh]
            http:
            - route:
              - destination: {host: reviews}
            """)),
        Case("one mesh-bound, one gateway-bound", vs("a", """
            hosts: [reviews]
            http:
            - route:
              - destination: {host: reviews}
            """) + vs("b", """
            hosts: [reviews.example.com]
            gateways: [web]
            http:
            - route:
              - destination: {host: reviews}
            """)),
        Case("exported to different namespaces", vs("a", """
            hosts: [reviews.default.svc.cluster.local]
            exportTo: ["."]
            http:
            - route:
              - destination: {host: reviews}
            """) + vs("b", namespace: "other", """
            hosts: [reviews.default.svc.cluster.local]
            exportTo: ["."]
            http:
            - route:
              - destination: {host: reviews.default.svc.cluster.local}
            """)),
        Case("destination to a two-port ServiceEntry without port", vs("a", """
            hosts: [reviews]
            http:
            - match:
              - uri: {prefix: /v1}
              route:
              - destination:
                  host: db.example.org  #! IST0112
            - route:
              - destination:
                  host: db.example.org
                  port: {number: 80}
            """) + """
            ---
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata:
              name: db
              namespace: default
            spec:
              hosts: [db.example.org]
              location: MESH_EXTERNAL
              resolution: DNS
              ports:
              - {number: 80, name: http, protocol: HTTP}
              - {number: 8080, name: http-alt, protocol: HTTP}

            """),
    ]

    static let twoPortService = """
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: details
          namespace: default
        spec:
          ports:
          - {name: http, port: 80}
          - {name: http-admin, port: 9090}

        """

    static let ports: [Case] = [
        Case("route and mirror to a two-port Service without port", vs("a", """
            hosts: [details]
            http:
            - route:
              - destination:
                  host: details  #! IST0112
              mirror:
                host: details.default.svc.cluster.local  #! IST0112
            """) + twoPortService),
        Case("ports chosen, and one-port Services need none", vs("a", """
            hosts: [details]
            http:
            - route:
              - destination:
                  host: details
                  port: {number: 9090}
              mirror:
                host: reviews
            """) + twoPortService),
    ]

    @Test(arguments: ports) func destinationPorts(_ testCase: Case) { Self.check(testCase) }

    @Test(arguments: conflictsAndPorts) func meshHostsAndPorts(_ testCase: Case) { Self.check(testCase) }


    static let destinationRules: [Case] = [
        Case("subset selecting no workload", dr("reviews-v3", """
            host: reviews.default.svc.cluster.local
            subsets:
            - name: v3
              labels:
                version: v3  #! IST0173
            - name: all
            """)),
        Case("host that matches no service", dr("ratings", """
            host: ratings  #! IST0174
            """)),
        Case("wildcard host covering a service", dr("all", """
            host: "*.default.svc.cluster.local"
            trafficPolicy:
              loadBalancer: {simple: ROUND_ROBIN}
            """)),
        Case("TLS without server verification", dr("reviews-tls", """
            host: reviews
            trafficPolicy:
              tls:
                mode: SIMPLE  #! IST0128
              portLevelSettings:
              - port: {number: 80}
                tls:
                  mode: MUTUAL  #! IST0129
                  clientCertificate: /etc/certs/cert.pem
                  privateKey: /etc/certs/key.pem
            """)),
        Case("TLS verified, by credential, or deliberately not", dr("reviews-tls", """
            host: reviews
            trafficPolicy:
              tls:
                mode: SIMPLE
                caCertificates: /etc/certs/ca.pem
              portLevelSettings:
              - port: {number: 80}
                tls: {mode: MUTUAL, credentialName: reviews-client}
              - port: {number: 81}
                tls: {mode: SIMPLE, insecureSkipVerify: true}
              - port: {number: 82}
                tls: {mode: ISTIO_MUTUAL}
            """)),
    ]

    @Test(arguments: destinationRules) func destinationRuleChecks(_ testCase: Case) { Self.check(testCase) }
}
