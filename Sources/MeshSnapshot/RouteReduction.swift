import MeshDiagnostics

/// A changed route configuration as `envoy --mode validate` gets it: its
/// hosts that are new or changed since the running version in full, every
/// other host as a stub of its name and domains, and the clusters the full
/// hosts name. The running version was validated and applied as a whole,
/// so what can go wrong is in the changed hosts, or between them and the
/// rest: names and domains must stay unique across the configuration, and
/// the stubs keep both checked. At 1,000 hosts naming 2,900 clusters this
/// is the difference between 2 s and 0.1 s of Envoy per push (BENCHMARKS.md).
struct RouteReduction {
    /// The configuration's bytes, `@type` included.
    let bytes: String
    /// The clusters what is validated names.
    let clusters: Set<String>

    /// The whole configuration (new, or nothing to reduce).
    init(whole route: EnvoyResource, clusters: Set<String>) {
        self.bytes = route.bytes
        self.clusters = clusters
    }

    /// `route` reduced against `running`, its version Envoy serves; nil when
    /// it cannot be (no host digests, a host that does not parse, or no stub
    /// to be had), and the whole configuration is validated.
    init?(_ route: EnvoyResource, since running: EnvoyResource) {
        guard let first = route.virtualHosts.first, let last = route.virtualHosts.last else { return nil }
        let before = Set(running.virtualHosts.map(\.key))
        let text = Array(route.bytes.utf8)
        guard last.range.upperBound <= text.count else { return nil }
        var out = Array(text[..<first.range.lowerBound])
        var clusters = Set<String>()
        for (index, host) in route.virtualHosts.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            let slice = text[host.range]
            if before.contains(host.key) {
                guard let domains = JSONScan.member("domains", inObject: slice) else { return nil }
                var stub = "{\"domains\":" + String(decoding: slice[domains], as: UTF8.self) + ",\"name\":"
                JSON.quote(host.name, into: &stub)
                out.append(contentsOf: (stub + "}").utf8)
            } else {
                guard let json = try? JSON.parse(String(decoding: slice, as: UTF8.self)) else { return nil }
                clusters.formUnion(References.clusters(in: json))
                out.append(contentsOf: slice)
            }
        }
        out.append(contentsOf: text[last.range.upperBound...])
        self.bytes = String(decoding: out, as: UTF8.self)
        self.clusters = clusters
    }
}
