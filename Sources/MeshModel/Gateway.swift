import MeshDiagnostics

/// networking.istio.io Gateway.
package final class GatewaySpec: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["selector", "servers"]
    package let selector: StringMap?
    package let servers: [GatewayServer]

    package init(_ o: ObjectReader) {
        selector = o.stringMap("selector")
        servers = o.list("servers")
    }
}

package final class GatewayServer: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["port", "bind", "hosts", "tls", "defaultEndpoint", "name"]
    package let port: PortSpec?
    package let bind: Located<String>?
    package let hosts: [Located<String>]
    package let tls: ServerTLSSettings?
    package let name: Located<String>?
    package let mark: Mark

    package init(_ o: ObjectReader) {
        port = o.object("port")
        bind = o.string("bind")
        hosts = o.strings("hosts")
        tls = o.object("tls")
        name = o.string("name")
        mark = o.mark
    }
}

/// Istio's `Port` and `ServicePort`: number, protocol, name.
package struct PortSpec: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["number", "protocol", "name", "targetPort"]
    package var number: Located<Int>?
    package var `protocol`: Located<String>?
    package var name: Located<String>?
    package var targetPort: Located<Int>?
    package var mark: Mark

    package init(_ o: ObjectReader) {
        number = o.int("number")
        `protocol` = o.string("protocol")
        name = o.string("name")
        targetPort = o.int("targetPort")
        mark = o.mark
    }
}

/// A Gateway server's TLS settings.
package final class ServerTLSSettings: Sendable, ObjectDecodable {
    package static let fields: Set<String> = [
        "httpsRedirect", "mode", "serverCertificate", "privateKey", "caCertificates", "caCertCredentialName", "caCrl",
        "credentialName", "credentialNames", "tlsCertificates", "subjectAltNames", "verifyCertificateSpki",
        "verifyCertificateHash", "minProtocolVersion", "maxProtocolVersion", "cipherSuites",
    ]
    package let httpsRedirect: Located<Bool>?
    package let mode: Located<String>?
    package let serverCertificate: Located<String>?
    package let privateKey: Located<String>?
    package let caCertificates: Located<String>?
    /// Istio 1.28: the Secret or ConfigMap holding the CA certificates for MUTUAL (read, not built).
    package let caCertCredentialName: Located<String>?
    package let credentialName: Located<String>?
    package let credentialNames: [Located<String>]
    package let subjectAltNames: [Located<String>]
    package let minProtocolVersion: Located<String>?
    package let maxProtocolVersion: Located<String>?
    package let cipherSuites: [Located<String>]
    /// How many `tlsCertificates` entries are written (they are not decoded further).
    package let tlsCertificateCount: Int
    package let mark: Mark

    package init(_ o: ObjectReader) {
        httpsRedirect = o.bool("httpsRedirect")
        mode = o.string("mode")
        serverCertificate = o.string("serverCertificate")
        privateKey = o.string("privateKey")
        caCertificates = o.string("caCertificates")
        caCertCredentialName = o.string("caCertCredentialName")
        credentialName = o.string("credentialName")
        credentialNames = o.strings("credentialNames")
        subjectAltNames = o.strings("subjectAltNames")
        minProtocolVersion = o.string("minProtocolVersion")
        maxProtocolVersion = o.string("maxProtocolVersion")
        cipherSuites = o.strings("cipherSuites")
        tlsCertificateCount = o.value("tlsCertificates")?.items?.count ?? 0
        mark = o.mark
    }
}
