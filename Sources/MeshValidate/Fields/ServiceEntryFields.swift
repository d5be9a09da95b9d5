import MeshDiagnostics
import MeshModel

/// ServiceEntry, WorkloadEntry and WorkloadGroup (Istio's ValidateServiceEntry,
/// validateWorkloadEntry and ValidateWorkloadGroup).
extension FieldChecker {
    mutating func serviceEntry(_ spec: ServiceEntrySpec) {
        selectorLabels(spec.workloadSelector?.labels, "spec.workloadSelector.labels")
        if spec.workloadSelector != nil, let first = spec.endpoints.first {
            fail(first.mark, "spec.endpoints", "only one of WorkloadSelector or Endpoints is allowed in Service Entry",
                 hint: "remove endpoints or workloadSelector")
        }
        if spec.hosts.isEmpty {
            fail(specMark, "spec.hosts", "service entry must have at least one host", hint: "add hosts: [api.example.com]")
        }
        for (i, host) in spec.hosts.enumerated() {
            if host.value == "*" {
                fail(host.mark, "spec.hosts[\(i)]", "invalid host *", hint: "name the external hosts, or use a wildcard like *.example.com")
            } else if let error = Names.wildcardDomainError(host.value) {
                fail(host.mark, "spec.hosts[\(i)]", error, hint: "use a DNS name or a wildcard like *.example.com")
            }
        }
        enumValue(spec.location, ["MESH_EXTERNAL", "MESH_INTERNAL"], "spec.location", what: "location")
        enumValue(spec.resolution, ["NONE", "STATIC", "DNS", "DNS_ROUND_ROBIN"], "spec.resolution", what: "resolution")
        let resolution = spec.resolution?.value ?? "NONE"
        for (i, address) in spec.addresses.enumerated() {
            if let error = Names.ipSubnetError(address.value) {
                fail(address.mark, "spec.addresses[\(i)]", error, hint: "use an IP address or a CIDR block like 10.0.0.0/16")
            } else if address.value.contains("/") && resolution != "NONE" && resolution != "STATIC" {
                fail(address.mark, "spec.addresses[\(i)]", "CIDR addresses are allowed only for NONE/STATIC resolution types",
                     hint: "use a single IP, or resolution NONE or STATIC")
            }
        }
        var names: Set<String> = [], numbers: Set<Int> = []
        for (i, port) in spec.ports.enumerated() {
            func path() -> String { "spec.ports[\(i)]" }
            let name = port.name ?? Located("", at: port.mark)
            if !names.insert(name.value).inserted {
                fail(name.mark, path() + ".name", "service entry port name \"\(name.value)\" already defined", hint: "give each port its own name")
            }
            if !Names.isDNS1123Label(name.value) {
                fail(name.mark, path() + ".name", "invalid port name: \"\(name.value)\"", hint: "use a lower-case DNS label like http or tls-443")
            }
            let number = port.number ?? Located(0, at: port.mark)
            if !numbers.insert(number.value).inserted {
                fail(number.mark, path() + ".number", "service entry port \(number.value) already defined", hint: "list each port number once")
            }
            self.port(number, path() + ".number")
            if let target = port.targetPort, target.value != 0 { self.port(target, path() + ".targetPort") }
            if let proto = port.protocol, !Protocols.isKnown(proto.value) {
                fail(proto.mark, path() + ".protocol", "unsupported protocol: \(proto.value)", hint: Protocols.hint)
            }
        }
        serviceEntryEndpoints(spec, resolution: resolution, portNames: names)
        if resolution != "NONE" && spec.hosts.count > 1,
           let port = spec.ports.first(where: { !Protocols.isHTTP($0.protocol?.value ?? "") && !Protocols.isTLS($0.protocol?.value ?? "") }) {
            fail(port.protocol?.mark ?? port.mark, "spec.ports", "multiple hosts provided with non-HTTP, non-TLS ports",
                 hint: "split the hosts into one ServiceEntry each, or use resolution NONE")
        }
        exportTo(spec.exportTo, "spec.exportTo", serviceEntry: true)
    }

