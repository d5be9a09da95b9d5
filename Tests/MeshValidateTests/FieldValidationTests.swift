import Foundation
import MeshDiagnostics
@testable import MeshValidate
import MeshTestSupport
import Testing

/// IST0106 field rules. Each bad case marks the line of every offending
/// value with a trailing `# IST0106` (or `# IST0106 x2`); the test reads the
/// expectations from the input itself.
@Suite struct FieldValidationTests {
    /// An Istio resource named `t` in `default` whose spec is `spec` (indented two spaces).
    static func istio(_ kind: String, _ spec: String, group: String = "networking.istio.io/v1") -> String {
        "apiVersion: \(group)\nkind: \(kind)\nmetadata:\n  name: t\n  namespace: default\nspec:\n\(spec)"
    }
    static func security(_ kind: String, _ spec: String) -> String { istio(kind, spec, group: "security.istio.io/v1") }
    static func vs(_ http: String) -> String { istio("VirtualService", "  hosts:\n  - reviews\n  http:\n\(http)") }

    /// `IST0106@line` for every marker in `yaml`.
    static func expected(_ yaml: String) -> [String] {
        yaml.split(separator: "\n", omittingEmptySubsequences: false).enumerated().flatMap { index, line -> [String] in
            guard let marker = line.range(of: "# IST0106") else { return [] }
            let count = line[marker.upperBound...].trimmingCharacters(in: .whitespaces).dropFirst().first.flatMap { Int(String($0)) } ?? 1
            return Array(repeating: "IST0106@\(index + 1)", count: count)
        }
    }

