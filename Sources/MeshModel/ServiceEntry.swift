import MeshDiagnostics

/// networking.istio.io ServiceEntry.
public struct ServiceEntrySpec: Sendable, ObjectDecodable {
    public static let fields: Set<String> = [
        "hosts", "addresses", "ports", "location", "resolution", "endpoints", "workloadSelector", "exportTo", "subjectAltNames",
    ]
    public var hosts: [Located<String>]
    public var addresses: [Located<String>]
    public var ports: [PortSpec]
    public var location: Located<String>?
    public var resolution: Located<String>?
    public var endpoints: [WorkloadEntrySpec]
    public var workloadSelector: WorkloadSelector?
    public var exportTo: [Located<String>]

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
public struct WorkloadEntrySpec: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["address", "ports", "labels", "network", "locality", "weight", "serviceAccount"]
    public var address: Located<String>?
    public var ports: [(key: Located<String>, value: Located<Int>)]
    public var labels: StringMap?
    public var network: Located<String>?
    public var locality: Located<String>?
    public var weight: Located<Int>?
    public var serviceAccount: Located<String>?
    public var mark: Mark

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
public struct WorkloadGroupSpec: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["metadata", "template", "probe"]
    public var labels: StringMap?
    public var template: WorkloadEntrySpec?

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
public struct SidecarSpec: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["workloadSelector", "ingress", "egress", "outboundTrafficPolicy", "inboundConnectionPool"]
    public var workloadSelector: WorkloadSelector?
    public var ingress: [SidecarIngressListener]
    public var egress: [SidecarEgressListener]
    public var outboundTrafficPolicyMode: Located<String>?

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
