import MeshDiagnostics

/// networking.istio.io Gateway.
public final class GatewaySpec: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["selector", "servers"]
    public let selector: StringMap?
    public let servers: [GatewayServer]

    public init(_ o: ObjectReader) {
        selector = o.stringMap("selector")
        servers = o.list("servers")
    }
}

public final class GatewayServer: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["port", "bind", "hosts", "tls", "defaultEndpoint", "name"]
    public let port: PortSpec?
    public let bind: Located<String>?
    public let hosts: [Located<String>]
    public let tls: ServerTLSSettings?
    public let name: Located<String>?
    public let mark: Mark

    public init(_ o: ObjectReader) {
        port = o.object("port")
        bind = o.string("bind")
        hosts = o.strings("hosts")
        tls = o.object("tls")
        name = o.string("name")
        mark = o.mark
    }
}

/// Istio's `Port` and `ServicePort`: number, protocol, name.
public struct PortSpec: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["number", "protocol", "name", "targetPort"]
    public var number: Located<Int>?
    public var `protocol`: Located<String>?
    public var name: Located<String>?
    public var targetPort: Located<Int>?
    public var mark: Mark

    public init(_ o: ObjectReader) {
        number = o.int("number")
        `protocol` = o.string("protocol")
        name = o.string("name")
        targetPort = o.int("targetPort")
        mark = o.mark
    }
}

/// A Gateway server's TLS settings.
public final class ServerTLSSettings: Sendable, ObjectDecodable {
    public static let fields: Set<String> = [
        "httpsRedirect", "mode", "serverCertificate", "privateKey", "caCertificates", "caCrl",
        "credentialName", "credentialNames", "tlsCertificates", "subjectAltNames", "verifyCertificateSpki",
        "verifyCertificateHash", "minProtocolVersion", "maxProtocolVersion", "cipherSuites",
    ]
    public let httpsRedirect: Located<Bool>?
    public let mode: Located<String>?
    public let serverCertificate: Located<String>?
    public let privateKey: Located<String>?
    public let caCertificates: Located<String>?
    public let credentialName: Located<String>?
    public let credentialNames: [Located<String>]
    public let subjectAltNames: [Located<String>]
    public let minProtocolVersion: Located<String>?
    public let maxProtocolVersion: Located<String>?
    public let cipherSuites: [Located<String>]
    /// How many `tlsCertificates` entries are written (they are not decoded further).
    public let tlsCertificateCount: Int
    public let mark: Mark

    public init(_ o: ObjectReader) {
        httpsRedirect = o.bool("httpsRedirect")
        mode = o.string("mode")
        serverCertificate = o.string("serverCertificate")
        privateKey = o.string("privateKey")
        caCertificates = o.string("caCertificates")
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
