import MeshDiagnostics

/// networking.istio.io ServiceEntry.
package final class ServiceEntrySpec: Sendable, ObjectDecodable {
    package static let fields: Set<String> = [
        "hosts", "addresses", "ports", "location", "resolution", "endpoints", "workloadSelector", "exportTo", "subjectAltNames",
    ]
    package let hosts: [Located<String>]
    package let addresses: [Located<String>]
    package let ports: [PortSpec]
    package let location: Located<String>?
    package let resolution: Located<String>?
    package let endpoints: [WorkloadEntrySpec]
    package let workloadSelector: WorkloadSelector?
    package let exportTo: [Located<String>]
    /// The names the servers' certificates must carry when a DestinationRule originating TLS to them names none.
    package let subjectAltNames: [Located<String>]

    package init(_ o: ObjectReader) {
        hosts = o.strings("hosts")
        addresses = o.strings("addresses")
        ports = o.list("ports")
        location = o.string("location")
        resolution = o.string("resolution")
        endpoints = o.list("endpoints")
        workloadSelector = o.object("workloadSelector")
        exportTo = o.strings("exportTo")
        subjectAltNames = o.strings("subjectAltNames")
    }
}

/// networking.istio.io WorkloadEntry (also a ServiceEntry endpoint).
package final class WorkloadEntrySpec: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["address", "ports", "labels", "network", "locality", "weight", "serviceAccount"]
    package let address: Located<String>?
    package let ports: [(key: Located<String>, value: Located<Int>)]
    package let labels: StringMap?
    package let network: Located<String>?
    package let locality: Located<String>?
    package let weight: Located<Int>?
    package let serviceAccount: Located<String>?
    package let mark: Mark

    package init(_ o: ObjectReader) {
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
package final class WorkloadGroupSpec: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["metadata", "template", "probe"]
    package let labels: StringMap?
    package let template: WorkloadEntrySpec?

    package init(_ o: ObjectReader) {
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
package final class SidecarSpec: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["workloadSelector", "ingress", "egress", "outboundTrafficPolicy", "inboundConnectionPool"]
    package let workloadSelector: WorkloadSelector?
    package let ingress: [SidecarIngressListener]
    package let egress: [SidecarEgressListener]
    package let outboundTrafficPolicyMode: Located<String>?
    /// Where `outboundTrafficPolicy.egressProxy` is written (Istio ignores it; IST0002).
    package let egressProxyMark: Mark?

    package init(_ o: ObjectReader) {
        workloadSelector = o.object("workloadSelector")
        ingress = o.list("ingress")
        egress = o.list("egress")
        let outbound = o.object("outboundTrafficPolicy", OutboundTrafficPolicy.self)
        outboundTrafficPolicyMode = outbound?.mode
        egressProxyMark = outbound?.egressProxyMark
        _ = o.object("inboundConnectionPool", ConnectionPoolSettings.self)
    }

    struct OutboundTrafficPolicy: ObjectDecodable {
        static let fields: Set<String> = ["mode", "egressProxy"]
        var mode: Located<String>?
        var egressProxyMark: Mark?
        init(_ o: ObjectReader) {
            mode = o.string("mode")
            egressProxyMark = o.object("egressProxy", Destination.self)?.mark
        }
    }
}

package struct SidecarIngressListener: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["port", "bind", "captureMode", "defaultEndpoint", "tls", "connectionPool"]
    package var port: PortSpec?
    package var bind: Located<String>?
    package var captureMode: Located<String>?
    package var defaultEndpoint: Located<String>?

    package init(_ o: ObjectReader) {
        port = o.object("port")
        bind = o.string("bind")
        captureMode = o.string("captureMode")
        defaultEndpoint = o.string("defaultEndpoint")
        _ = o.object("tls", ServerTLSSettings.self)
        _ = o.object("connectionPool", ConnectionPoolSettings.self)
    }
}

package struct SidecarEgressListener: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["port", "bind", "captureMode", "hosts"]
    package var port: PortSpec?
    package var bind: Located<String>?
    package var captureMode: Located<String>?
    package var hosts: [Located<String>]

    package init(_ o: ObjectReader) {
        port = o.object("port")
        bind = o.string("bind")
        captureMode = o.string("captureMode")
        hosts = o.strings("hosts")
    }
}
