import Foundation
import MeshCompile
import MeshDiagnostics
import MeshLint
import MeshPipeline
import MeshTestSupport
import Testing

/// Istio's bookinfo, written here from Istio's documentation (issue 13):
/// the platform manifests (Services and Deployments v1, reviews v1–v3),
/// `bookinfo-gateway.yaml`, `destination-rule-all.yaml` (whose subsets name
/// versions that have no pods: runtime state, which reports but does not
/// block) and each `virtual-service-*.yaml` variant of the task pages. Each
/// combination builds, and every proxy's bootstrap passes `envoy --mode validate`.
@Suite struct BookinfoTests {
    static let services = ["details", "ratings", "reviews", "productpage"]

    static let platform: String = {
        var documents: [String] = []
        for service in services {
            documents.append("""
                apiVersion: v1
                kind: Service
                metadata:
                  name: \(service)
                  labels: {app: \(service), service: \(service)}
                spec:
                  ports:
                  - port: 9080
                    name: http
                  selector: {app: \(service)}
                """)
            documents.append("""
                apiVersion: v1
                kind: ServiceAccount
                metadata:
                  name: bookinfo-\(service)
                  labels: {account: \(service)}
                """)
        }
        let deployments = ["details": ["v1"], "ratings": ["v1"], "reviews": ["v1", "v2", "v3"], "productpage": ["v1"]]
        for service in services {
            for version in deployments[service]! {
                documents.append("""
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata:
                      name: \(service)-\(version)
                      labels: {app: \(service), version: \(version)}
                    spec:
                      replicas: 1
                      selector:
                        matchLabels: {app: \(service), version: \(version)}
                      template:
                        metadata:
                          labels: {app: \(service), version: \(version)}
                        spec:
                          serviceAccountName: bookinfo-\(service)
                          containers:
                          - name: \(service)
                            image: docker.io/istio/examples-bookinfo-\(service)-\(version):1.20.2
                            imagePullPolicy: IfNotPresent
                            ports:
                            - containerPort: 9080
                    """)
            }
        }
        return documents.joined(separator: "\n---\n")
    }()

    static let gateway = """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata:
          name: bookinfo-gateway
        spec:
          selector:
            istio: ingressgateway
          servers:
          - port:
              number: 8080
              name: http
              protocol: HTTP
            hosts:
            - "*"
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: bookinfo
        spec:
          hosts:
          - "*"
          gateways:
          - bookinfo-gateway
          http:
          - match:
            - uri:
                exact: /productpage
            - uri:
                prefix: /static
            - uri:
                exact: /login
            - uri:
                exact: /logout
            - uri:
                prefix: /api/v1/products
            route:
            - destination:
                host: productpage
                port:
                  number: 9080
        """

    static let destinationRuleAll: String = {
        let subsets = ["productpage": ["v1"], "reviews": ["v1", "v2", "v3"], "ratings": ["v1", "v2", "v2-mysql", "v2-mysql-vm"],
                       "details": ["v1", "v2"]]
        return ["productpage", "reviews", "ratings", "details"].map { service in
            """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata:
              name: \(service)
            spec:
              host: \(service)
              subsets:
            \(subsets[service]!.map { "  - name: \($0)\n    labels:\n      version: \($0)" }.joined(separator: "\n"))
            """
        }.joined(separator: "\n---\n")
    }()

    /// A VirtualService for `host` with `http` as its rules (YAML at column 2).
    static func virtualService(_ host: String, _ http: String) -> String {
        "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: \(host)\nspec:\n  hosts:\n  - \(host)\n  http:\n\(http)"
    }

    static func route(_ host: String, _ subset: String, weight: Int? = nil) -> String {
        "    - destination:\n        host: \(host)\n        subset: \(subset)" + (weight.map { "\n      weight: \($0)" } ?? "")
    }

    static let jason = "  - match:\n    - headers:\n        end-user:\n          exact: jason\n"

