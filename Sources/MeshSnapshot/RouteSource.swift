import Foundation
import MeshDiagnostics

/// Where a listener's connection managers read their route configurations:
/// one file per route configuration (Envoy rejects an RDS file holding
/// several), `routes/<name>.json` in the proxy's folder. The folder is bound
/// by whoever writes the files (`meshc build --out`, the agent's state
/// folder): snapshots carry `meshc:routes/<file>` in its place, so where
/// files go never changes a resource's version or a plan.
package enum RouteSource {
    /// The path prefix snapshots carry before the route file.
    package static let unbound = "meshc:"

    /// The folder route files are in, in the proxy's folder.
    package static let folder = "routes"

    /// `routes/<name>.json` (or another `fileExtension`: the agent's `.pb`) with bytes outside
    /// `A-Z a-z 0-9 . _ -` (and a leading dot) written `%XX`: the one naming rule for route files.
    package static func file(_ name: String, fileExtension: String = ".json") -> String { "\(folder)/\(escaped(name))\(fileExtension)" }

    /// `name` with bytes outside `A-Z a-z 0-9 . _ -` (and a leading dot) written `%XX`.
    package static func escaped(_ name: String) -> String {
        var out = ""
        for (index, byte) in name.utf8.enumerated() {
            let safe = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a)
                || byte == 0x5f || byte == 0x2d || (byte == 0x2e && index > 0)
            out += safe ? String(UnicodeScalar(byte)) : "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
        }
        return out
    }

    /// The `rds` object of a connection manager reading `name` (unbound).
    package static func rds(_ name: String) -> JSON {
        .object([
            "config_source": .object([
                "path_config_source": .object(["path": .string(unbound + file(name))]),
                "resource_api_version": .string("V3"),
            ]),
            "route_config_name": .string(name),
        ])
    }

    /// A listener's bytes with its route files in `folder` (absolute, no
    /// trailing slash). Only whole `"path":"meshc:routes/` members change: a
    /// string inside a value cannot hold an unescaped quote.
    package static func bind(_ listener: String, folder: String) -> String {
        Binding(folder: folder)(listener)
    }

    /// `bind` for one folder, its needle and replacement made once: a 10k
    /// sidecar's clusters file binds each of 26,000 clusters.
    package struct Binding: Sendable {
        let needle: [UInt8]
        let replacement: [UInt8]

        package init(folder: String) {
            var quoted = ""
            JSON.quote(folder + "/", into: &quoted)
            quoted.removeLast() // keep the string open: the file name follows
            needle = Array(("\"path\":\"" + unbound).utf8)
            replacement = Array(("\"path\":" + quoted).utf8)
        }

        package func callAsFunction(_ text: String) -> String { replacing(needle, with: replacement, in: text) }
    }

    /// An unbound listener's bytes with each route file's `.json` made
    /// `fileExtension` (the agent's `.pb` files): only the end of whole
    /// `"path":"meshc:routes/<file>"` members changes (file names are `escaped`, no quote inside).
    package static func renamingRouteFiles(_ listener: String, to fileExtension: String) -> String {
        let needle = Array(("\"path\":\"" + unbound + "routes/").utf8), json = Array(".json\"".utf8)
        var text = listener
        let renamed = text.withUTF8 { haystack -> String? in
            var out: [UInt8] = []
            var copied = 0, from = 0
            needle.withUnsafeBytes { needleBytes in
                while let offset = firstIndex(of: needleBytes, in: haystack, from: from) {
                    let name = offset + needle.count
                    guard let quote = haystack[name...].firstIndex(of: UInt8(ascii: "\"")) else { break }
                    from = quote + 1
                    guard from - name >= json.count, haystack[(from - json.count)..<from].elementsEqual(json) else { continue }
                    if out.isEmpty { out.reserveCapacity(haystack.count + 64) }
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: haystack[copied..<(from - json.count)]))
                    out.append(contentsOf: (fileExtension + "\"").utf8)
                    copied = from
                }
            }
            if copied == 0 { return nil }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: haystack[copied...]))
            return String(decoding: out, as: UTF8.self)
        }
        return renamed ?? listener
    }

    /// `text` with every `needle` replaced, bytewise (`memchr`, `memcmp`): the cluster
    /// and listener files of a 10k-service sidecar are tens of MiB, where
    /// Foundation's UTF-16 `replacingOccurrences` took seconds.
    package static func replacing(_ needle: [UInt8], with replacement: [UInt8], in text: String) -> String {
        var text = text
        let replaced = text.withUTF8 { haystack -> String? in
            guard let base = haystack.baseAddress, !needle.isEmpty else { return nil }
            var out: [UInt8] = []
            var start = 0
            needle.withUnsafeBytes { needleBytes in
                while let offset = firstIndex(of: needleBytes, in: haystack, from: start) {
                    if out.isEmpty { out.reserveCapacity(haystack.count + 64) }
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: haystack[start..<offset]))
                    out.append(contentsOf: replacement)
                    start = offset + needle.count
                }
            }
            if start == 0 { return nil }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: haystack[start...]))
            return String(decoding: out, as: UTF8.self)
        }
        return replaced ?? text
    }

    /// Where `needle` first starts in `haystack` at or after `start`: `memchr`
    /// to each candidate first byte, then `memcmp`.
    package static func firstIndex(of needle: UnsafeRawBufferPointer, in haystack: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard let base = haystack.baseAddress, let needleBase = needle.baseAddress, let first = needle.first else { return nil }
        var at = start
        while haystack.count - at >= needle.count {
            guard let hit = memchr(base + at, Int32(first), haystack.count - at - needle.count + 1) else { return nil }
            let offset = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if memcmp(base + offset, needleBase, needle.count) == 0 { return offset }
            at = offset + 1
        }
        return nil
    }

    /// A parsed listener with every `rds.config_source` set to the unbound
    /// file of its route configuration, whatever path it named, and every
    /// file-based SDS entry of a snapshot secret (`GatewaySecret`) set to its
    /// unbound file: a build folder's or a hand-made bundle's listeners
    /// compare with the compiler's, and nobody can point RDS or SDS at a file of their choice.
    package static func unbind(_ listener: JSON) -> JSON { unbind(listener, key: nil) }

    private static func unbind(_ json: JSON, key: String?) -> JSON {
        switch json {
        case .object(let members):
            var out: JSONObject = [:]
            let sdsEntry = key == "tls_certificate_sds_secret_configs" || key == "validation_context_sds_secret_config"
            for (member, value) in members {
                if member == "rds", let name = value["route_config_name"]?.text {
                    out[member] = value.replacing("config_source", with: rds(name)["config_source"])
                } else if sdsEntry, member == "sds_config", let name = members["name"]?.text, !SecretSource.names.contains(name),
                          value["path_config_source"] != nil {
                    out[member] = GatewaySecret.sdsConfig(name)
                } else {
                    out[member] = unbind(value, key: member)
                }
            }
            return .object(out)
        case .array(let items): return .array(items.map { unbind($0, key: key) })
        default: return json
        }
    }
}

extension String {
    /// `self` with every occurrence of `target` replaced, bytewise (`RouteSource.replacing`:
    /// these are megabytes of JSON, where Foundation's `replacingOccurrences` takes seconds).
    package func replacingAll(_ target: String, with replacement: String) -> String {
        RouteSource.replacing(Array(target.utf8), with: Array(replacement.utf8), in: self)
    }
}