    private mutating func serviceEntryEndpoints(_ spec: ServiceEntrySpec, resolution: String, portNames: Set<String>) {
        switch resolution {
        case "NONE":
            if let first = spec.endpoints.first {
                fail(first.mark, "spec.endpoints", "no endpoints should be provided for resolution type none",
                     hint: "remove endpoints, or use resolution STATIC or DNS")
            }
        case "STATIC":
            for (i, endpoint) in spec.endpoints.enumerated() {
                workloadEntry(endpoint, "spec.endpoints[\(i)]", servicePorts: portNames, allowFQDN: false)
            }
        case "DNS", "DNS_ROUND_ROBIN":
            if spec.endpoints.isEmpty {
                for (i, host) in spec.hosts.enumerated() where host.value != "*" && Names.wildcardDomainError(host.value) == nil {
                    if Names.fqdnError(host.value) != nil {
                        fail(host.mark, "spec.hosts[\(i)]", "hosts must be FQDN if no endpoints are provided for resolution mode \(resolution)",
                             hint: "name the host without a wildcard, or add endpoints")
                    }
                }
            }
            if resolution == "DNS_ROUND_ROBIN" && spec.endpoints.count > 1 {
                fail(spec.endpoints[1].mark, "spec.endpoints", "there must only be 0 or 1 endpoint for resolution mode DNS_ROUND_ROBIN",
                     hint: "keep one endpoint, or use resolution DNS")
            }
            for (i, endpoint) in spec.endpoints.enumerated() {
                workloadEntry(endpoint, "spec.endpoints[\(i)]", servicePorts: portNames, allowFQDN: true)
            }
        default:
            break
        }
    }

    mutating func workloadEntry(_ spec: WorkloadEntrySpec) {
        workloadEntry(spec, "spec", servicePorts: nil, allowFQDN: true)
        nonNegative(spec.weight, "spec.weight", "weight")
    }

    /// Istio's validateWorkloadEntry (a WorkloadEntry, or a ServiceEntry endpoint).
    private mutating func workloadEntry(_ entry: WorkloadEntrySpec, _ path: @autoclosure () -> String, servicePorts: Set<String>?, allowFQDN: Bool) {
        let address = entry.address?.value ?? ""
        if address.isEmpty && (entry.network?.value ?? "").isEmpty {
            fail(entry.address?.mark ?? entry.mark, path() + ".address", "address is required",
                 hint: "set address to an IP, a DNS name or unix:///path")
        }
        if let located = entry.address, address.hasPrefix("unix://") {
            if let error = Names.unixAddressError(String(address.dropFirst(7))) {
                fail(located.mark, path() + ".address", error, hint: "use unix:///absolute/path")
            }
            if let first = entry.ports.first {
                fail(first.value.mark, path() + ".ports", "unix endpoint \(address) must not include ports", hint: "remove ports")
            }
        } else if let located = entry.address, !address.isEmpty, !Names.isIPAddress(address) {
            if !allowFQDN {
                fail(located.mark, path() + ".address", "endpoint address \"\(address)\" is not a valid IP address",
                     hint: "use an IP address with resolution STATIC, or resolution DNS for host names")
            } else if Names.fqdnError(address) != nil {
                fail(located.mark, path() + ".address", "endpoint address \"\(address)\" is not a valid FQDN or an IP address",
                     hint: "use an IP address or a DNS name")
            }
        }
        for (name, number) in entry.ports {
            func portPath() -> String { "\(path()).ports.\(name.value)" }
            if let servicePorts, !servicePorts.contains(name.value) {
                fail(name.mark, portPath(), "endpoint port \(name.value) is not defined by the service entry",
                     hint: "use a port name from spec.ports")
            }
            if !Names.isDNS1123Label(name.value) {
                fail(name.mark, portPath(), "invalid port name: \"\(name.value)\"", hint: "use a lower-case DNS label like http")
            }
            port(number, portPath())
        }
        labels(entry.labels, path() + ".labels")
    }

    mutating func workloadGroup(_ spec: WorkloadGroupSpec) {
        if spec.template == nil {
            fail(specMark, "spec.template", "template is required", hint: "add template with ports and serviceAccount")
        }
        labels(spec.labels, "spec.metadata.labels")
    }
}
