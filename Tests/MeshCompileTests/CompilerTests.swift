import MeshCompile
import MeshIR
import MeshModel
import MeshYAML
import Testing

/// Compiler behaviour the goldens do not spell out: proxy binding, merge order, endpoint ports, notes.
@Suite struct CompilerTests {
    /// Decodes `files` (name → YAML) as one mesh.
    static func resources(_ files: [(String, String)]) -> [Resource] {
        files.flatMap { name, text in ResourceDecoder.decode(YAMLParser.parse(Array(text.utf8), path: name)).resources }
    }

    static func gateway(_ name: String, selector: String, port: Int = 80) -> String {
        """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: \(name), namespace: default}
        spec:
          selector: {\(selector)}
          servers:
          - port: {number: \(port), name: http, protocol: HTTP}
            hosts: ["*"]
        """
    }

    static func virtualService(_ name: String, gateway: String, prefix: String, host: String, subset: String? = nil) -> String {
        """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: \(name), namespace: default}
        spec:
          hosts: ["*"]
          gateways: [\(gateway)]
          http:
          - match: [{uri: {prefix: \(prefix)}}]
            route:
            - destination: {host: \(host), port: {number: 80}\(subset.map { ", subset: \($0)" } ?? "")}
        """
    }

    /// An Istio networking manifest in namespace default; `spec` is YAML, unindented.
    static func manifest(_ kind: String, _ name: String, spec: String) -> String {
        "apiVersion: networking.istio.io/v1\nkind: \(kind)\nmetadata: {name: \(name), namespace: default}\nspec:\n"
            + spec.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
    }

    /// A VirtualService on `http-gateway` for any host with the `http` rules given (YAML list items, unindented).
    static func virtualService(http rules: String) -> String {
        manifest("VirtualService", "vs", spec: "hosts: [\"*\"]\ngateways: [http-gateway]\nhttp:\n" + rules)
    }

    static let service = """
        apiVersion: v1
        kind: Service
        metadata: {name: echo, namespace: default}
        spec:
          selector: {app: echo}
          ports: [{name: http, port: 80, targetPort: 9090}]
        ---
        apiVersion: networking.istio.io/v1
        kind: WorkloadEntry
        metadata: {name: echo-a, namespace: default}
        spec: {address: 10.0.0.1, labels: {app: echo, version: v1}}
        ---
        apiVersion: networking.istio.io/v1
        kind: WorkloadEntry
        metadata: {name: echo-b, namespace: default}
        spec: {address: 10.0.0.2, labels: {app: echo, version: v2}, ports: {http: 8081}}
        """

    @Test func oneProxyPerSelectorAndTheMeshViewWithConsecutiveAdminPorts() {
        let mesh = Self.resources([
            ("a.yaml", Self.gateway("public", selector: "istio: ingressgateway")),
            ("b.yaml", Self.gateway("internal", selector: "app: internal-gw", port: 8080)),
        ])
        let result = Compiler.compile(mesh)
        #expect(result.proxies.map(\.name) == ["gateway-app-internal-gw", "gateway-istio-ingressgateway", "mesh"])
        #expect(result.proxies.map(\.role) == [.gateway, .gateway, .sidecar])
        #expect(result.proxies.map(\.adminPort) == [15000, 15001, 15002])
        // The implicit sidecar view listens on Istio's outbound capture port.
        #expect(result.proxies.map { $0.listeners.map(\.port) } == [[8080], [80], [15001]])
    }

    /// A name two services give (here a ServiceEntry host spelled as a
    /// Service's `name.namespace`) goes to the first, Services before
    /// ServiceEntries: Envoy refuses a route configuration that repeats a
    /// domain. Names of odd and even length are both in play.
    @Test func aNameTwoServicesGiveGoesToTheFirst() throws {
        let entry = Self.manifest("ServiceEntry", "echo-alias", spec: """
            hosts: [echo.default]
            location: MESH_EXTERNAL
            resolution: DNS
            ports: [{number: 80, name: http, protocol: HTTP}, {number: 8080, name: http-alt, protocol: HTTP}]
            """)
        let result = Compiler.compile(Self.resources([("a.yaml", Self.service), ("b.yaml", entry)]))
        let sidecar = try #require(result.proxies.first { $0.role == .sidecar })
        let hosts = sidecar.routeConfigs.flatMap(\.virtualHosts)
        let domains = hosts.flatMap(\.domains)
        #expect(Set(domains).count == domains.count, "a domain on two virtual hosts: \(domains)")
        let service = try #require(hosts.first { $0.name == "echo.default.svc.cluster.local:80" })
        #expect(service.domains.contains("echo.default") && service.domains.contains("echo.default:80"))
        #expect(hosts.first { $0.name == "echo.default:8080" }?.domains == ["echo.default:8080"])
        // The entry's port 80 answers to no name of its own: it has no virtual host.
        #expect(!hosts.contains { $0.name == "echo.default:80" })
    }