    /// The task pages' VirtualService files.
    static let variants: [String: String] = [
        "virtual-service-all-v1": services.map { virtualService($0, "  - route:\n" + route($0, "v1")) }.joined(separator: "\n---\n"),
        "virtual-service-reviews-test-v2": virtualService("reviews", jason + "    route:\n" + route("reviews", "v2") + "\n  - route:\n" + route("reviews", "v1")),
        "virtual-service-reviews-50-v3": virtualService("reviews", "  - route:\n" + route("reviews", "v1", weight: 50) + "\n" + route("reviews", "v3", weight: 50)),
        "virtual-service-reviews-v3": virtualService("reviews", "  - route:\n" + route("reviews", "v3")),
        "virtual-service-reviews-80-20": virtualService("reviews", "  - route:\n" + route("reviews", "v1", weight: 80) + "\n" + route("reviews", "v2", weight: 20)),
        "virtual-service-reviews-jason-v2-v3": virtualService("reviews", jason + "    route:\n" + route("reviews", "v2") + "\n  - route:\n" + route("reviews", "v3")),
        "virtual-service-ratings-test-delay": virtualService("ratings", jason + "    fault:\n      delay:\n        percentage:\n          value: 100.0\n        fixedDelay: 7s\n    route:\n" + route("ratings", "v1") + "\n  - route:\n" + route("ratings", "v1")),
        "virtual-service-ratings-test-abort": virtualService("ratings", jason + "    fault:\n      abort:\n        percentage:\n          value: 100.0\n        httpStatus: 500\n    route:\n" + route("ratings", "v1") + "\n  - route:\n" + route("ratings", "v1")),
        "virtual-service-reviews-timeout": virtualService("reviews", "  - route:\n" + route("reviews", "v2") + "\n    timeout: 0.5s"),
    ]

    static func build(_ variant: String, strict: Bool = false) throws -> Result<MeshBuild, PipelineError> {
        var options = CompileOptions()
        options.portOffset = 10000
        options.strict = strict
        let pipeline = Pipeline(options: options)
        let files = [("platform/bookinfo.yaml", platform), ("networking/bookinfo-gateway.yaml", gateway),
                     ("networking/destination-rule-all.yaml", destinationRuleAll), ("networking/\(variant).yaml", variants[variant]!)]
        return pipeline.build(try pipeline.lint(sources: files.map { .bytes(Array($0.1.utf8), name: $0.0) }))
    }

    @Test(arguments: variants.keys.sorted())
    func eachVariantBuilds(variant: String) throws {
        let build: MeshBuild
        switch try Self.build(variant) {
        case .success(let built): build = built
        case .failure(let error):
            Issue.record("bookinfo with \(variant) does not build: \(error)")
            return
        }
        #expect(build.proxies.map(\.proxy).sorted() == ["gateway-istio-ingressgateway", "mesh"])
        guard let envoy = Tools.envoy else { return }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("meshc-bookinfo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        for proxy in build.proxies {
            let out = folder.appendingPathComponent(proxy.proxy)
            try FileManager.default.createDirectory(at: out.appendingPathComponent("routes"), withIntermediateDirectories: true)
            for (name, text) in proxy.files(folder: out.path, bootstrap: .static) {
                try FileManager.default.createDirectory(at: out.appendingPathComponent(name).deletingLastPathComponent(), withIntermediateDirectories: true)
                try text.write(to: out.appendingPathComponent(name), atomically: true, encoding: .utf8)
            }
            let run = try Subprocess.run(envoy, ["--mode", "validate", "-c", out.appendingPathComponent("bootstrap.json").path,
                                                 "--disable-hot-restart", "-l", "error"])
            #expect(run.status == 0, "envoy rejected \(variant)/\(proxy.proxy): \(run.stdout)\(run.stderr)")
        }
    }

    /// The subsets without pods (ratings v2…, details v2) are IST0173 errors: reported, and only `--strict` refuses them.
    @Test func subsetsWithoutPodsBlockOnlyWhenStrict() throws {
        guard case .failure(.lintErrors(let report)) = try Self.build("virtual-service-all-v1", strict: true) else {
            Issue.record("--strict built bookinfo although subsets select no pods")
            return
        }
        let codes = Set(report.diagnostics.filter { $0.severity == .error }.map(\.code.id))
        #expect(codes == [Codes.destinationRuleSubsetNotSelectPods.id], "\(report.text())")
    }
}
