import MeshDiagnostics
import MeshModel

/// Object metadata (names, namespaces, labels) as the Kubernetes API server
/// checks it, and the Kubernetes Service fields the mesh reads.
extension FieldChecker {
    mutating func metadata() {
        let meta = resource.metadata
        if let namespace = meta.namespace, !Names.isDNS1123Label(namespace.value) {
            fail(namespace.mark, "metadata.namespace", "namespace \"\(namespace.value)\" is not a valid DNS-1123 label",
                 hint: "use lower-case letters, digits and '-', at most 63 characters")
        }
        if let name = meta.name {
            switch resource.kind {
            case .gateway:
                break // Istio's own, stricter rule is in GatewayFields.swift.
            case .service:
                if !Names.isDNS1035Label(name.value) {
                    fail(name.mark, "metadata.name", "Service name \"\(name.value)\" is not a valid DNS-1035 label",
                         hint: "start with a letter; use lower-case letters, digits and '-', at most 63 characters")
                }
            case .namespace:
                if !Names.isDNS1123Label(name.value) {
                    fail(name.mark, "metadata.name", "Namespace name \"\(name.value)\" is not a valid DNS-1123 label",
                         hint: "use lower-case letters, digits and '-', at most 63 characters")
                }
            default:
                if !Names.isDNS1123Subdomain(name.value) {
                    fail(name.mark, "metadata.name", "name \"\(name.value)\" is not a valid DNS-1123 subdomain",
                         hint: "use lower-case letters, digits, '-' and '.', at most 253 characters")
                }
            }
        }
        labels(meta.labels, "metadata.labels")
    }

    mutating func service(_ spec: ServiceSpec) {
        var names: Set<String> = [], numbers: Set<String> = [] // filled only when there are ports to repeat
        let several = spec.ports.count > 1
        for (i, port) in spec.ports.enumerated() {
            func path() -> String { "spec.ports[\(i)]" }
            if let name = port.name {
                if !Names.isDNS1123Label(name.value) {
                    fail(name.mark, path() + ".name", "port name \"\(name.value)\" is not a valid DNS-1123 label",
                         hint: "use a name like http or grpc-api")
                }
                if several && !names.insert(name.value).inserted {
                    fail(name.mark, path() + ".name", "duplicate port name \"\(name.value)\"", hint: "give each port its own name")
                }
            } else if several {
                fail(port.mark, path() + ".name", "port name is required when a Service has more than one port",
                     hint: "add name: http-<purpose> (the prefix tells Istio the protocol)")
            }
            guard let number = port.port else {
                fail(port.mark, path() + ".port", "port is required", hint: "add port: 80")
                continue
            }
            self.port(number, path() + ".port")
            if several {
                let key = "\(number.value)/\(port.protocol?.value ?? "TCP")"
                if !numbers.insert(key).inserted {
                    fail(number.mark, path() + ".port", "duplicate port \(key)", hint: "list each port and protocol once")
                }
            }
            if case .int(let target)? = port.targetPort?.value, !(1...65535).contains(target), let mark = port.targetPort?.mark {
                fail(mark, path() + ".targetPort", "port number \(target) must be in the range 1..65535", hint: "use a port between 1 and 65535")
            }
        }
    }
}
