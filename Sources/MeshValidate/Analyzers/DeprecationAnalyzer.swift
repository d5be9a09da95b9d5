import MeshDiagnostics
import MeshModel

/// IST0002 Deprecated: an Istio field that istioctl's
/// `deprecation.FieldAnalyzer` reports, among those meshc decodes:
///
/// - a VirtualService `http[].fault.delay.percent` above 0, replaced by
///   `percentage` ("HTTPRoute.fault.delay.percent is deprecated; use
///   HTTPRoute.fault.delay.percentage");
/// - a Sidecar `outboundTrafficPolicy.egressProxy`, which Istio ignores
///   ("OutboundTrafficPolicy.EgressProxy ignored").
///
/// istioctl also reports the removed rbac.istio.io CRDs; meshc does not read
/// CustomResourceDefinitions (such kinds are MSH0004). Other deprecated fields
/// Istio's validation warns about are IST0133.
struct DeprecationAnalyzer: LocalAnalyzer {
    let codes = [Codes.deprecated]

    func analyze(_ resource: Resource, _ sink: inout DiagnosticSink) {
        switch resource.body {
        case .virtualService(let spec):
            for (i, rule) in spec.http.enumerated() {
                guard let percent = rule.fault?.delay?.percent, percent.value > 0 else { continue }
                sink.report(Codes.deprecated, resource, at: percent.mark, path: "spec.http[\(i)].fault.delay.percent",
                            "HTTPRoute.fault.delay.percent is deprecated; use HTTPRoute.fault.delay.percentage",
                            hint: "write percentage: {value: \(percent.value)} instead of percent: \(percent.value)")
            }
        case .sidecar(let spec):
            guard let mark = spec.egressProxyMark else { return }
            sink.report(Codes.deprecated, resource, at: mark, path: "spec.outboundTrafficPolicy.egressProxy",
                        "OutboundTrafficPolicy.EgressProxy ignored: Istio no longer sends unknown outbound traffic to an egress proxy",
                        hint: "remove egressProxy; route external hosts through an egress gateway with a ServiceEntry and VirtualService")
        default:
            return
        }
    }
}
