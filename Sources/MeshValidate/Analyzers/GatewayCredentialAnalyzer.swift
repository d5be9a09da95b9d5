import MeshDiagnostics
import MeshModel

/// IST0161 InvalidGatewayCredential: a Gateway server's `credentialName`
/// names a Secret that exists but cannot serve as the server's credential,
/// so the gateway cannot terminate TLS there (meshc build leaves the server
/// out; Istio's gateway has no certificate for it).
///
/// istioctl's `gateway.SecretAnalyzer` checks that the Secret holds a
/// certificate and key and that the certificate parses and has not expired.
/// meshc keeps key material out of git: a credential Secret names the files
/// on the gateway host (`meshc.dev/certificate-files`, see `SecretSpec`), so
/// lint checks what the repository can show:
///
/// - a SIMPLE, MUTUAL or OPTIONAL_MUTUAL server's Secret names a certificate
///   and a key (a `kubernetes.io/tls` Secret without them is also IST0106 on
///   the Secret);
/// - a MUTUAL or OPTIONAL_MUTUAL server has a client CA: the Secret's
///   `meshc.dev/ca-certificate-file`, the `<credentialName>-cacert` Secret's,
///   or the server's `caCertificates`.
///
/// Whether the files parse and when the certificate expires can only be seen
/// where the files are; lint never reads files a manifest names. The Secret is
/// looked up in the Gateway's namespace, as meshc build does (Istio looks in
/// the gateway workload's); a missing Secret is not reported here.
struct GatewayCredentialAnalyzer: Analyzer {
    let codes = [Codes.invalidGatewayCredential]
    let reads: Set<ResourceKind>? = [.gateway, .secret]

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        let secrets = mesh.resources(of: .secret)
        guard !secrets.isEmpty else { return }
        var byKey: [String: Resource] = [:]
        for secret in secrets { byKey["\(secret.namespace)/\(secret.name)"] = secret }
        for (resource, spec) in mesh.gateways {
            for (index, server) in spec.servers.enumerated() {
                guard let tls = server.tls, let credential = tls.credentialName, !credential.value.isEmpty,
                      let secret = byKey["\(resource.namespace)/\(credential.value)"] else { continue }
                let mode = tls.mode?.value ?? "PASSTHROUGH"
                guard ["SIMPLE", "MUTUAL", "OPTIONAL_MUTUAL"].contains(mode) else { continue }
                guard let problem = problem(secret, mode: mode, tls, byKey) else { continue }
                let port = server.port?.number.map { " on port \($0.value)" } ?? ""
                sink.report(Codes.invalidGatewayCredential, resource, at: credential.mark, path: "spec.servers[\(index)].tls.credentialName",
                            "the credential referenced by Gateway \(resource.name) in namespace \(resource.namespace) is invalid: "
                                + "Secret \(secret.namespace)/\(secret.name) \(problem.what), so the gateway cannot serve \(mode) TLS\(port)",
                            hint: problem.fix)
            }
        }
    }

    private func problem(_ secret: Resource, mode: String, _ tls: ServerTLSSettings, _ secrets: [String: Resource])
        -> (what: String, fix: String)? {
        let files = SecretSpec.certificateFilesAnnotation
        guard SecretSpec.certificateFiles(secret.metadata) != nil else {
            return ("names no certificate and key", "make it a \(SecretSpec.tlsType) Secret with \(files): "
                + "<certificate chain path>,<private key path> (files on the gateway host), or name the Secret that has them")
        }
        guard mode != "SIMPLE" else { return nil }
        let caSecret = secrets["\(secret.namespace)/\(secret.name)-cacert"]
        let ca = SecretSpec.caFile(secret.metadata) ?? caSecret.flatMap { SecretSpec.caFile($0.metadata) } ?? tls.caCertificates?.value
        guard ca == nil else { return nil }
        return ("names no client CA for \(mode)", "annotate the Secret with \(SecretSpec.caFileAnnotation): <CA bundle path>, "
            + "or add a \(secret.name)-cacert Secret with it")
    }
}
