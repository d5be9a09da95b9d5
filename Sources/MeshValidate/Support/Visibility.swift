import MeshModel

/// `exportTo` visibility, as istioctl's analyzers read it: which namespaces
/// see a Service, ServiceEntry or VirtualService.
enum Visibility: Equatable {
    /// `*`, or nothing written: every namespace.
    case all
    /// The namespaces listed (`.` is the resource's own; `~` adds none).
    case namespaces(Set<String>)

    /// Service annotation that restricts where a Kubernetes Service is visible.
    static let serviceExportToAnnotation = "networking.istio.io/exportTo"

    /// Visibility of `exportTo` entries written in `namespace`.
    init(_ exportTo: [String], namespace: String) {
        if exportTo.isEmpty || exportTo.contains("*") {
            self = .all
        } else {
            self = .namespaces(Set(exportTo.compactMap { $0 == "." ? namespace : $0 == "~" ? nil : $0 }))
        }
    }

    /// Where a destination target is visible: a ServiceEntry's `exportTo`, a
    /// Service's `networking.istio.io/exportTo` annotation (comma-separated).
    init(of target: ServiceTarget) {
        switch target {
        case .service(let resource, _):
            let written = resource.metadata.annotations[Self.serviceExportToAnnotation] ?? ""
            let entries = written.split(separator: ",").map { String($0.filter { $0 != " " && $0 != "\t" }) }.filter { !$0.isEmpty }
            self.init(entries, namespace: resource.namespace)
        case .serviceEntry(let resource, let spec):
            self.init(spec.exportTo.map(\.value), namespace: resource.namespace)
        case .implicitIngress:
            self = .all
        }
    }

    /// True when both are visible in some namespace.
    func overlaps(_ other: Visibility) -> Bool {
        switch (self, other) {
        case (.namespaces(let a), .namespaces(let b)): !a.isDisjoint(with: b)
        default: true
        }
    }

    /// The namespaces listed, sorted (empty for `.all`), for messages.
    var names: [String] {
        if case .namespaces(let set) = self { return set.sorted() }
        return []
    }
}

extension Visibility {
    /// The namespaces a VirtualService's destinations must be visible in, as
    /// istioctl's `GetDestinationHost` looks them up: its own namespace, or,
    /// when it has `exportTo`, each namespace listed (`.` its own; `*` is no
    /// namespace, so only targets visible everywhere are found for it).
    static func viewer(of spec: VirtualServiceSpec, namespace: String) -> Visibility {
        guard !spec.exportTo.isEmpty else { return .namespaces([namespace]) }
        return .namespaces(Set(spec.exportTo.map { $0.value == "." ? namespace : $0.value }))
    }
}

extension MeshIndex {
    /// The Service or ServiceEntry providing a destination's host that `viewer`
    /// can see, in `ServiceTable.target` order; nil when none is visible.
    func visibleTarget(_ destination: ResolvedDestination, from viewer: Visibility) -> ServiceTarget? {
        guard let first = destination.target else { return nil }
        if Visibility(of: first).overlaps(viewer) { return first }
        var candidates: [ServiceTarget] = []
        if let index = serviceTable.serviceIndex(forHost: destination.hostID) {
            candidates.append(.service(serviceTable.services[index].resource, serviceTable.services[index].spec))
        }
        for entry in serviceEntries where entry.spec.hosts.contains(where: { fqdn($0.value, namespace: entry.resource.namespace) == destination.fqdn }) {
            candidates.append(.serviceEntry(entry.resource, entry.spec))
        }
        if destination.hostID == serviceTable.implicitIngressID { candidates.append(.implicitIngress) }
        for entry in serviceEntries where entry.spec.hosts.contains(where: { $0.value.hasPrefix("*") && Hosts.covers($0.value, destination.fqdn) }) {
            candidates.append(.serviceEntry(entry.resource, entry.spec))
        }
        return candidates.first { Visibility(of: $0).overlaps(viewer) }
    }
}
