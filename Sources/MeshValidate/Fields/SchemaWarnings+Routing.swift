import MeshDiagnostics
import MeshModel

/// IST0133 SchemaWarning on VirtualServices, DestinationRules,
/// ServiceEntries and WorkloadEntries (see SchemaWarnings.swift).
extension FieldChecker {
    mutating func virtualServiceWarnings(_ spec: VirtualServiceSpec) {
        legacyGatewayNames(spec.gateways, "spec.gateways")
        for (i, rule) in spec.http.enumerated() {
            for (j, match) in rule.match.enumerated() { legacyGatewayNames(match.gateways, "spec.http[\(i)].match[\(j)].gateways") }
            if let percent = rule.mirrorPercent {
                warn(percent.mark, "spec.http[\(i)].mirrorPercent", "using deprecated setting \"mirrorPercent\", use \"mirrorPercentage\" instead",
                     hint: "write mirrorPercentage: {value: \(percent.value)}")
            }
            let body = rule.directResponse?.body
            let size = max(body?.string?.value.utf8.count ?? 0, body?.bytes?.value.utf8.count ?? 0)
            if size > 100 * 1024, size <= 1024 * 1024, let response = rule.directResponse {
                warn(response.mark, "spec.http[\(i)].directResponse.body", "large direct_responses may impact control plane performance",
                     hint: "keep direct responses under 100KB; serve large bodies from a backend")
            }
        }
        for (i, rule) in spec.tls.enumerated() {
            for (j, match) in rule.match.enumerated() {
                legacyGatewayNames(match.gateways, "spec.tls[\(i)].match[\(j)].gateways")
                for (s, sni) in match.sniHosts.enumerated() where Names.wildcardDomainError(sni.value) != nil && Names.isIPAddress(sni.value) {
                    warn(sni.mark, "spec.tls[\(i)].match[\(j)].sniHosts[\(s)]",
                         "using an IP address (\"\(sni.value)\") goes against SNI spec and most clients do not support this",
                         hint: "match a DNS name the clients send as SNI, or route by destinationSubnets")
                }
            }
        }
        for (i, rule) in spec.tcp.enumerated() {
            for (j, match) in rule.match.enumerated() { legacyGatewayNames(match.gateways, "spec.tcp[\(i)].match[\(j)].gateways") }
        }
    }

    /// `name.namespace` gateway references (no `/`), which Istio still reads.
    private mutating func legacyGatewayNames(_ names: [Located<String>], _ path: @autoclosure () -> String) {
        for (i, name) in names.enumerated() where !name.value.contains("/") && name.value.contains(".") {
            let parts = name.value.split(separator: ".", omittingEmptySubsequences: false)
            let recommended = "\(parts[1])/\(parts[0])"
            warn(name.mark, "\(path())[\(i)]",
                 "using legacy gatewayName format \"\(name.value)\"; prefer the <namespace>/<name> format: \"\(recommended)\"",
                 hint: "write \(recommended)")
        }
    }

    mutating func destinationRuleWarnings(_ spec: DestinationRuleSpec) {
        selectorWarning(spec.workloadSelector?.labels, path: "spec.workloadSelector")
        if let policy = spec.trafficPolicy { trafficPolicyWarnings(policy, "spec.trafficPolicy") }
        for (i, subset) in spec.subsets.enumerated() {
            if let policy = subset.trafficPolicy { trafficPolicyWarnings(policy, "spec.subsets[\(i)].trafficPolicy") }
        }
    }

    private mutating func trafficPolicyWarnings(_ policy: TrafficPolicy, _ path: @autoclosure () -> String) {
        outlierWarnings(policy.outlierDetection?.consecutiveErrors, path() + ".outlierDetection.consecutiveErrors")
        ringSizeWarnings(policy.loadBalancer?.consistentHash?.minimumRingSize, path() + ".loadBalancer.consistentHash.minimumRingSize")
        for (i, port) in policy.portLevelSettings.enumerated() {
            outlierWarnings(port.outlierDetection?.consecutiveErrors, "\(path()).portLevelSettings[\(i)].outlierDetection.consecutiveErrors")
            ringSizeWarnings(port.loadBalancer?.consistentHash?.minimumRingSize,
                             "\(path()).portLevelSettings[\(i)].loadBalancer.consistentHash.minimumRingSize")
        }
    }

    private mutating func outlierWarnings(_ errors: Located<Int>?, _ path: @autoclosure () -> String) {
        guard let errors, errors.value != 0 else { return }
        warn(errors.mark, path(), "outlier detection consecutive errors is deprecated, use consecutiveGatewayErrors or consecutive5xxErrors instead",
             hint: "write consecutive5xxErrors: \(errors.value)")
    }

    private mutating func ringSizeWarnings(_ size: Located<Int>?, _ path: @autoclosure () -> String) {
        guard let size, size.value != 0 else { return }
        warn(size.mark, path(), "consistent hash MinimumRingSize is deprecated, use ConsistentHashLB's RingHash configuration instead",
             hint: "write ringHash: {minimumRingSize: \(size.value)}")
    }

    mutating func serviceEntryWarnings(_ spec: ServiceEntrySpec) {
        if let labels = spec.workloadSelector?.labels, labels.isEmpty {
            warn(labels.mark, "spec.workloadSelector",
                 "service entry: workload selector specified without labels, will be applied to all services in namespace",
                 hint: "add labels to select the workloads that back the ServiceEntry")
        }
        let resolution = spec.resolution?.value ?? "NONE"
        if resolution == "NONE", let labels = spec.workloadSelector?.labels {
            warn(spec.resolution?.mark ?? labels.mark, "spec.workloadSelector", "workloadSelector should not be set when resolution mode is NONE",
                 hint: "use resolution STATIC to send traffic to the selected workloads, or remove workloadSelector")
        }
        if resolution == "STATIC" {
            for (i, endpoint) in spec.endpoints.enumerated() { workloadEntryWarnings(endpoint, "spec.endpoints[\(i)]") }
        }
    }

    /// A WorkloadEntry (or a STATIC ServiceEntry endpoint) without an address but with a network.
    mutating func workloadEntryWarnings(_ entry: WorkloadEntrySpec, _ path: @autoclosure () -> String) {
        guard (entry.address?.value ?? "").isEmpty, let network = entry.network, !network.value.isEmpty else { return }
        warn(entry.address?.mark ?? network.mark, path() + ".address", "address is unset with network \"\(network.value)\"",
             hint: "set the address, unless the endpoint is reached only through the network's gateway")
    }
}
