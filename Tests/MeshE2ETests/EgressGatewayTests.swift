import Foundation
import MeshTestSupport
import Testing

/// SCENARIOS S8, egress: a sidecar's plain HTTP call to an external host
/// goes through the egress gateway, which originates TLS to the external
/// server (Istio's "egress gateway with TLS origination", samples/s8-egress).
/// The external server is an Envoy terminating TLS with a throwaway
/// certificate for api.partner.example in front of `meshc echo`; the
/// frontend's sidecar and the egress gateway are `meshc build` output.
@Suite(.tags(.e2e), .enabled(if: Tools.envoy != nil, Tools.envoyMissing))
struct EgressGatewayTests {
    static let host = "api.partner.example"

    /// A TLS-only Envoy on `port` for `host` with the certificate in `certs`, forwarding to `backend`;
    /// with `serverNames`, a handshake whose SNI is not one of them finds no filter chain and is closed.
    static func tlsServer(_ bed: TestBed, port: Int, admin: Int, certs: String, backend: Int, serverNames: [String] = []) throws -> EnvoyProxy {
        let inspector = serverNames.isEmpty ? "" : """
            "listener_filters": [{"name": "envoy.filters.listener.tls_inspector", "typed_config": {
              "@type": "type.googleapis.com/envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector"}}],
            """
        let match = serverNames.isEmpty ? "" : """
            "filter_chain_match": {"server_names": [\(serverNames.map { "\"\($0)\"" }.joined(separator: ", "))]},
            """
        let bootstrap = """
            {"admin": {"address": {"socket_address": {"address": "127.0.0.1", "port_value": \(admin)}}},
             "static_resources": {
              "listeners": [{"name": "tls", "address": {"socket_address": {"address": "127.0.0.1", "port_value": \(port)}},
               \(inspector)
               "filter_chains": [{\(match)
                "transport_socket": {"name": "envoy.transport_sockets.tls", "typed_config": {
                  "@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext",
                  "common_tls_context": {"tls_certificates": [{"certificate_chain": {"filename": "\(certs)/cert.pem"},
                                                               "private_key": {"filename": "\(certs)/key.pem"}}]}}},
                "filters": [{"name": "envoy.filters.network.http_connection_manager", "typed_config": {
                  "@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
                  "stat_prefix": "tls",
                  "route_config": {"virtual_hosts": [{"name": "all", "domains": ["*"],
                                                      "routes": [{"match": {"prefix": "/"}, "route": {"cluster": "echo"}}]}]},
                  "http_filters": [{"name": "envoy.filters.http.router", "typed_config": {
                    "@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router"}}]}}]}]}],
              "clusters": [{"name": "echo", "type": "STATIC", "connect_timeout": "1s",
               "load_assignment": {"cluster_name": "echo", "endpoints": [{"lb_endpoints": [{"endpoint": {"address":
                 {"socket_address": {"address": "127.0.0.1", "port_value": \(backend)}}}}]}]}}]}}
            """
        return try bed.envoy(bootstrap: try bed.write("partner/bootstrap.json", bootstrap))
    }

    /// samples/s8-egress with this run's ports and certificate.
    static func manifests(external: Int, egress: Int, egressAdmin: Int, outbound: Int, frontendAdmin: Int, ca: String) throws -> String {
        let sample = Repository.url("samples/s8-egress")
        var documents: [String] = []
        for file in ["external.yaml", "egressgateway.yaml", "virtualservice.yaml", "frontend.yaml"] {
            documents.append(try String(contentsOf: sample.appendingPathComponent(file), encoding: .utf8))
        }
        return documents.joined(separator: "\n---\n")
            .replacingOccurrences(of: "https: 18443", with: "https: \(external)")
            .replacingOccurrences(of: "listenPort: 18180", with: "listenPort: \(egress)")
            .replacingOccurrences(of: "port: 19005", with: "port: \(egressAdmin)")
            .replacingOccurrences(of: "outboundPort: 18092", with: "outboundPort: \(outbound)")
            .replacingOccurrences(of: "port: 19006", with: "port: \(frontendAdmin)")
            .replacingOccurrences(of: "/etc/meshc/egress/partner-ca.pem", with: ca)
    }

    @Test func aSidecarReachesTheExternalHostThroughTheEgressGatewayOverTLS() throws {
        let certs = try #require(TestCertificates.selfSigned(commonName: Self.host, subjectAltName: Self.host), "openssl could not make a certificate")
        let bed = try TestBed()
        defer { bed.shutdown() }
        let backend = try bed.echo(text: "partner")
        let ports = try Ports.free(6)
        let partner = try Self.tlsServer(bed, port: ports[0], admin: ports[1], certs: certs, backend: backend.port)
        let manifests = try Self.manifests(external: ports[0], egress: ports[2], egressAdmin: ports[3], outbound: ports[4],
                                           frontendAdmin: ports[5], ca: certs + "/ca.pem")
        let out = try bed.build(manifests)
        let egress = try bed.envoy(bootstrap: try bed.builtBootstrap(out, proxy: "egressgateway", manifests: manifests))
        let frontend = try bed.envoy(bootstrap: try bed.builtBootstrap(out, proxy: "frontend-sidecar", manifests: manifests))
        let context = { "\(frontend.logTail())\n--- egress ---\n\(egress.logTail())\n--- partner ---\n\(partner.logTail())" }
        #expect(poll(seconds: 5) { Loopback.accepts(port: ports[4]) && Loopback.accepts(port: ports[2]) }, "\(context())")

        let response = try HTTPConnection(port: ports[4]).request("GET", "/orders", headers: [("Host", Self.host)])
        #expect(response.status == 200 && response.text.hasPrefix("partner"), "\(response.status) \(response.text)\n\(context())")
        // The way there: the frontend's sidecar sent it to the egress gateway, which sent it over TLS.
        let gatewayStats = try egress.admin("/stats?filter=outbound%7C443%7C%7Capi.partner.example.ssl.handshake").text
        #expect(gatewayStats.contains("ssl.handshake: 1") || gatewayStats.contains("ssl.handshake: 2"), "egress gateway TLS stats:\n\(gatewayStats)")
        let sidecarStats = try frontend.admin("/stats?filter=istio-egressgateway.istio-system.svc.cluster.local.upstream_rq_200").text
        #expect(sidecarStats.contains("upstream_rq_200: 1"), "frontend sidecar stats:\n\(sidecarStats)")
    }
}
