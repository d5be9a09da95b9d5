import Foundation
import MeshTestSupport
import Testing

/// Istio fidelity bugs where Envoy's behaviour is the question (issue 13), on a compiled gateway.
@Suite(.tags(.e2e), .enabled(if: Tools.envoy != nil, Tools.envoyMissing))
struct GatewayFidelityE2ETests {
    /// `httpsRedirect` on one Gateway's server redirects that server's host only: another Gateway's
    /// host on the same port is still served in plain text.
    @Test func httpsRedirectStaysOnItsServer() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let backend = try bed.echo(text: "open")
        let manifests = ScenarioManifests.join([
            ScenarioManifests.serviceWithWorkload("open", port: backend.port),
            """
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: secure, namespace: default}
            spec:
              selector: {istio: ingressgateway}
              servers:
              - port: {number: 80, name: http, protocol: HTTP}
                hosts: ["secure.example.com"]
                tls: {httpsRedirect: true}
            """,
            """
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: open, namespace: default}
            spec:
              selector: {istio: ingressgateway}
              servers:
              - port: {number: 80, name: http, protocol: HTTP}
                hosts: ["open.example.com"]
            """,
            """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: open, namespace: default}
            spec:
              hosts: ["open.example.com"]
              gateways: [open]
              http:
              - route:
                - destination: {host: open.default.svc.cluster.local, port: {number: 80}}
            """,
        ])
        let gateway = try bed.compiledGateway(manifests)
        let open = try HTTPConnection(port: gateway.port).request("GET", "/", headers: [("Host", "open.example.com")])
        #expect(open.status == 200 && open.text.hasPrefix("open"), "open.example.com: \(open.status) \(open.text)\n\(gateway.context)")
        let secure = try HTTPConnection(port: gateway.port).request("GET", "/a", headers: [("Host", "secure.example.com")])
        #expect(secure.status == 301, "secure.example.com: \(secure.status) \(secure.text)\n\(gateway.context)")
        #expect(secure.header("location") == "https://secure.example.com/a", "\(secure.header("location") ?? "no location")")
        // meshc route says what Envoy does: the same 301 and Location, nothing forwarded.
        let said = try bed.route(proxy: "gateway-istio-ingressgateway", "GET", "http://secure.example.com/a")
        #expect(said.json["kind"] as? String == "tls_redirect", "\(said.text)")
        #expect(said.json["location"] as? String == secure.header("location"), "\(said.text)")
    }

    /// A regex Istio accepts (RE2 program size well over Envoy's default limit of 100) loads and routes:
    /// meshc's bootstraps raise the limit as Istio's does.
    @Test func aRegexOverEnvoysDefaultProgramSizeRoutes() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let backend = try bed.echo(text: "api")
        let manifests = ScenarioManifests.join([
            ScenarioManifests.gateway,
            ScenarioManifests.serviceWithWorkload("api", port: backend.port),
            ScenarioManifests.virtualService(http: """
              - match:
                - uri:
                    regex: "/api/v[0-9]+/(users|orders|items|carts|payments)/[a-z0-9-]{1,64}(/[a-z]+)?"
                route:
                - destination:
                    host: api
            """),
        ])
        let gateway = try bed.compiledGateway(manifests)
        let hit = try HTTPConnection(port: gateway.port).request("GET", "/api/v2/orders/ab-12/lines")
        #expect(hit.status == 200 && hit.text.hasPrefix("api"), "\(hit.status) \(hit.text)\n\(gateway.context)")
        let miss = try HTTPConnection(port: gateway.port).request("GET", "/api/v2/unknown/ab-12")
        #expect(miss.status == 404, "\(miss.status) \(miss.text)")
    }
}
