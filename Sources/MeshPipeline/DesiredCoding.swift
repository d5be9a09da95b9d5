import Foundation
import MeshIR
import MeshSnapshot

/// A binary form of one side of a plan (its desired proxies and the
/// compiler's notes) for `DesiredCache`: strings as a length and their
/// UTF-8 bytes, counts as 64-bit little-endian integers, resources with the
/// versions and virtual-host digests they were hashed to (so reading back
/// hashes nothing). Decoding checks every length against what is left and
/// gives nil on anything unexpected: a damaged entry is a cache miss.
enum DesiredCoding {
    static let magic = "meshc-desired 1"

    static func encode(key: String, proxies: [DesiredProxy], notes: [String]) -> [UInt8] {
        var out = Writer()
        out.string(magic)
        out.string(key)
        out.count(proxies.count)
        for proxy in proxies {
            out.string(proxy.snapshot.proxy)
            out.optional(proxy.agentAddress)
            out.string(proxy.identity.namespace)
            out.string(proxy.identity.serviceAccount)
            let references = proxy.snapshot.references
            for map in [references.listenerRoutes, references.listenerClusters, references.routeClusters, references.listenerSecrets] {
                out.count(map.count)
                for (name, values) in map.sorted(by: { $0.key < $1.key }) {
                    out.string(name)
                    out.strings(values.sorted())
                }
            }
            for kind in EnvoyKind.allCases {
                let resources = proxy.snapshot[kind]
                out.count(resources.count)
                for resource in resources {
                    out.string(resource.name)
                    out.string(resource.version)
                    out.string(resource.bytes)
                    out.count(resource.virtualHosts.count)
                    for host in resource.virtualHosts {
                        out.string(host.name)
                        out.string(host.version)
                        out.count(host.range.lowerBound)
                        out.count(host.range.upperBound)
                    }
                }
            }
        }
        out.strings(notes)
        out.string("end")
        return out.bytes
    }

    /// The proxies and notes of an entry written for `key`; nil when the bytes are not one.
    static func decode(_ data: Data, key: String) -> (proxies: [DesiredProxy], notes: [String])? {
        // Over the raw buffer, straight from the file's (mapped) `Data`: no copy of 74 MB, and
        // slicing an array for each of some 100,000 strings would retain and release it every time.
        data.withUnsafeBytes { raw in decode(Reader(bytes: raw.bindMemory(to: UInt8.self)), key: key) }
    }

    private static func decode(_ reader: Reader, key: String) -> (proxies: [DesiredProxy], notes: [String])? {
        var input = reader
        guard input.string() == magic, input.string() == key, let proxyCount = input.count() else { return nil }
        var proxies: [DesiredProxy] = []
        for _ in 0..<proxyCount {
            guard let name = input.string(), let agent = input.optional(), let namespace = input.string(),
                  let account = input.string() else { return nil }
            var maps: [[String: Set<String>]] = []
            for _ in 0..<4 {
                guard let count = input.count() else { return nil }
                var map: [String: Set<String>] = [:]
                for _ in 0..<count {
                    guard let key = input.string(), let values = input.strings() else { return nil }
                    map[key] = Set(values)
                }
                maps.append(map)
            }
            var references = References()
            (references.listenerRoutes, references.listenerClusters, references.routeClusters, references.listenerSecrets) = (maps[0], maps[1], maps[2], maps[3])
            var resources: [EnvoyKind: [EnvoyResource]] = [:]
            for kind in EnvoyKind.allCases {
                guard let count = input.count() else { return nil }
                var list: [EnvoyResource] = []
                list.reserveCapacity(count)
                for _ in 0..<count {
                    guard let resourceName = input.string(), let version = input.string(), let text = input.string(),
                          let hostCount = input.count() else { return nil }
                    var hosts: [VirtualHostDigest] = []
                    for _ in 0..<hostCount {
                        guard let host = input.string(), let hostVersion = input.string(), let lower = input.count(), let upper = input.count(),
                              lower <= upper, upper <= text.utf8.count else { return nil }
                        hosts.append(VirtualHostDigest(name: host, version: hostVersion, range: lower..<upper))
                    }
                    list.append(EnvoyResource(kind: kind, name: resourceName, bytes: text, version: version, virtualHosts: hosts))
                }
                resources[kind] = list
            }
            let snapshot = ProxySnapshot(proxy: name, resources: resources, references: references)
            proxies.append(DesiredProxy(snapshot: snapshot, agentAddress: agent,
                                        identity: WorkloadIdentity(namespace: namespace, serviceAccount: account)))
        }
        guard let notes = input.strings(), input.string() == "end", input.atEnd else { return nil }
        return (proxies, notes)
    }

    private struct Writer {
        var bytes: [UInt8] = []
        mutating func count(_ value: Int) { withUnsafeBytes(of: UInt64(value).littleEndian) { bytes.append(contentsOf: $0) } }
        mutating func string(_ text: String) {
            count(text.utf8.count)
            bytes.append(contentsOf: text.utf8)
        }
        mutating func optional(_ text: String?) {
            count(text == nil ? 0 : 1)
            if let text { string(text) }
        }
        mutating func strings(_ texts: [String]) {
            count(texts.count)
            for text in texts { string(text) }
        }
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var at = 0
        var atEnd: Bool { at == bytes.count }

        mutating func count() -> Int? {
            guard bytes.count - at >= 8 else { return nil }
            var value: UInt64 = 0
            for i in 0..<8 { value |= UInt64(bytes[at + i]) << (8 * UInt64(i)) }
            at += 8
            // No count or length can exceed the entry itself.
            return value <= UInt64(bytes.count) ? Int(value) : nil
        }
        mutating func string() -> String? {
            guard let length = count(), bytes.count - at >= length else { return nil }
            defer { at += length }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[at..<at + length]), as: UTF8.self)
        }
        mutating func optional() -> String?? {
            guard let present = count() else { return nil }
            if present == 0 { return .some(nil) }
            guard present == 1, let text = string() else { return nil }
            return .some(text)
        }
        mutating func strings() -> [String]? {
            guard let count = count() else { return nil }
            var result: [String] = []
            for _ in 0..<count {
                guard let text = string() else { return nil }
                result.append(text)
            }
            return result
        }
    }
}
