import MeshDiagnostics

/// The annotations Istio knows, from istio/api `annotation/annotations.gen.go`
/// (`AllResourceAnnotations()`), with the kinds each one applies to.
package enum KnownAnnotations {
    /// Annotation name → the resource kinds Istio documents it for ("Any" for all).
    package static let table: [String: [String]] = [
        "alpha.istio.io/canonical-serviceaccounts": ["Service"],
        "alpha.istio.io/kubernetes-serviceaccounts": ["Service"],
        "ambient.istio.io/bypass-inbound-capture": ["Pod"],
        "ambient.istio.io/redirection": ["Pod"],
        "ambient.istio.io/waypoint-inbound-binding": ["GatewayClass", "Gateway"],
        "galley.istio.io/analyze-suppress": ["Any"],
        "gateway.istio.io/controller-version": ["Any"],
        "gateway.istio.io/name-override": ["Gateway"],
        "gateway.istio.io/service-account": ["Gateway"],
        "inject.istio.io/templates": ["Pod"],
        "install.operator.istio.io/chart-owner": ["Any"],
        "install.operator.istio.io/owner-generation": ["Any"],
        "install.operator.istio.io/version": ["Any"],
        "istio.io/autoRegistrationGroup": ["WorkloadEntry"],
        "istio.io/connectedAt": ["WorkloadEntry"],
        "istio.io/disconnectedAt": ["WorkloadEntry"],
        "istio.io/dry-run": ["AuthorizationPolicy"],
        "istio.io/rev": ["Pod"],
        "istio.io/workloadController": ["WorkloadEntry"],
        "kubernetes.io/ingress.class": ["Ingress"],
        "networking.istio.io/exportTo": ["Service"],
        "networking.istio.io/service-type": ["Gateway"],
        "networking.istio.io/traffic-distribution": ["Service", "ServiceEntry"],
        "prometheus.istio.io/merge-metrics": ["Pod"],
        "proxy.istio.io/config": ["Pod"],
        "proxy.istio.io/overrides": ["Pod"],
        "readiness.status.sidecar.istio.io/applicationPorts": ["Pod"],
        "readiness.status.sidecar.istio.io/failureThreshold": ["Pod"],
        "readiness.status.sidecar.istio.io/initialDelaySeconds": ["Pod"],
        "readiness.status.sidecar.istio.io/periodSeconds": ["Pod"],
        "sidecar.istio.io/agentLogLevel": ["Pod"],
        "sidecar.istio.io/bootstrapOverride": ["Pod"],
        "sidecar.istio.io/componentLogLevel": ["Pod"],
        "sidecar.istio.io/controlPlaneAuthPolicy": ["Pod"],
        "sidecar.istio.io/discoveryAddress": ["Pod"],
        "sidecar.istio.io/enableCoreDump": ["Pod"],
        "sidecar.istio.io/extraStatTags": ["Pod"],
        "sidecar.istio.io/inject": ["Pod"],
        "sidecar.istio.io/interceptionMode": ["Pod"],
        "sidecar.istio.io/logLevel": ["Pod"],
        "sidecar.istio.io/nativeSidecar": ["Pod"],
        "sidecar.istio.io/proxyCPU": ["Pod"],
        "sidecar.istio.io/proxyCPULimit": ["Pod"],
        "sidecar.istio.io/proxyImage": ["Pod"],
        "sidecar.istio.io/proxyImageType": ["Pod"],
        "sidecar.istio.io/proxyMemory": ["Pod"],
        "sidecar.istio.io/proxyMemoryLimit": ["Pod"],
        "sidecar.istio.io/rewriteAppHTTPProbers": ["Pod"],
        "sidecar.istio.io/statsHistogramBuckets": ["Pod"],
        "sidecar.istio.io/statsInclusionPrefixes": ["Pod"],
        "sidecar.istio.io/statsInclusionRegexps": ["Pod"],
        "sidecar.istio.io/statsInclusionSuffixes": ["Pod"],
        "sidecar.istio.io/status": ["Pod"],
        "sidecar.istio.io/userVolume": ["Pod"],
        "sidecar.istio.io/userVolumeMount": ["Pod"],
        "status.sidecar.istio.io/port": ["Pod"],
        "topology.istio.io/controlPlaneClusters": ["Namespace"],
        "traffic.istio.io/nodeSelector": ["Service"],
        "traffic.sidecar.istio.io/excludeInboundPorts": ["Pod"],
        "traffic.sidecar.istio.io/excludeInterfaces": ["Pod"],
        "traffic.sidecar.istio.io/excludeOutboundIPRanges": ["Pod"],
        "traffic.sidecar.istio.io/excludeOutboundPorts": ["Pod"],
        "traffic.sidecar.istio.io/includeInboundPorts": ["Pod"],
        "traffic.sidecar.istio.io/includeOutboundIPRanges": ["Pod"],
        "traffic.sidecar.istio.io/includeOutboundPorts": ["Pod"],
        "traffic.sidecar.istio.io/kubevirtInterfaces": ["Pod"],
    ]

    /// Names in order, for suggestions.
    package static let names: [String] = table.keys.sorted()

    /// Istio's `istioAnnotation`: the key's domain (before the `/`) ends in
    /// `istio.io`, or it is `kubernetes.io/ingress.class`, which Istio documents.
    package static func isIstioNamespaced(_ key: String) -> Bool {
        if key == "kubernetes.io/ingress.class" { return true }
        let domain = key.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return domain.hasSuffix("istio.io")
    }

    package static func isKnown(_ key: String) -> Bool { table[key] != nil }

    /// The known annotation closest to a misspelt one, when it is close enough to be a typo.
    package static func suggestion(for key: String) -> String? {
        let lower = key.lowercased()
        var best: (name: String, distance: Int)?
        for name in names {
            let distance = EditDistance.between(lower, name.lowercased())
            if distance <= max(2, name.count / 6), distance < (best?.distance ?? .max) { best = (name, distance) }
        }
        return best?.name
    }
}
