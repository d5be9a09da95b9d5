import MeshCompile
import MeshIR
import MeshModel
import MeshYAML
import Testing

/// Istio fidelity on gateways (issue 13): route configuration names that do
/// not move when unrelated Gateways come and go, and httpsRedirect limited to
/// the redirecting server's hosts.
@Suite struct GatewayFidelityTests {
    static func https(_ gateway: String, host: String, portName: String) -> String {
        """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: \(gateway), namespace: default}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 443, name: \(portName), protocol: HTTPS}
            hosts: ["\(host)"]
            tls: {mode: SIMPLE, serverCertificate: /certs/\(gateway).pem, privateKey: /certs/\(gateway).key}
        """
    }

    static func routes(_ name: String, gateway: String, host: String) -> String {
        """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: \(name), namespace: default}
        spec:
          hosts: ["\(host)"]
          gateways: [\(gateway)]
          http:
          - route:
            - destination: {host: \(name), port: {number: 80}}
        """
    }

    /// The gateway proxy compiled from `files` (name → YAML).
    static func build(_ files: [(String, String)]) -> ProxyConfig? {
        Compiler.compile(CompilerTests.resources(files)).proxies.first { $0.role == .gateway }
    }

    @Test func anUnrelatedGatewayRenamesNothing() throws {
        let shop = [("shop/gateway.yaml", Self.https("shop", host: "shop.example.com", portName: "https-shop")),
                    ("shop/routes.yaml", Self.routes("shop", gateway: "shop", host: "shop.example.com"))]
        // "aaa" sorts first: with positional names it would have taken shop's.
        let blog = [("aaa/gateway.yaml", Self.https("aaa-blog", host: "blog.example.com", portName: "https-blog")),
                    ("aaa/routes.yaml", Self.routes("blog", gateway: "aaa-blog", host: "blog.example.com"))]
        let before = try #require(Self.build(shop))
        let after = try #require(Self.build(blog + shop))
        let name = "https.443.https-shop.shop.default"
        #expect(before.routeConfigs.map(\.name) == [name])
        let shopBefore = try #require(before.routeConfigs.first { $0.name == name })
        let shopAfter = try #require(after.routeConfigs.first { $0.name == name }, "\(after.routeConfigs.map(\.name))")
        #expect(shopBefore == shopAfter)
        #expect(after.routeConfigs.map(\.name).sorted() == ["https.443.https-blog.aaa-blog.default", name])
    }

    /// Each HTTPS server is a route configuration, each a file Envoy
    /// watches with an inotify instance (128 per user by default): past 100
    /// files the build says so, at the gateway's first server.
    @Test func aGatewayWatchingMoreFilesThanAHostGivesIsNoted() throws {
        func files(_ servers: Int) -> [(String, String)] {
            (0..<servers).flatMap { i in
                [("gw/\(i).yaml", Self.https("tenant-\(i)", host: "t\(i).example.com", portName: "https-t\(i)")),
                 ("vs/\(i).yaml", Self.routes("t\(i)", gateway: "tenant-\(i)", host: "t\(i).example.com"))]
            }
        }
        let note = "has Envoy watch 101 files (99 route configurations, 0 secrets, CDS and LDS)"
        let many = Compiler.compile(CompilerTests.resources(files(99)))
        #expect(many.proxies.first { $0.role == .gateway }?.routeConfigs.count == 99)
        let notes = many.notes.filter { $0.message.contains("fs.inotify.max_user_instances") }
        #expect(notes.count == 1 && notes[0].message.contains(note) && notes[0].file == "gw/0.yaml" && notes[0].line == 7, "\(notes)")
        #expect(!Compiler.compile(CompilerTests.resources(files(98))).notes.contains { $0.message.contains("inotify") }, "100 files: no note")
    }

    @Test func httpsRedirectRedirectsOnlyItsServersHosts() throws {
        let redirect = """
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: secure, namespace: default}
            spec:
              selector: {istio: ingressgateway}
              servers:
              - port: {number: 80, name: http, protocol: HTTP}
                hosts: ["secure.example.com"]
                tls: {httpsRedirect: true}
            """
        let plain = """
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: open, namespace: default}
            spec:
              selector: {istio: ingressgateway}
              servers:
              - port: {number: 80, name: http, protocol: HTTP}
                hosts: ["open.example.com"]
            """
        let proxy = try #require(Self.build([("secure.yaml", redirect), ("open.yaml", plain),
                                             ("routes.yaml", Self.routes("open", gateway: "open", host: "open.example.com"))]))
        let table = try #require(proxy.routeConfigs.first { $0.name == "http.80" })
        let hosts = Dictionary(uniqueKeysWithValues: table.virtualHosts.map { ($0.domains[0], $0) })
        #expect(hosts["open.example.com"]?.requireTLS == false)
        // No VirtualService routes secure.example.com on port 80: its virtual host exists only to redirect.
        #expect(hosts["secure.example.com"]?.requireTLS == true)
        #expect(hosts["secure.example.com"]?.routes.isEmpty == true)
    }
}
