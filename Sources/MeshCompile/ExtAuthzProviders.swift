import MeshIR
import MeshModel
import MeshValidate

/// The ext_authz services the repository's MeshConfig declares
/// (`extensionProviders[].envoyExtAuthzHttp`), by provider name, and the
/// clusters they need (recorded in `clusterKeys`, so traffic-policy builds
/// them like any service's). gRPC providers are validated, not built: a
/// CUSTOM policy naming one fails closed.
enum ExtAuthzProviders {
    static func collect(_ state: inout CompileState) {
        for resource in state.index.resources(of: .meshConfig) {
            guard case .meshConfig(let spec) = resource.body else { continue }
            for provider in spec.extensionProviders {
                guard let name = provider.name?.value, state.extAuthz[name] == nil, let http = provider.extAuthzHTTP,
                      let service = http.service?.value, let port = http.port?.value else { continue }
                let host = state.index.fqdn(service, namespace: resource.namespace)
                let key = ClusterKey(host: host, port: port, subset: nil)
                state.clusterKeys.insert(key)
                let body = http.includeRequestBodyInCheck.map {
                    (maxBytes: $0.maxRequestBytes?.value ?? 8192, allowPartial: $0.allowPartialMessage?.value ?? false,
                     packAsBytes: $0.packAsBytes?.value ?? false)
                }
                state.extAuthz[name] = ExtAuthzService(
                    name: name, cluster: key.name, uri: "http://\(host):\(port)",
                    timeoutMs: http.timeout.flatMap { GoDuration.milliseconds($0.value) } ?? 600_000,
                    pathPrefix: http.pathPrefix?.value, failOpen: http.failOpen?.value ?? false,
                    statusOnError: http.statusOnError.flatMap { Int($0.value) },
                    requestHeaders: http.includeRequestHeadersInCheck.map { $0.value.lowercased() },
                    additionalHeaders: http.includeAdditionalHeadersInCheck?.entries.map { ($0.key, $0.value.value) } ?? [],
                    headersToUpstreamOnAllow: http.headersToUpstreamOnAllow.map(\.value),
                    headersToDownstreamOnDeny: http.headersToDownstreamOnDeny.map(\.value),
                    headersToDownstreamOnAllow: http.headersToDownstreamOnAllow.map(\.value),
                    body: body)
            }
        }
    }
}
