import MeshDiagnostics

/// The annotations Istio knows, from istio/api `annotation/annotations.gen.go`
/// (`AllResourceAnnotations()`), with the kinds each one applies to, its
/// feature status and whether it is deprecated. The `install.operator.istio.io`
/// and `sidecar.istio.io/controlPlaneAuthPolicy` entries come from earlier
/// releases (Alpha; the latter deprecated), still known so as not to call them typos.
package enum KnownAnnotations {
    /// Istio's `annotation.FeatureStatus`.
    package enum FeatureStatus: String, Sendable {
        case alpha = "Alpha", beta = "Beta", stable = "Stable"
    }

    /// What Istio says about one annotation (`annotation.Instance`).
    package struct Definition: Sendable {
        /// The resource kinds Istio documents it for ("Any" for all), in Istio's order.
        package var resources: [String]
        package var status: FeatureStatus
        package var deprecated: Bool

        init(_ resources: [String], _ status: FeatureStatus, deprecated: Bool = false) {
            self.resources = resources
            self.status = status
            self.deprecated = deprecated
        }

        /// Whether the annotation has a meaning on a resource of `kind` ("Any" fits every kind).
        package func applies(to kind: String) -> Bool {
            resources.contains("Any") || resources.contains(kind)
        }
    }

    /// Annotation name → its definition.
    package static let table: [String: Definition] = [
        "alpha.istio.io/canonical-serviceaccounts": Definition(["Service"], .alpha, deprecated: true),
        "alpha.istio.io/kubernetes-serviceaccounts": Definition(["Service"], .alpha, deprecated: true),
        "ambient.istio.io/bypass-inbound-capture": Definition(["Pod"], .alpha),
        "ambient.istio.io/redirection": Definition(["Pod"], .beta),
        "ambient.istio.io/waypoint-inbound-binding": Definition(["GatewayClass", "Gateway"], .alpha),
        "galley.istio.io/analyze-suppress": Definition(["Any"], .alpha),
        "gateway.istio.io/controller-version": Definition(["Any"], .alpha),
        "gateway.istio.io/name-override": Definition(["Gateway"], .alpha),
        "gateway.istio.io/service-account": Definition(["Gateway"], .alpha),
        "inject.istio.io/templates": Definition(["Pod"], .alpha),
        "install.operator.istio.io/chart-owner": Definition(["Any"], .alpha),
        "install.operator.istio.io/owner-generation": Definition(["Any"], .alpha),
        "install.operator.istio.io/version": Definition(["Any"], .alpha),
        "istio.io/autoRegistrationGroup": Definition(["WorkloadEntry"], .alpha),
        "istio.io/connectedAt": Definition(["WorkloadEntry"], .alpha),
        "istio.io/disconnectedAt": Definition(["WorkloadEntry"], .alpha),
        "istio.io/dry-run": Definition(["AuthorizationPolicy"], .alpha),
        "istio.io/rev": Definition(["Pod"], .alpha),
        "istio.io/workloadController": Definition(["WorkloadEntry"], .alpha),
        "kubernetes.io/ingress.class": Definition(["Ingress"], .stable),
        "networking.istio.io/exportTo": Definition(["Service"], .alpha),
        "networking.istio.io/service-type": Definition(["Gateway"], .alpha),
        "networking.istio.io/traffic-distribution": Definition(["Service", "ServiceEntry"], .alpha),
        "prometheus.istio.io/merge-metrics": Definition(["Pod"], .alpha),
        "proxy.istio.io/config": Definition(["Pod"], .beta),
        "proxy.istio.io/overrides": Definition(["Pod"], .alpha),
        "readiness.status.sidecar.istio.io/applicationPorts": Definition(["Pod"], .alpha),
        "readiness.status.sidecar.istio.io/failureThreshold": Definition(["Pod"], .alpha),
        "readiness.status.sidecar.istio.io/initialDelaySeconds": Definition(["Pod"], .alpha),
        "readiness.status.sidecar.istio.io/periodSeconds": Definition(["Pod"], .alpha),
        "sidecar.istio.io/agentLogLevel": Definition(["Pod"], .alpha),
        "sidecar.istio.io/bootstrapOverride": Definition(["Pod"], .alpha),
        "sidecar.istio.io/componentLogLevel": Definition(["Pod"], .alpha),
        "sidecar.istio.io/controlPlaneAuthPolicy": Definition(["Pod"], .alpha, deprecated: true),
        "sidecar.istio.io/discoveryAddress": Definition(["Pod"], .alpha, deprecated: true),
        "sidecar.istio.io/enableCoreDump": Definition(["Pod"], .alpha),
        "sidecar.istio.io/extraStatTags": Definition(["Pod"], .alpha, deprecated: true),
        "sidecar.istio.io/inject": Definition(["Pod"], .beta, deprecated: true),
        "sidecar.istio.io/interceptionMode": Definition(["Pod"], .alpha),
        "sidecar.istio.io/logLevel": Definition(["Pod"], .alpha),
        "sidecar.istio.io/nativeSidecar": Definition(["Pod"], .alpha),
        "sidecar.istio.io/proxyCPU": Definition(["Pod"], .alpha),
        "sidecar.istio.io/proxyCPULimit": Definition(["Pod"], .alpha),
        "sidecar.istio.io/proxyImage": Definition(["Pod"], .alpha),
        "sidecar.istio.io/proxyImageType": Definition(["Pod"], .alpha),
        "sidecar.istio.io/proxyMemory": Definition(["Pod"], .alpha),
        "sidecar.istio.io/proxyMemoryLimit": Definition(["Pod"], .alpha),
        "sidecar.istio.io/rewriteAppHTTPProbers": Definition(["Pod"], .alpha),
        "sidecar.istio.io/statsHistogramBuckets": Definition(["Pod"], .alpha),
        "sidecar.istio.io/statsInclusionPrefixes": Definition(["Pod"], .alpha, deprecated: true),
        "sidecar.istio.io/statsInclusionRegexps": Definition(["Pod"], .alpha, deprecated: true),
        "sidecar.istio.io/statsInclusionSuffixes": Definition(["Pod"], .alpha, deprecated: true),
        "sidecar.istio.io/status": Definition(["Pod"], .alpha),
        "sidecar.istio.io/userVolume": Definition(["Pod"], .alpha),
        "sidecar.istio.io/userVolumeMount": Definition(["Pod"], .alpha),
        "status.sidecar.istio.io/port": Definition(["Pod"], .alpha),
        "topology.istio.io/controlPlaneClusters": Definition(["Namespace"], .alpha),
        "traffic.istio.io/nodeSelector": Definition(["Service"], .stable),
        "traffic.sidecar.istio.io/excludeInboundPorts": Definition(["Pod"], .alpha),
        "traffic.sidecar.istio.io/excludeInterfaces": Definition(["Pod"], .alpha),
        "traffic.sidecar.istio.io/excludeOutboundIPRanges": Definition(["Pod"], .alpha),
        "traffic.sidecar.istio.io/excludeOutboundPorts": Definition(["Pod"], .alpha),
        "traffic.sidecar.istio.io/includeInboundPorts": Definition(["Pod"], .alpha),
        "traffic.sidecar.istio.io/includeOutboundIPRanges": Definition(["Pod"], .alpha),
        "traffic.sidecar.istio.io/includeOutboundPorts": Definition(["Pod"], .alpha),
        "traffic.sidecar.istio.io/kubevirtInterfaces": Definition(["Pod"], .alpha),
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

    /// The definition of a known annotation.
    package static func definition(_ key: String) -> Definition? { table[key] }

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