    static let badCases: [String] = [
        // VirtualService hosts and gateways
        vs("  - route:\n    - destination:\n        host: reviews\n").replacingOccurrences(of: "- reviews\n  http", with: "- bad_host  # IST0106\n  http"),
        istio("VirtualService", "  hosts:\n  - \"*\"  # IST0106\n  http:\n  - route:\n    - destination:\n        host: reviews\n"),
        istio("VirtualService", "  hosts:\n  - \"*.example.com\"\n  - a.example.com  # IST0106\n  http:\n  - route:\n    - destination:\n        host: reviews\n"),
        istio("VirtualService", "  hosts:\n  - reviews\n  gateways:\n  - Bad/gw  # IST0106\n  http:\n  - route:\n    - destination:\n        host: reviews\n"),
        istio("VirtualService", "  gateways:\n  - gw  # IST0106\n  http:\n  - route:\n    - destination:\n        host: reviews\n"),
        istio("VirtualService", "  hosts:  # IST0106\n  - reviews\n"),
        istio("VirtualService", "  hosts:\n  - reviews\n  exportTo:\n  - \".\"\n  - default  # IST0106\n  http:\n  - route:\n    - destination:\n        host: reviews\n"),
        // HTTP route shape
        vs("  - route:\n    - destination:  # IST0106\n        host: reviews\n    redirect:\n      uri: /x\n"),
        vs("  - name: empty  # IST0106\n"),
        vs("  - redirect:\n      uri: /x\n    rewrite:\n      uri: /y  # IST0106\n"),
        vs("  - route:\n    - destination:\n        host: reviews\n    mirror:\n      host: a  # IST0106\n    mirrors:\n    - destination:\n        host: b\n"),
        // destinations and weights
        vs("  - route:\n    - destination:\n        host: reviews\n      weight: -1  # IST0106\n    - destination:\n        host: ratings\n      weight: 2\n"),
        vs("  - route:\n    - destination:  # IST0106\n        host: reviews\n      weight: 0\n    - destination:\n        host: ratings\n"),
        vs("  - route:\n    - destination:\n        host: \"*\"  # IST0106\n        subset: V1  # IST0106\n        port:\n          number: 70000  # IST0106\n"),
        vs("  - route:\n    - weight: 100  # IST0106\n"),
        // matches
        vs("  - match:\n    - uri:\n        regex: \"([a-z\"  # IST0106\n      headers:\n        bad header:  # IST0106\n          exact: x\n        x-empty:\n          prefix: \"\"  # IST0106\n    route:\n    - destination:\n        host: reviews\n"),
        vs("  - match:\n    - uri:\n        exact: /a  # IST0106\n        prefix: /b\n      port: 0  # IST0106\n      sourceNamespace: Bad_NS  # IST0106\n      gateways:\n      - a/b/c  # IST0106\n    route:\n    - destination:\n        host: reviews\n"),
        vs("  - match:\n    - queryParams:\n        q:\n          regex: \"a{2,1}\"  # IST0106\n      withoutHeaders:\n        x-skip:\n          regex: \"*\"\n    route:\n    - destination:\n        host: reviews\n"),
        // timeouts, retries, fault, mirror, redirect, direct response
        vs("  - timeout: \"10\"  # IST0106\n    retries:\n      attempts: 3\n      perTryTimeout: 500us  # IST0106\n      retryOn: 5xx,bogus  # IST0106\n    route:\n    - destination:\n        host: reviews\n"),
        vs("  - retries:\n      attempts: 0  # IST0106\n      perTryTimeout: 2s\n    route:\n    - destination:\n        host: reviews\n"),
        vs("  - fault:\n      abort:\n        httpStatus: 700  # IST0106\n        percentage:\n          value: 150  # IST0106\n      delay:\n        percentage:  # IST0106\n          value: 10\n    route:\n    - destination:\n        host: reviews\n"),
        vs("  - fault:\n      delay: null  # IST0106\n    route:\n    - destination:\n        host: reviews\n"),
        vs("  - mirrorPercentage:\n      value: 120  # IST0106\n    route:\n    - destination:\n        host: reviews\n"),
        vs("  - directResponse:\n      status: 99  # IST0106\n"),
        vs("  - redirect:\n      uri: /new\n      redirectCode: 305  # IST0106\n      scheme: ftp  # IST0106\n      port: 70000  # IST0106\n"),
        vs("  - redirect:\n      redirectCode: 301  # IST0106\n"),
        vs("  - rewrite:\n      uri: /a  # IST0106\n      uriRegexRewrite:\n        match: \"^/a\"\n        rewrite: /b\n    route:\n    - destination:\n        host: reviews\n"),
        vs("  - rewrite:\n      uriRegexRewrite:\n        match: \"(\"  # IST0106\n        rewrite: /b\n    route:\n    - destination:\n        host: reviews\n"),
        vs("  - corsPolicy:\n      allowOrigins:\n      - regex: \"[\"  # IST0106\n      allowMethods:\n      - get  # IST0106\n      allowHeaders:\n      - \"bad header\"  # IST0106\n      maxAge: 1.5s  # IST0106\n    route:\n    - destination:\n        host: reviews\n"),
        vs("  - headers:\n      request:\n        set:\n          \":path\": /x  # IST0106\n      response:\n        remove:\n        - host  # IST0106\n        add:\n          x-pct: \"abc%123\"  # IST0106\n    route:\n    - destination:\n        host: reviews\n"),
        // TLS and TCP routes
        istio("VirtualService", "  hosts:\n  - \"*.example.com\"\n  tls:\n  - match:\n    - sniHosts:\n      - other.org  # IST0106\n    route:\n    - destination:\n        host: reviews\n      weight: -5  # IST0106\n"),
        istio("VirtualService", "  hosts:\n  - reviews\n  tcp:\n  - match:  # IST0106\n    - destinationSubnets:\n      - 10.0.0.0/33  # IST0106\n"),
        // DestinationRule
        istio("DestinationRule", "  host: reviews\n  subsets:\n  - name: V1  # IST0106\n    labels:\n      version: v1\n  - name: v2\n  - name: v2  # IST0106\n"),
        istio("DestinationRule", "  host: reviews\n  trafficPolicy:\n    loadBalancer:\n      simple: FASTEST  # IST0106\n    outlierDetection:\n      interval: \"1\"  # IST0106\n      maxEjectionPercent: 150  # IST0106\n    connectionPool:\n      tcp:\n        maxConnections: -1  # IST0106\n        connectTimeout: 0s  # IST0106\n"),
        istio("DestinationRule", "  host: reviews\n  trafficPolicy:\n    loadBalancer:\n      consistentHash:\n        httpHeaderName: x-user  # IST0106\n        useSourceIp: true\n    tls:\n      mode: MUTUAL  # IST0106 x2\n"),
        istio("DestinationRule", "  host: reviews\n  trafficPolicy:\n    tls:\n      mode: STRICT  # IST0106\n    portLevelSettings:\n    - loadBalancer:  # IST0106\n        simple: RANDOM\n"),
        istio("DestinationRule", "  host: reviews\n  trafficPolicy: {}  # IST0106\n"),
        "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: t\nspec:\n  subsets:  # IST0106\n  - name: v1\n",
        // Gateway
        istio("Gateway", "  servers:\n  - port:\n      number: 0  # IST0106\n      name: http\n      protocol: SMTP  # IST0106\n    hosts:\n    - \"ns/short\"  # IST0106\n    - \"Bad_NS/*.example.com\"  # IST0106\n"),
        istio("Gateway", "  servers:\n  - port:\n      number: 443\n      name: https\n      protocol: HTTPS  # IST0106\n    hosts:\n    - \"*\"\n  - port:\n      number: 8443\n      name: https  # IST0106\n      protocol: HTTPS\n    hosts:\n    - \"*\"\n    tls:\n      mode: SIMPLE  # IST0106 x2\n      minProtocolVersion: TLSV1_4  # IST0106\n"),
        istio("Gateway", "  servers:\n  - port:\n      number: 443\n      name: https\n      protocol: HTTPS\n    hosts:\n    - \"*\"\n    tls:\n      mode: ISTIO_MUTUAL\n      credentialName: my-cert  # IST0106\n  - port:\n      number: 80\n      name: web\n      protocol: HTTP\n    hosts:\n    - \"*\"\n    tls:\n      mode: SIMPLE  # IST0106\n      credentialName: c\n"),
        "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: my.gateway  # IST0106\n  namespace: default\nspec:\n  selector:  # IST0106\n    istio: ingressgateway\n",
        // ServiceEntry
        istio("ServiceEntry", "  hosts:\n  - \"*\"  # IST0106\n  addresses:\n  - 300.1.1.1  # IST0106\n  location: OUTSIDE  # IST0106\n  resolution: DYNAMIC  # IST0106\n  ports:\n  - number: 80\n    name: HTTP  # IST0106\n    protocol: FTP  # IST0106\n  - number: 80  # IST0106\n    name: http-2\n    protocol: HTTP\n"),
        istio("ServiceEntry", "  hosts:\n  - \"*.example.com\"  # IST0106\n  resolution: DNS\n  ports:\n  - number: 443\n    name: tls\n    protocol: TLS\n"),
        istio("ServiceEntry", "  hosts:\n  - db.example.com\n  resolution: STATIC\n  ports:\n  - number: 5432\n    name: tcp\n    protocol: TCP\n  endpoints:\n  - address: db.internal  # IST0106\n    ports:\n      mysql: 3306  # IST0106\n"),
        istio("ServiceEntry", "  hosts:\n  - a.example.com\n  - b.example.com\n  resolution: DNS\n  ports:\n  - number: 5432\n    name: tcp\n    protocol: TCP  # IST0106\n  workloadSelector:\n    labels:\n      app: db\n  endpoints:\n  - address: 10.0.0.1  # IST0106\n"),
        istio("ServiceEntry", "  hosts:\n  - a.example.com\n  resolution: NONE\n  ports:\n  - number: 80\n    name: http\n    protocol: HTTP\n  endpoints:\n  - address: 10.0.0.1  # IST0106\n"),
        // WorkloadEntry
        istio("WorkloadEntry", "  address: unix://relative/sock  # IST0106\n  weight: -1  # IST0106\n"),
        istio("WorkloadEntry", "  address: 10.0.0.1\n  ports:\n    http: 70000  # IST0106\n    Bad_Name: 80  # IST0106\n  labels:\n    app: \"-x\"  # IST0106\n"),
        // Sidecar
        istio("Sidecar", "  outboundTrafficPolicy:\n    mode: DENY_ALL  # IST0106\n  egress:\n  - hosts:\n    - reviews  # IST0106 x2\n  - hosts:\n    - \"Bad_NS/*.example.com\"  # IST0106\n    - \"./short\"  # IST0106\n"),
        istio("Sidecar", "  ingress:\n  - port:\n      number: 9080\n      protocol: HTTP\n      name: http\n    bind: local  # IST0106\n    captureMode: EBPF  # IST0106\n    defaultEndpoint: 10.1.1.1:8080  # IST0106\n  egress:\n  - port:\n      number: 0  # IST0106\n      protocol: HTTP\n    hosts:\n    - \"./*\"\n"),
        // PeerAuthentication
        security("PeerAuthentication", "  mtls:\n    mode: ON  # IST0106\n  portLevelMtls:\n    abc:  # IST0106 x2\n      mode: STRICT\n"),
        security("PeerAuthentication", "  selector:\n    matchLabels:\n      app: reviews\n  portLevelMtls:\n    70000:  # IST0106\n      mode: FULL  # IST0106\n"),
        // AuthorizationPolicy
        security("AuthorizationPolicy", "  action: LOG  # IST0106\n  rules:\n  - from:\n    - source:\n        ipBlocks:\n        - 1.2.3.4/40  # IST0106\n    to:\n    - operation:\n        ports:\n        - \"99999\"  # IST0106\n    when:\n    - key: request.headers[x]  # IST0106\n    - values:  # IST0106\n      - a\n"),
        security("AuthorizationPolicy", "  action: CUSTOM\n  provider:\n    name: \"\"  # IST0106\n  rules:\n  - {}\n"),
        // a regex whose RE2 program is over Envoy's limit (32768, as Istio sets it)
        vs("  - match:\n    - uri:\n        regex: \"([a-z0-9]{1,100}-){1,40}\"  # IST0106\n    route:\n    - destination:\n        host: reviews\n"),
        // when keys and values Istio rejects (a typo must not widen an ALLOW rule by vanishing)
        security("AuthorizationPolicy", "  rules:\n  - when:\n    - key: request.header[x-tenant]  # IST0106\n      values: [a]\n    - key: request.headers  # IST0106\n      values: [a]\n    - key: source.ip\n      values: [10.0.0.0/40]  # IST0106\n    - key: destination.port\n      notValues: [http]  # IST0106\n"),
        security("RequestAuthentication", "  jwtRules:\n  - issuer: a\n    jwks: 'not a key set'  # IST0106\n    fromHeaders:\n    - prefix: x  # IST0106\n    outputClaimToHeaders:\n    - header: \":path\"  # IST0106\n      claim: sub\n    - header: x-user  # IST0106\n"),
        security("AuthorizationPolicy", "  action: DENY  # IST0106\n  provider:\n    name: ext  # IST0106\n"),
        security("AuthorizationPolicy", "  selector:\n    matchLabels:\n      app: reviews\n  targetRef:\n    kind: Service  # IST0106\n    group: \"\"\n    name: reviews\n    namespace: other  # IST0106\n"),
        // RequestAuthentication
        security("RequestAuthentication", "  jwtRules:\n  - audiences:  # IST0106\n    - a\n  - issuer: me\n    jwksUri: ftp://keys.example.com/jwks  # IST0106\n    timeout: 0s  # IST0106\n"),
        // Metadata and Kubernetes Service
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: 9reviews  # IST0106\n  namespace: Default  # IST0106\n  labels:\n    \"-bad\": x  # IST0106\nspec:\n  ports:\n  - port: 0  # IST0106\n    name: http\n  - port: 80\n    name: http  # IST0106\n  - port: 80  # IST0106\n    name: http-2\n  - port: 81  # IST0106\n",
        istio("WorkloadGroup", "  metadata:\n    labels:\n      app: \"\(String(repeating: "x", count: 64))\"  # IST0106\n  template:\n    serviceAccount: sa\n"),
    ]

