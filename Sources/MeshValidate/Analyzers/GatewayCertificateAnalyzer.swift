import MeshDiagnostics
import MeshModel

/// IST0138: two Gateways on the same gateway workload serve the same
/// certificate. Envoy builds one filter chain per certificate, so the second
/// Gateway's hosts end up behind the first one's chain (404s, or the wrong
/// routes for HTTP/2 connection reuse).
///
/// istioctl's `gateway.CertificateAnalyzer`: a Gateway is compared with every
/// other Gateway whose selector contains all of its selector's labels (an
/// empty selector takes them all); two servers share a certificate when both
/// name the same `credentialName`, or neither names one and both name the same
/// `serverCertificate` and `privateKey`. Reported on the Gateway, once per
/// server, at the certificate field.
struct GatewayCertificateAnalyzer: Analyzer {
    let codes = [Codes.gatewayDuplicateCertificate]
    let reads: Set<ResourceKind>? = [.gateway]

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        let gateways = mesh.gateways
        for (index, (resource, spec)) in gateways.enumerated() {
            let selector = spec.selector?.dictionary ?? [:]
            let others = gateways.indices.filter { other in
                other != index && selector.allSatisfy { gateways[other].1.selector?[$0.key] == $0.value }
            }
            for (serverIndex, server) in spec.servers.enumerated() {
                guard let tls = server.tls else { continue }
                let sharing = others.filter { other in
                    gateways[other].1.servers.contains { $0.tls.map { sameCertificate(tls, $0) } ?? false }
                }
                guard !sharing.isEmpty else { continue }
                let names = sharing.map { "\(gateways[$0].0.namespace)/\(gateways[$0].0.name)" }.joined(separator: ", ")
                let (mark, field) = tls.credentialName.map { ($0.mark, "credentialName") }
                    ?? (tls.serverCertificate?.mark ?? tls.mark, "serverCertificate")
                sink.report(Codes.gatewayDuplicateCertificate, resource, at: mark, path: "spec.servers[\(serverIndex)].tls.\(field)",
                            "the same certificate is used by Gateway \(names) on the same gateway workload",
                            hint: "serve hosts that share a certificate from one Gateway server, or give each Gateway its own certificate")
            }
        }
    }

    private func sameCertificate(_ a: ServerTLSSettings, _ b: ServerTLSSettings) -> Bool {
        let credentialA = a.credentialName?.value ?? "", credentialB = b.credentialName?.value ?? ""
        if !credentialA.isEmpty, !credentialB.isEmpty { return credentialA == credentialB }
        guard credentialA.isEmpty, credentialB.isEmpty else { return false }
        guard let certA = a.serverCertificate?.value, !certA.isEmpty, certA == b.serverCertificate?.value else { return false }
        guard let keyA = a.privateKey?.value, !keyA.isEmpty, let keyB = b.privateKey?.value, !keyB.isEmpty else { return false }
        return keyA == keyB
    }
}
