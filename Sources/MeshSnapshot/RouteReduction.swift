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

/// Finding a member in compact JSON bytes without parsing them.
enum JSONScan {
    /// The byte range of the value of `key` among the members of the object
    /// `bytes` holds (its own members, not nested ones); nil when absent or
    /// when `bytes` is not an object.
    static func member(_ key: String, inObject bytes: ArraySlice<UInt8>) -> Range<Int>? {
        var quoted = ""
        JSON.quote(key, into: &quoted)
        let pattern = Array((quoted + ":").utf8)
        guard bytes.first == UInt8(ascii: "{") else { return nil }
        var depth = 0
        var index = bytes.startIndex
        while index < bytes.endIndex {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                if depth == 1, bytes[index...].starts(with: pattern) {
                    let start = index + pattern.count
                    return valueEnd(bytes, from: start).map { start..<$0 }
                }
                guard let end = stringEnd(bytes, from: index) else { return nil }
                index = end
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            default: break
            }
            index += 1
        }
        return nil
    }

    /// Just past the string that starts at `start` (its opening quote).
    private static func stringEnd(_ bytes: ArraySlice<UInt8>, from start: Int) -> Int? {
        var index = start + 1
        while index < bytes.endIndex {
            switch bytes[index] {
            case UInt8(ascii: "\\"): index += 2
            case UInt8(ascii: "\""): return index + 1
            default: index += 1
            }
        }
        return nil
    }

    /// Just past the value that starts at `start`: a string, an array or an
    /// object (nested ones balanced), or a scalar up to the next `,` or `}`.
    private static func valueEnd(_ bytes: ArraySlice<UInt8>, from start: Int) -> Int? {
        guard start < bytes.endIndex else { return nil }
        var depth = 0
        var index = start
        while index < bytes.endIndex {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                guard let end = stringEnd(bytes, from: index) else { return nil }
                if depth == 0 { return end }
                index = end
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if depth == 0 { return index }
                depth -= 1
                if depth == 0 { return index + 1 }
            case UInt8(ascii: ","):
                if depth == 0 { return index }
            default: break
            }
            index += 1
        }
        return nil
    }
}