    /// A cluster's endpoints come from the first ServiceEntry declaring its host, even when a wildcard entry
    /// covering it comes first; a host only a wildcard covers takes the first such entry (`ServiceEntryTable`).
    @Test func aClusterTakesTheFirstEntryDeclaringItsHostElseTheFirstWildcard() throws {
        func entry(_ name: String, host: String, address: String) -> String {
            Self.manifest("ServiceEntry", name, spec: """
                hosts: ["\(host)"]
                location: MESH_EXTERNAL
                resolution: STATIC
                ports: [{number: 80, name: http, protocol: HTTP}]
                endpoints: [{address: \(address)}]
                """)
        }
        let entries = [
            entry("wide", host: "*.ext.example", address: "10.0.0.1"), entry("api", host: "api.ext.example", address: "10.0.0.2"),
            entry("api-again", host: "api.ext.example", address: "10.0.0.3"), entry("wider", host: "*.example", address: "10.0.0.4"),
        ]
        let rules = """
            - match: [{uri: {prefix: /a}}]
              route: [{destination: {host: api.ext.example, port: {number: 80}}}]
            - route: [{destination: {host: other.ext.example, port: {number: 80}}}]
            """
        let text = ([Self.gateway("http-gateway", selector: "istio: ingressgateway"), Self.virtualService(http: rules)] + entries)
            .joined(separator: "\n---\n")
        let result = Compiler.compile(Self.resources([("mesh.yaml", text)]))
        let gateway = try #require(result.proxies.first { $0.role == .gateway })
        let addresses = { (host: String) in gateway.clusters.first { $0.name == "outbound|80||\(host)" }?.endpoints.map(\.address) }
        #expect(addresses("api.ext.example") == ["10.0.0.2"])
        #expect(addresses("other.ext.example") == ["10.0.0.1"])
    }

    @Test func proxyFilterBuildsOnlyTheNamedProxies() {
        let mesh = Self.resources([
            ("a.yaml", Self.gateway("public", selector: "istio: ingressgateway")),
            ("b.yaml", Self.gateway("internal", selector: "app: internal-gw")),
        ])
        var options = CompileOptions()
        options.proxies = ["gateway-app-internal-gw"]
        #expect(Compiler.compile(mesh, options: options).proxies.map(\.name) == ["gateway-app-internal-gw"])
    }

    @Test func virtualServicesMergeInFilePathOrder() {
        // Given in reverse: the merge order is file path, not input order.
        let mesh = Self.resources([
            ("z.yaml", Self.virtualService("catch-all", gateway: "http-gateway", prefix: "/", host: "echo")),
            ("m.yaml", Self.service),
            ("a.yaml", Self.virtualService("specific", gateway: "http-gateway", prefix: "/api", host: "echo")),
            ("g.yaml", Self.gateway("http-gateway", selector: "istio: ingressgateway")),
        ])
        let proxy = Compiler.compile(mesh).proxies[0]
        let routes = proxy.routeConfigs[0].virtualHosts[0].routes
        #expect(routes.map(\.match.path) == [.prefix("/api"), .prefix("/")])
        #expect(routes.map(\.source.file) == ["a.yaml", "z.yaml"])
    }

    @Test func endpointPortsFollowNamedPortThenTargetPort() {
        let mesh = Self.resources([
            ("g.yaml", Self.gateway("http-gateway", selector: "istio: ingressgateway")),
            ("s.yaml", Self.service),
            ("v.yaml", Self.virtualService("vs", gateway: "http-gateway", prefix: "/", host: "echo")),
        ])
        let cluster = Compiler.compile(mesh).proxies[0].clusters[0]
        #expect(cluster.name == "outbound|80||echo.default.svc.cluster.local")
        #expect(cluster.endpoints == [Endpoint(address: "10.0.0.1", port: 9090), Endpoint(address: "10.0.0.2", port: 8081)])
        #expect(cluster.discovery == .static)
    }

    @Test func undefinedSubsetGivesAnEmptyClusterAndNoEndpointsLeak() {
        let rule = Self.manifest("DestinationRule", "echo", spec: """
            host: echo
            subsets: [{name: v1, labels: {version: v1}}]
            """)
        let mesh = Self.resources([
            ("d.yaml", rule),
            ("g.yaml", Self.gateway("http-gateway", selector: "istio: ingressgateway")),
            ("s.yaml", Self.service),
            ("v.yaml", Self.virtualService("vs", gateway: "http-gateway", prefix: "/", host: "echo", subset: "v9")),
        ])
        let result = Compiler.compile(mesh)
        #expect(result.proxies[0].clusters.map(\.endpoints) == [[]])
        #expect(result.notes.contains { $0.file == "d.yaml" && $0.message.contains("subset v9") })
    }

    @Test func zeroWeightDestinationsAreLeftOutOfTheSplit() {
        let vs = Self.virtualService(http: """
            - route:
              - {destination: {host: echo, port: {number: 80}}, weight: 100}
              - {destination: {host: other.example.com, port: {number: 80}}, weight: 0}
            """)
        let mesh = Self.resources([
            ("g.yaml", Self.gateway("http-gateway", selector: "istio: ingressgateway")),
            ("s.yaml", Self.service),
            ("v.yaml", vs),
        ])
        let proxy = Compiler.compile(mesh).proxies[0]
        #expect(proxy.routeConfigs[0].virtualHosts[0].routes[0].action == .cluster("outbound|80||echo.default.svc.cluster.local"))
        // The zero-weight cluster is still built, so a later shift needs no new cluster first.
        #expect(proxy.clusters.count == 2)
    }
}
