import MeshDiagnostics

/// networking.istio.io Gateway.
public struct GatewaySpec: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["selector", "servers"]
    public var selector: StringMap?
    public var servers: [GatewayServer]

    public init(_ o: ObjectReader) {
        selector = o.stringMap("selector")
        servers = o.list("servers")
    }
}

public struct GatewayServer: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["port", "bind", "hosts", "tls", "defaultEndpoint", "name"]
    public var port: PortSpec?
    public var bind: Located<String>?
    public var hosts: [Located<String>]
    public var tls: ServerTLSSettings?
    public var name: Located<String>?
    public var mark: Mark

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
public struct ServerTLSSettings: Sendable, ObjectDecodable {
    public static let fields: Set<String> = [
        "httpsRedirect", "mode", "serverCertificate", "privateKey", "caCertificates", "caCrl",
        "credentialName", "credentialNames", "tlsCertificates", "subjectAltNames", "verifyCertificateSpki",
        "verifyCertificateHash", "minProtocolVersion", "maxProtocolVersion", "cipherSuites",
    ]
    public var httpsRedirect: Located<Bool>?
    public var mode: Located<String>?
    public var serverCertificate: Located<String>?
    public var privateKey: Located<String>?
    public var caCertificates: Located<String>?
    public var credentialName: Located<String>?
    public var credentialNames: [Located<String>]
    public var subjectAltNames: [Located<String>]
    public var minProtocolVersion: Located<String>?
    public var maxProtocolVersion: Located<String>?
    public var cipherSuites: [Located<String>]
    public var mark: Mark

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
        mark = o.mark
    }
}
