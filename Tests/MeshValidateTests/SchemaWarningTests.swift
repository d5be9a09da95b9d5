import MeshDiagnostics
import Testing

/// IST0133 SchemaWarning: Istio's validation warnings, one case per kind.
@Suite struct SchemaWarningTests {
    static let cases: [MarkedCase] = [
        MarkedCase("Gateway: httpsRedirect on HTTPS, old TLS without ciphers, certificates on PASSTHROUGH", """
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: edge, namespace: istio-system}
            spec:
              selector: {istio: ingressgateway}
              servers:
              - port: {number: 443, name: https, protocol: HTTPS}
                hosts: [a.example.com]
                tls:
                  httpsRedirect: true #! IST0133
                  mode: SIMPLE
                  serverCertificate: /etc/certs/a.pem
                  privateKey: /etc/certs/a.key
                  minProtocolVersion: TLSV1_1 #! IST0133
              - port: {number: 8443, name: tls, protocol: TLS}
                hosts: [b.example.com]
                tls:
                  mode: PASSTHROUGH
                  credentialName: b-cert #! IST0133
            """),
        MarkedCase("Sidecar: a selector without labels, */* beside other hosts", """
            apiVersion: networking.istio.io/v1
            kind: Sidecar
            metadata: {name: all, namespace: default}
            spec:
              workloadSelector: {} #! IST0133
              egress:
              - hosts:
                - "*/*" #! IST0133
                - "istio-system/*"
            """),
        MarkedCase("ServiceEntry NONE with a selector, WorkloadEntry without address, selectors without labels, ring size", """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: vms, namespace: default}
            spec:
              hosts: [vms.example.com]
              ports: [{number: 80, name: http, protocol: HTTP}]
              resolution: NONE #! IST0133
              workloadSelector: {labels: {app: vm}}
            ---
            apiVersion: networking.istio.io/v1
            kind: WorkloadEntry
            metadata: {name: vm-1, namespace: default}
            spec:
              network: vpc-2 #! IST0133
              labels: {app: vm, version: v1}
            ---
            apiVersion: security.istio.io/v1
            kind: PeerAuthentication
            metadata: {name: strict, namespace: default}
            spec:
              selector: {} #! IST0133
              mtls: {mode: STRICT}
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: vms, namespace: default}
            spec:
              host: vms.example.com
              trafficPolicy:
                loadBalancer:
                  consistentHash:
                    httpHeaderName: x-user
                    minimumRingSize: 1024 #! IST0133
            """),
        MarkedCase("VirtualService: an abort without error type, an IP as SNI host", """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: db, namespace: default}
            spec:
              hosts: [db.example.com]
              addresses: [10.1.2.3]
              ports: [{number: 443, name: tls, protocol: TLS}, {number: 80, name: http, protocol: HTTP}]
              resolution: STATIC
              endpoints: [{address: 10.1.2.3}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: db, namespace: default}
            spec:
              hosts: [db.example.com, 10.1.2.3]
              http:
              - fault:
                  abort:
                    percentage: {value: 10} #! IST0133
                route: [{destination: {host: db.example.com, port: {number: 80}}}]
              tls:
              - match:
                - sniHosts:
                  - 10.1.2.3 #! IST0133
                route: [{destination: {host: db.example.com, port: {number: 443}}}]
            """),
        MarkedCase("an http2Error abort stays an error", """
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
              - fault:
                  abort:
                    http2Error: REFUSED_STREAM #! IST0106
                route: [{destination: {host: ratings}}]
            """),
    ]

    @Test(arguments: cases)
    func warnsAsIstio(_ test: MarkedCase) {
        #expect(test.reported.sorted() == test.expected.sorted(), "\(lintYAML(test.yaml).map(\.fullMessage))")
    }
}
