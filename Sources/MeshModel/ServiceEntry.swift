import MeshDiagnostics

/// networking.istio.io ServiceEntry.
public final class ServiceEntrySpec: Sendable, ObjectDecodable {
    public static let fields: Set<String> = [
        "hosts", "addresses", "ports", "location", "resolution", "endpoints", "workloadSelector", "exportTo", "subjectAltNames",
    ]
    public let hosts: [Located<String>]
    public let addresses: [Located<String>]
    public let ports: [PortSpec]
    public let location: Located<String>?
    public let resolution: Located<String>?
    public let endpoints: [WorkloadEntrySpec]
    public let workloadSelector: WorkloadSelector?
    public let exportTo: [Located<String>]

    public init(_ o: ObjectReader) {
        hosts = o.strings("hosts")
        addresses = o.strings("addresses")
        ports = o.list("ports")
        location = o.string("location")
        resolution = o.string("resolution")
        endpoints = o.list("endpoints")
        workloadSelector = o.object("workloadSelector")
        exportTo = o.strings("exportTo")
    }
}

/// networking.istio.io WorkloadEntry (also a ServiceEntry endpoint).
public final class WorkloadEntrySpec: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["address", "ports", "labels", "network", "locality", "weight", "serviceAccount"]
    public let address: Located<String>?
    public let ports: [(key: Located<String>, value: Located<Int>)]
    public let labels: StringMap?
    public let network: Located<String>?
    public let locality: Located<String>?
    public let weight: Located<Int>?
    public let serviceAccount: Located<String>?
    public let mark: Mark

    public init(_ o: ObjectReader) {
        address = o.string("address")
        ports = o.entries("ports") { node, context in Scalars.int(node, context) }
        labels = o.stringMap("labels")
        network = o.string("network")
        locality = o.string("locality")
        weight = o.int("weight")
        serviceAccount = o.string("serviceAccount")
        mark = o.mark
    }
}

/// networking.istio.io WorkloadGroup: a template for WorkloadEntries.
public final class WorkloadGroupSpec: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["metadata", "template", "probe"]
    public let labels: StringMap?
    public let template: WorkloadEntrySpec?

    public init(_ o: ObjectReader) {
        labels = o.object("metadata", GroupMetadata.self)?.labels
        template = o.object("template")
        _ = o.value("probe")
    }

    struct GroupMetadata: ObjectDecodable {
        static let fields: Set<String> = ["labels", "annotations"]
        var labels: StringMap?
        init(_ o: ObjectReader) {
            labels = o.stringMap("labels")
            _ = o.stringMap("annotations")
        }
    }
}

/// networking.istio.io Sidecar.
public final class SidecarSpec: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["workloadSelector", "ingress", "egress", "outboundTrafficPolicy", "inboundConnectionPool"]
    public let workloadSelector: WorkloadSelector?
    public let ingress: [SidecarIngressListener]
    public let egress: [SidecarEgressListener]
    public let outboundTrafficPolicyMode: Located<String>?

    public init(_ o: ObjectReader) {
        workloadSelector = o.object("workloadSelector")
        ingress = o.list("ingress")
        egress = o.list("egress")
        outboundTrafficPolicyMode = o.object("outboundTrafficPolicy", OutboundTrafficPolicy.self)?.mode
        _ = o.object("inboundConnectionPool", ConnectionPoolSettings.self)
    }

    struct OutboundTrafficPolicy: ObjectDecodable {
        static let fields: Set<String> = ["mode", "egressProxy"]
        var mode: Located<String>?
        init(_ o: ObjectReader) {
            mode = o.string("mode")
            _ = o.object("egressProxy", Destination.self)
        }
    }
}

public struct SidecarIngressListener: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["port", "bind", "captureMode", "defaultEndpoint", "tls", "connectionPool"]
    public var port: PortSpec?
    public var bind: Located<String>?
    public var captureMode: Located<String>?
    public var defaultEndpoint: Located<String>?

    public init(_ o: ObjectReader) {
        port = o.object("port")
        bind = o.string("bind")
        captureMode = o.string("captureMode")
        defaultEndpoint = o.string("defaultEndpoint")
        _ = o.object("tls", ServerTLSSettings.self)
        _ = o.object("connectionPool", ConnectionPoolSettings.self)
    }
}

public struct SidecarEgressListener: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["port", "bind", "captureMode", "hosts"]
    public var port: PortSpec?
    public var bind: Located<String>?
    public var captureMode: Located<String>?
    public var hosts: [Located<String>]

    public init(_ o: ObjectReader) {
        port = o.object("port")
        bind = o.string("bind")
        captureMode = o.string("captureMode")
        hosts = o.strings("hosts")
    }
}
