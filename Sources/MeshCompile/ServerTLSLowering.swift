import MeshIR
import MeshModel

/// A Gateway server's TLS settings → downstream TLS termination with certificate files.
enum ServerTLSLowering {
    /// nil with a note when the server cannot be terminated from files (credentialName, ISTIO_MUTUAL, no certificate).
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
        guard let certificate = settings.serverCertificate?.value, let key = settings.privateKey?.value else {
            let why = settings.credentialName != nil ? "credentialName needs Kubernetes secrets, which meshc does not read"
                : "serverCertificate and privateKey are missing"
            state.note("the \(server.protocol) server on port \(server.port) is left out: \(why); give certificate file paths",
                       in: resource, at: settings.mark)
            return nil
        }
        let mutual = mode == "MUTUAL"
        if mutual, settings.caCertificates == nil {
            state.note("MUTUAL tls without caCertificates cannot verify clients; the server is left out", in: resource, at: settings.mark)
            return nil
        }
        return ServerTLS(certificateChain: certificate, privateKey: key, caCertificates: mutual ? settings.caCertificates?.value : nil,
                         requireClientCertificate: mutual, subjectAltNames: settings.subjectAltNames.map(\.value).sorted(),
                         alpn: server.protocol == "HTTPS" ? ["h2", "http/1.1"] : [])
    }

    /// SNI names for a server's hosts; `*` (any) gives none.
    static func serverNames(_ server: BoundServer) -> [String] {
        let names = Set(server.hosts.map(\.host))
        return names.contains("*") ? [] : names.sorted()
    }
}
