import MeshDiagnostics
import MeshEmit

/// An updated route configuration reduced to the virtual hosts that differ.
///
/// A sidecar's outbound route configuration holds a virtual host per service
/// (10,000 in the benchmark mesh, 24 MB); a change touches a few. The
/// renderings are canonical, so a virtual host whose bytes are the same on
/// both sides is unchanged: only the others are parsed and described. The
/// rest of the configuration (name, validate_clusters…) is kept as it is.
enum VirtualHostTrim {
    /// `running` and `desired` with their identical virtual hosts left out;
    /// nil when either rendering is not the shape the emitter writes.
    static func trimmed(running: VersionedResource, desired: VersionedResource) -> (running: JSON, desired: JSON)? {
        guard let old = split(Array(running.rendered.utf8)), let new = split(Array(desired.rendered.utf8)) else { return nil }
        let oldHosts = Set(old.hosts.map { $0 }), newHosts = Set(new.hosts.map { $0 })
        func rebuilt(_ parts: Parts, keeping keep: (ArraySlice<UInt8>) -> Bool) -> JSON? {
            var bytes = Array(parts.prefix)
            for (index, host) in parts.hosts.filter(keep).enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                bytes += host
            }
            bytes += parts.suffix
            return try? JSON.parse(bytes)
        }
        guard let running = rebuilt(old, keeping: { !newHosts.contains($0) }),
              let desired = rebuilt(new, keeping: { !oldHosts.contains($0) }) else { return nil }
        return (running, desired)
    }

    /// A rendering cut around its `virtual_hosts` array: the text before the
    /// first host, each host's text, the text after the last.
    struct Parts {
        var prefix: ArraySlice<UInt8>
        var hosts: [ArraySlice<UInt8>]
        var suffix: ArraySlice<UInt8>
    }

    /// Finds the top-level `"virtual_hosts":[` and cuts the array at its own commas (strings and nesting skipped).
    static func split(_ bytes: [UInt8]) -> Parts? {
        let key = Array("\"virtual_hosts\":[".utf8)
        var scanner = Scanner(bytes: bytes)
        var depth = 0
        var start: Int?
        while let (index, byte) = scanner.next() {
            if depth == 1, byte == UInt8(ascii: "\""), bytes[index...].starts(with: key) {
                start = index + key.count
                break
            }
            if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") { depth += 1 }
            if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") { depth -= 1 }
        }
        guard let start else { return nil }
        var hosts: [ArraySlice<UInt8>] = []
        var level = 0, elementStart = start
        scanner = Scanner(bytes: bytes, index: start)
        while let (index, byte) = scanner.next() {
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["): level += 1
            case UInt8(ascii: "}"): level -= 1
            case UInt8(ascii: "]") where level == 0:
                if index > elementStart { hosts.append(bytes[elementStart..<index]) }
                return Parts(prefix: bytes[..<start], hosts: hosts, suffix: bytes[index...])
            case UInt8(ascii: "]"): level -= 1
            case UInt8(ascii: ",") where level == 0:
                hosts.append(bytes[elementStart..<index])
                elementStart = index + 1
            default: break
            }
        }
        return nil
    }

    /// Walks JSON text byte by byte, giving each byte outside string contents
    /// (an opening quote is given; what follows it up to the closing quote is not).
    struct Scanner {
        let bytes: [UInt8]
        var index = 0

        mutating func next() -> (Int, UInt8)? {
            guard index < bytes.count else { return nil }
            let at = index, byte = bytes[at]
            index += 1
            if byte == UInt8(ascii: "\"") {
                while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                    index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
                }
                index += 1
            }
            return (at, byte)
        }
    }
}
