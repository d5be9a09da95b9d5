import MeshDiagnostics
import MeshModel

/// meshc's MeshConfig: extension providers as Istio's mesh config validation checks them.
extension FieldChecker {
    mutating func meshConfig(_ spec: MeshConfigSpec) {
        enumValue(spec.accessLogEncoding, ["TEXT", "JSON"], "spec.accessLogEncoding", what: "access log encoding")
        var seen = Set<String>()
        for (i, provider) in spec.extensionProviders.enumerated() {
            let path = "spec.extensionProviders[\(i)]"
            guard let name = provider.name, !name.value.isEmpty else {
                fail(provider.mark, path + ".name", "an extension provider needs a name", hint: "add name:, the value AuthorizationPolicy provider.name uses")
                continue
            }
            if !seen.insert(name.value).inserted {
                fail(name.mark, path + ".name", "extension provider \"\(name.value)\" is declared twice", hint: "give each provider its own name")
            }
            if provider.kind == nil {
                fail(provider.mark, path, "extension provider \"\(name.value)\" names no provider kind",
                     hint: "add envoyExtAuthzHttp (or another Istio provider kind)")
            }
            if let http = provider.extAuthzHTTP {
                extAuthzService(http.service, http.port, path + ".envoyExtAuthzHttp", mark: http.mark)
                duration(http.timeout, path + ".envoyExtAuthzHttp.timeout")
                if let status = http.statusOnError, Int(status.value).map({ (100...599).contains($0) }) != true {
                    fail(status.mark, path + ".envoyExtAuthzHttp.statusOnError", "statusOnError \"\(status.value)\" is not an HTTP status",
                         hint: "use a status code like \"403\"")
                }
                if let prefix = http.pathPrefix, !prefix.value.hasPrefix("/") {
                    fail(prefix.mark, path + ".envoyExtAuthzHttp.pathPrefix", "pathPrefix must start with /", hint: "write it like /check")
                }
            }
            if let grpc = provider.extAuthzGRPC {
                extAuthzService(grpc.service, grpc.port, path + ".envoyExtAuthzGrpc", mark: grpc.mark)
            }
            telemetryProvider(provider, path)
        }
    }

    private mutating func extAuthzService(_ service: Located<String>?, _ port: Located<Int>?, _ path: String, mark: Mark) {
        providerService(service, port, path, mark: mark, named: "the authorization service", portOf: "the authorization service's",
                        hostOf: "the service's", host: "ext-authz.auth.svc.cluster.local", port: 8000)
    }

    /// A provider's `service` and `port` (ext_authz, tracing collectors): both required, the port in range.
    mutating func providerService(_ service: Located<String>?, _ port: Located<Int>?, _ path: String, mark: Mark,
                                  named: String, portOf: String, hostOf: String, host: String, port example: Int) {
        if (service?.value ?? "").isEmpty {
            fail(service?.mark ?? mark, path + ".service", "\(named) is missing", hint: "name \(hostOf) host, like \(host)")
        }
        if let port {
            self.port(port, path + ".port")
        } else {
            fail(mark, path + ".port", "\(portOf) port is missing", hint: "add port:, like \(example)")
        }
    }
}
