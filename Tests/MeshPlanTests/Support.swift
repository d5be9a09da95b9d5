import Foundation
import MeshCompile
import MeshDiagnostics
import MeshEmit
import MeshModel
import MeshPlan
import MeshSnapshot
import MeshYAML

/// Small meshes compiled in-process, as `meshc build` would, without files.
enum Mesh {
    /// Every gateway proxy `yaml` compiles to (the implicit sidecar view
    /// `mesh` is left out: these tests plan gateways).
    static func proxies(_ yaml: String) -> [ProxySnapshot] {
        let resources = ResourceDecoder.decode(YAMLParser.parse(Array(yaml.utf8), path: "mesh.yaml")).resources
        return Compiler.compile(resources).proxies.filter { $0.role == .gateway }.map { Emitter.emit($0).snapshot }
    }

    /// The one gateway proxy of `yaml`.
    static func gateway(_ yaml: String) -> ProxySnapshot {
        let all = proxies(yaml)
        precondition(all.count == 1, "expected one proxy, got \(all.map(\.proxy))")
        return all[0]
    }

    /// A Gateway on port 80, Services foo and bar (port 80) with one workload
    /// each on port 18081 (foo at each of `fooAddresses`) or 18082 (bar), and `http` as the VirtualService's rules.
    static func echo(http: String, fooAddresses: [String] = ["127.0.0.1"]) -> String {
        let fooEntries = fooAddresses.enumerated().map { index, address in
            """
            apiVersion: networking.istio.io/v1
            kind: WorkloadEntry
            metadata: {name: foo-\(index), namespace: default}
            spec: {address: \(address), labels: {app: foo}, ports: {http: 18081}}
            """
        }.joined(separator: "\n---\n")
        return """
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: gw, namespace: default}
            spec:
              selector: {istio: ingressgateway}
              servers:
              - port: {number: 80, name: http, protocol: HTTP}
                hosts: ["*"]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: foo, namespace: default}
            spec: {selector: {app: foo}, ports: [{name: http, port: 80}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: bar, namespace: default}
            spec: {selector: {app: bar}, ports: [{name: http, port: 80}]}
            ---
            \(fooEntries)
            ---
            apiVersion: networking.istio.io/v1
            kind: WorkloadEntry
            metadata: {name: bar-0, namespace: default}
            spec: {address: 127.0.0.1, labels: {app: bar}, ports: {http: 18082}}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: echo, namespace: default}
            spec:
              hosts: ["*"]
              gateways: [gw]
              http:
            \(http)
            """
    }

    /// S1: every path to foo.
    static let allToFoo = """
          - route: [{destination: {host: foo, port: {number: 80}}}]
        """

    /// S2: `/bar` to bar, the rest to foo.
    static let pathRouting = """
          - match: [{uri: {prefix: /bar}}]
            route: [{destination: {host: bar, port: {number: 80}}}]
          - route: [{destination: {host: foo, port: {number: 80}}}]
        """

    /// S3: every path, 90% to foo and 10% to bar.
    static let weighted = """
          - route:
            - {destination: {host: foo, port: {number: 80}}, weight: 90}
            - {destination: {host: bar, port: {number: 80}}, weight: 10}
        """

    /// `meshc plan` of samples/s1-ingress → samples/s2-path-routing, both
    /// compiled to one folder (so listeners are unchanged).
    static let s1ToS2Plan = """
        proxy ingressgateway:
          + cluster outbound|80||http-echo-bar.default.svc.cluster.local
          + endpoints outbound|80||http-echo-bar.default.svc.cluster.local
              endpoints of http-echo-bar.default:80: 127.0.0.1:18082
          ~ route http.80
              + * /bar* on *:80 → http-echo-bar.default:80

        Plan: 2 to create, 1 to update, 0 to delete (1 proxy changed).

        """

    /// One resource of `type` named `name` whose content (and so version) depends on `content`.
    static func resource(_ type: EnvoyKind, _ name: String, _ content: Int = 0) -> EnvoyResource {
        resource(type, .object([type.nameKey: .string(name), "n": .int(content)]))
    }

    /// `json` as a resource of `type` (its `@type` added).
    static func resource(_ type: EnvoyKind, _ json: JSON) -> EnvoyResource {
        try! EnvoyResource(kind: type, json: json.replacing("@type", with: .string(type.typeURL)))
    }
}

extension ProxySnapshot {
    /// A proxy with the given resources and no references (plans pair and diff; they do not check consistency).
    init(proxy: String, clusters: [EnvoyResource] = [], endpoints: [EnvoyResource] = [],
         listeners: [EnvoyResource] = [], routes: [EnvoyResource] = []) {
        self.init(proxy: proxy, resources: [.cluster: clusters, .endpoint: endpoints, .listener: listeners, .route: routes],
                  references: References())
    }
}
