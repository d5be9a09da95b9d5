import MeshIR
import MeshModel

/// A Gateway server's TLS settings → downstream TLS termination with certificate files
/// (named in the listener, or for a credentialName in an SDS secret of that name).
enum ServerTLSLowering {
    /// nil with a note when the server cannot be terminated from files (ISTIO_MUTUAL, no certificate, an unresolved credentialName).
    static func tls(_ server: BoundServer, _ state: inout CompileState) -> ServerTLS? {
        let resource = server.gateway
        guard let settings = server.server.tls else {
            state.note("\(server.protocol) server on port \(server.port) has no tls settings; add tls.mode with serverCertificate and privateKey",
                       in: resource, at: server.server.mark)
            return nil
        }
        let mode = settings.mode?.value ?? "SIMPLE"
        guard mode == "SIMPLE" || mode == "MUTUAL" else {
            state.note("tls mode \(mode) is not built; use SIMPLE or MUTUAL with certificate files", in: resource, at: settings.mark)
            return nil
        }
        guard let files = certificateFiles(server, settings, &state) else { return nil }
        let mutual = mode == "MUTUAL"
        if mutual, files.caCertificates == nil {
            let fix = settings.credentialName != nil ? "annotate the Secret with \(SecretSpec.caFileAnnotation), or add a <name>-cacert Secret"
                : "set caCertificates"
            state.note("MUTUAL tls without a client CA cannot verify clients; the server is left out: \(fix)", in: resource, at: settings.mark)
            return nil
        }
        return ServerTLS(certificateChain: files.certificate, privateKey: files.key, caCertificates: mutual ? files.caCertificates : nil,
                         requireClientCertificate: mutual, subjectAltNames: settings.subjectAltNames.map(\.value).sorted(),
                         alpn: server.protocol == "HTTPS" ? ["h2", "http/1.1"] : [],
                         secret: settings.credentialName.map { "\(resource.namespace)/\($0.value)" })
    }

    /// The certificate, key and client CA files: from `serverCertificate`/`privateKey`/`caCertificates`,
    /// or from the Secret `credentialName` names (the Gateway's namespace) and its `<name>-cacert`.
    private static func certificateFiles(_ server: BoundServer, _ settings: ServerTLSSettings, _ state: inout CompileState)
        -> (certificate: String, key: String, caCertificates: String?)? {
        let resource = server.gateway
        guard let credential = settings.credentialName?.value else {
            guard let certificate = settings.serverCertificate?.value, let key = settings.privateKey?.value else {
                state.note("the \(server.protocol) server on port \(server.port) is left out: serverCertificate and privateKey are missing; "
                           + "give certificate file paths or a credentialName", in: resource, at: settings.mark)
                return nil
            }
            return (certificate, key, settings.caCertificates?.value)
        }
        let secrets = state.index.resources(of: .secret).filter { $0.namespace == resource.namespace }
        guard let secret = secrets.first(where: { $0.name == credential }), let pair = SecretSpec.certificateFiles(secret.metadata) else {
            state.note("the \(server.protocol) server on port \(server.port) is left out: credentialName \(credential) names no "
                       + "\(SecretSpec.tlsType) Secret with \(SecretSpec.certificateFilesAnnotation) in namespace \(resource.namespace); "
                       + "add one (files on the gateway host)", in: resource, at: settings.credentialName?.mark ?? settings.mark)
            return nil
        }
        // Istio's convention: the client CA in the credential itself, else in `<name>-cacert`.
        let caSecret = secrets.first { $0.name == credential + "-cacert" }
        let ca = SecretSpec.caFile(secret.metadata) ?? caSecret.flatMap { SecretSpec.caFile($0.metadata) } ?? settings.caCertificates?.value
        return (pair.certificate, pair.key, ca)
    }

    /// SNI names for a server's hosts; `*` (any) gives none.
    static func serverNames(_ server: BoundServer) -> [String] {
        let names = Set(server.hosts.map(\.host))
        return names.contains("*") ? [] : names.sorted()
    }
}
