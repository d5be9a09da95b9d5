import MeshDiagnostics
import MeshModel

/// Kubernetes namespaces Istio's analyzers leave alone (`util.IsSystemNamespace`).
package enum SystemNamespaces {
    package static let all: Set<String> = ["kube-system", "kube-public", "kube-node-lease", "local-path-storage"]

    package static func contains(_ namespace: String) -> Bool { all.contains(namespace) }
}

/// A Service port together with the Service that declares it and its index there.
package struct SelectingServicePort {
    package var service: Resource
    package var index: Int
    package var port: ServicePortSpec

    /// `default/reviews`.
    package var serviceName: String { "\(service.namespace)/\(service.name)" }

    /// The Service port number, or 0 when the manifest states none.
    package var number: Int { port.port?.value ?? 0 }

    /// `targetPort` as written, or the port number when absent or 0 (Kubernetes' default).
    package var targetPortText: String {
        switch port.targetPort?.value {
        case .int(let value) where value != 0: String(value)
        case .string(let name) where !name.isEmpty: name
        default: String(number)
        }
    }
}

extension MeshIndex {
    /// How many ports `services` declare together.
    package func portCount(of services: [Resource]) -> Int {
        services.reduce(0) { count, service in
            guard case .service(let spec) = service.body else { return count }
            return count + spec.ports.count
        }
    }

    /// Every port of `services`, in order.
    package func ports(of services: [Resource]) -> [SelectingServicePort] {
        services.flatMap { service -> [SelectingServicePort] in
            guard case .service(let spec) = service.body else { return [] }
            return spec.ports.enumerated().map { SelectingServicePort(service: service, index: $0.offset, port: $0.element) }
        }
    }
}

extension Resource {
    /// Where to point at the resource as a whole: its `metadata.name`, else the document.
    package var nameMark: Mark { metadata.name?.mark ?? mark }
}