    @Test(arguments: badCases)
    func reportsEachBadValueAtItsLine(_ yaml: String) {
        let found = codesAndLines(lintYAML(yaml)).filter { $0.hasPrefix("IST0106") }
        #expect(found == Self.expected(yaml), "\(lintYAML(yaml).filter { $0.code.id == "IST0106" }.map { "\($0.mark.line) \($0.message)" })")
    }

    @Test func everyBadCaseMarksSomething() {
        for yaml in Self.badCases { #expect(!Self.expected(yaml).isEmpty, "\(yaml)") }
    }

    static let goodCases: [String] = [
        vs("  - match:\n    - uri:\n        regex: \"^/api/v[0-9]+\"\n      headers:\n        \"@request.auth.claims.group\":\n          exact: admin\n        x-present: {}\n      withoutHeaders:\n        x-skip:\n          regex: \"*\"\n    timeout: 1.5s\n    retries:\n      attempts: 3\n      perTryTimeout: 500ms\n      retryOn: 5xx,connect-failure,503\n    route:\n    - destination:\n        host: reviews\n        subset: v1\n      weight: 90\n    - destination:\n        host: reviews\n        subset: v2\n      weight: 30\n")
            .replacingOccurrences(of: "- reviews\n  http", with: "- reviews\n  gateways:\n  - istio-system/ingress\n  http"),
        vs("  - redirect:\n      uri: /new\n      redirectCode: 308\n  - directResponse:\n      status: 503\n      body:\n        string: down\n  - fault:\n      delay:\n        fixedDelay: 5s\n        percentage:\n          value: 0.5\n      abort:\n        grpcStatus: UNAVAILABLE\n    mirror:\n      host: shadow\n    mirrorPercentage:\n      value: 10\n    corsPolicy:\n      allowOrigins:\n      - exact: https://example.com\n      allowMethods: [GET, POST]\n      allowHeaders: [x-token, \"*\"]\n      maxAge: 24h\n    headers:\n      request:\n        set:\n          host: example.com\n          x-pct: \"100%% %HOSTNAME%\"\n    route:\n    - destination:\n        host: reviews.default.svc.cluster.local\n        port:\n          number: 9080\n"),
        istio("VirtualService", "  hosts:\n  - \"*\"\n  gateways:\n  - ingress\n  http:\n  - route:\n    - destination:\n        host: reviews\n"),
        istio("VirtualService", "  http:\n  - match:\n    - uri:\n        prefix: \"\"\n    route:\n    - destination:\n        host: reviews\n"),
        istio("VirtualService", "  hosts:\n  - \"*.example.com\"\n  gateways:\n  - mesh\n  tls:\n  - match:\n    - sniHosts:\n      - a.example.com\n      port: 443\n    route:\n    - destination:\n        host: a.example.com\n  tcp:\n  - match:\n    - destinationSubnets: [10.0.0.0/8, \"2001:db8::/32\"]\n    route:\n    - destination:\n        host: db\n"),
        istio("DestinationRule", "  host: reviews\n  exportTo: [\".\"]\n  trafficPolicy:\n    loadBalancer:\n      consistentHash:\n        httpCookie:\n          name: user\n          ttl: 0s\n    connectionPool:\n      tcp:\n        maxConnections: 100\n        connectTimeout: 30ms\n        idleTimeout: 0s\n      http:\n        h2UpgradePolicy: UPGRADE\n    outlierDetection:\n      interval: 1m\n      baseEjectionTime: 3m\n      maxEjectionPercent: 100\n    tls:\n      mode: MUTUAL\n      credentialName: client-cert\n    portLevelSettings:\n    - port:\n        number: 9080\n      loadBalancer:\n        simple: LEAST_REQUEST\n  subsets:\n  - name: v1\n    labels:\n      version: v1\n    trafficPolicy:\n      tls:\n        mode: ISTIO_MUTUAL\n"),
        istio("Gateway", "  selector:\n    istio: ingressgateway\n  servers:\n  - port:\n      number: 80\n      name: http\n      protocol: http\n    hosts:\n    - \"*/reviews.example.com\"\n    - \"./*.example.com\"\n    tls:\n      httpsRedirect: true\n  - port:\n      number: 443\n      name: https\n      protocol: HTTPS\n    hosts:\n    - \"*\"\n    - 10.0.0.1\n    tls:\n      mode: SIMPLE\n      credentialName: cert\n      minProtocolVersion: TLSV1_2\n  - port:\n      number: 15443\n      name: tls\n      protocol: TLS\n    hosts:\n    - \"*.local\"\n    tls:\n      mode: AUTO_PASSTHROUGH\n"),
        istio("ServiceEntry", "  hosts:\n  - api.example.com\n  - \"*.example.org\"\n  addresses: [240.0.0.1, 10.1.0.0/16]\n  location: MESH_EXTERNAL\n  resolution: STATIC\n  ports:\n  - number: 443\n    name: tls\n    protocol: tls\n  - number: 80\n    name: http\n    protocol: HTTP\n  endpoints:\n  - address: 10.1.0.5\n    ports:\n      http: 8080\n  - address: unix:///var/run/sock\n"),
        istio("ServiceEntry", "  hosts:\n  - db.example.com\n  resolution: DNS_ROUND_ROBIN\n  exportTo: [\"~\"]\n  ports:\n  - number: 5432\n    name: tcp\n    protocol: TCP\n"),
        istio("WorkloadEntry", "  address: vm1.example.com\n  weight: 0\n  ports:\n    http: 8080\n  labels:\n    app: reviews\n    example.com/tier: back_end.v1\n"),
        istio("Sidecar", "  workloadSelector:\n    labels:\n      app: reviews\n  outboundTrafficPolicy:\n    mode: REGISTRY_ONLY\n  ingress:\n  - port:\n      number: 9080\n      protocol: HTTP\n      name: http\n    defaultEndpoint: 127.0.0.1:8080\n    captureMode: IPTABLES\n  egress:\n  - port:\n      number: 0\n      protocol: HTTP\n    bind: unix:///var/run/egress.sock\n    captureMode: NONE\n    hosts:\n    - \"./*\"\n  - hosts:\n    - \"istio-system/*\"\n    - \"~/*.example.com\"\n    - \"*/*.foo.org\"\n"),
        security("PeerAuthentication", "  selector:\n    matchLabels:\n      app: reviews\n  mtls:\n    mode: STRICT\n  portLevelMtls:\n    8080:\n      mode: PERMISSIVE\n"),
        security("AuthorizationPolicy", "  action: CUSTOM\n  provider:\n    name: ext-authz\n  rules:\n  - to:\n    - operation:\n        paths: [/admin]\n        ports: [\"8080\"]\n  - from:\n    - source:\n        ipBlocks: [10.0.0.0/8, 192.168.1.1]\n    when:\n    - key: request.headers[x-id]\n      notValues: [\"\"]\n"),
        security("RequestAuthentication", "  targetRef:\n    kind: Gateway\n    group: gateway.networking.k8s.io\n    name: ingress\n  jwtRules:\n  - issuer: https://issuer.example.com\n    jwksUri: https://issuer.example.com:8443/jwks.json\n    timeout: 5s\n"),
    ]

    @Test(arguments: goodCases)
    func acceptsValidFields(_ yaml: String) {
        let found = lintYAML(yaml).filter { $0.code.id == "IST0106" }
        #expect(found.isEmpty, "\(found.map { "\($0.mark.line): \($0.message)" })")
    }

    @Test(arguments: [
        ("1.5s", Int64(1_500_000_000)), ("500ms", 500_000_000), ("1h30m", 5_400_000_000_000), ("0", 0), ("2us", 2_000), ("-1s", -1_000_000_000),
    ])
    func parsesGoDurations(_ text: String, _ nanoseconds: Int64) {
        #expect(Durations.nanoseconds(text) == nanoseconds)
    }

    @Test(arguments: ["", "10", "1.5", "s", "1x", "1 s", "1.s5", "--1s"])
    func rejectsNonDurations(_ text: String) {
        #expect(Durations.nanoseconds(text) == nil)
    }

    @Test(arguments: [("0s", true, nil), ("0s", false, "must be at least 1ms"), ("1500us", false, "ms precision"), ("1ms", false, nil)] as [(String, Bool, String?)])
    func durationRules(_ text: String, _ allowZero: Bool, _ fragment: String?) {
        let error = Durations.error(in: text, allowZero: allowZero)
        if let fragment { #expect(error?.contains(fragment) == true, "\(error ?? "nil")") } else { #expect(error == nil) }
    }

    @Test(arguments: [("reviews", true), ("*.example.com", true), ("*", true), ("a.*.com", false), ("foo.123", false),
                      ("example.com.", true), ("Bad.com", false), ("a..b", false), ("-a.com", false)])
    func wildcardDomains(_ host: String, _ valid: Bool) {
        #expect((Names.wildcardDomainError(host) == nil) == valid)
    }

    @Test(arguments: [("10.0.0.1", true), ("::1", true), ("10.0.0.0/8", true), ("2001:db8::/129", false), ("1.2.3.4/x", false),
                      ("256.0.0.1", false), ("host", false)])
    func ipSubnets(_ text: String, _ valid: Bool) {
        #expect((Names.ipSubnetError(text) == nil) == valid)
    }
}

/// The policy folder's examples: failing.yaml fires exactly its `# expect:` lines, passing.yaml nothing.
@Suite struct SchemaValidationPolicyExampleTests {
    static let folder = Repository.url("policies/IST0106-SchemaValidationError")

    @Test func failingExampleFiresOnlyItsExpectations() throws {
        let yaml = try String(contentsOf: Self.folder.appendingPathComponent("failing.yaml"), encoding: .utf8)
        let expected = yaml.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("# expect: ") else { return nil }
            let parts = line.dropFirst("# expect: ".count).split(separator: " ")
            return "\(parts[0])@\(parts[1])"
        }
        #expect(!expected.isEmpty)
        #expect(codesAndLines(lintYAML(yaml, file: "failing.yaml")) == expected)
    }

    @Test func passingExampleIsClean() throws {
        let yaml = try String(contentsOf: Self.folder.appendingPathComponent("passing.yaml"), encoding: .utf8)
        let found = lintYAML(yaml, file: "passing.yaml")
        #expect(found.isEmpty, "\(found.map { "\($0.code.id)@\($0.mark.line) \($0.message)" })")
    }
}
