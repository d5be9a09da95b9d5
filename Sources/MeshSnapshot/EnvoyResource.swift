import MeshDiagnostics
import Synchronization

/// One Envoy resource as it is shipped: its canonical bytes (compact JSON
/// with sorted keys and its `@type`, exactly what Envoy reads inside an
/// `Any`) and their hash, both computed once. A route configuration also
/// carries one digest per virtual host, so plans and deliveries compare
/// hosts without parsing the configuration.
package struct EnvoyResource: Sendable, Equatable {
    /// Cluster, endpoints, listener or route configuration.
    package let kind: EnvoyKind
    /// `name` (`cluster_name` for endpoints).
    package let name: String
    /// The canonical compact rendering, `@type` first. A route configuration
    /// the emitter spliced from its hosts' renders is joined the first time
    /// this is read (a plan reads the hosts that changed only: `keepingHosts`).
    package var bytes: String { storage.text }
    /// `ContentVersion` (SHA-256, 32 hex digits): of `bytes`; for a route
    /// configuration with virtual hosts, of its shell and each host's
    /// version in order (`VirtualHostSplice`), so versioning it never
    /// passes over the hosts' bytes again.
    package let version: String
    /// Route configurations: each virtual host's name, version and place in
    /// `bytes`, in order. Empty for other kinds.
    package let virtualHosts: [VirtualHostDigest]
    private let storage: Storage

    /// The bytes, whole or as the pieces of a splice.
    private enum Storage: Sendable {
        case whole(String)
        case spliced(SplicedText)

        var text: String {
            switch self {
            case .whole(let text): text
            case .spliced(let splice): splice.joined
            }
        }
    }

    /// A resource from its canonical rendering (the emitter's path: the bytes are hashed, never parsed).
    package init(kind: EnvoyKind, name: String, bytes: String, virtualHosts: [VirtualHostDigest] = []) {
        self.kind = kind
        self.name = name
        self.storage = .whole(bytes)
        self.version = ContentVersion.hex(bytes)
        self.virtualHosts = virtualHosts
    }

    /// A resource as an earlier run rendered and hashed it (the plan cache,
    /// `DesiredCache`): `version` and `virtualHosts` are taken as given.
    package init(kind: EnvoyKind, name: String, bytes: String, version: String, virtualHosts: [VirtualHostDigest]) {
        self.kind = kind
        self.name = name
        self.storage = .whole(bytes)
        self.version = version
        self.virtualHosts = virtualHosts
    }

    /// A route configuration spliced from `text`'s pieces (joined when read).
    fileprivate init(route name: String, spliced text: SplicedText, version: String, virtualHosts: [VirtualHostDigest]) {
        kind = .route
        self.name = name
        storage = .spliced(text)
        self.version = version
        self.virtualHosts = virtualHosts
    }

    /// The length of `bytes` in UTF-8, without joining a spliced configuration.
    package var byteCount: Int {
        switch storage {
        case .whole(let text): text.utf8.count
        case .spliced(let splice): splice.byteCount
        }
    }

    /// The UTF-8 length of all `resources`' bytes, each read in place (here,
    /// where `byteCount` inlines: read from another module, each resource is copied out).
    package static func byteCount(of resources: [EnvoyResource]) -> Int {
        var total = 0
        for index in resources.indices { total += resources[index].byteCount }
        return total
    }

    /// Writes `bytes` to `out`; a spliced configuration goes piece by
    /// piece, never joined (a 10k sidecar's is tens of MiB, streamed into
    /// its route file by `meshc build`).
    package func write(to out: inout some TextOutputStream) {
        switch storage {
        case .whole(let text): out.write(text)
        case .spliced(let splice): splice.write(to: &out)
        }
    }

    /// Equal kind, name, version, hosts and bytes.
    package static func == (a: EnvoyResource, b: EnvoyResource) -> Bool {
        a.kind == b.kind && a.name == b.name && a.version == b.version && a.virtualHosts == b.virtualHosts && a.bytes == b.bytes
    }

    /// A route configuration's bytes with only the virtual hosts `keep`
    /// accepts, in order (nil without host digests). A spliced
    /// configuration gives them from its pieces, without joining the whole.
    package func keepingHosts(_ keep: (VirtualHostDigest) -> Bool) -> [UInt8]? {
        guard let first = virtualHosts.first, let last = virtualHosts.last else { return nil }
        if case .spliced(let splice) = storage {
            var out = Array(splice.head.utf8) + [UInt8(ascii: "[")]
            for (index, host) in virtualHosts.indices.filter({ keep(virtualHosts[$0]) }).enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                out += splice.hosts[host].utf8
            }
            return out + [UInt8(ascii: "]")] + Array(splice.tail.utf8)
        }
        var text = bytes
        return text.withUTF8 { bytes -> [UInt8]? in
            guard last.range.upperBound <= bytes.count else { return nil }
            var out = Array(bytes[..<first.range.lowerBound])
            for (index, host) in virtualHosts.filter(keep).enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                out += bytes[host.range]
            }
            out += bytes[last.range.upperBound...]
            return out
        }
    }

    /// The renderings of the virtual hosts at `positions` (nil when one lies
    /// outside the bytes): a spliced configuration's own pieces, no copy.
    package func hostTexts(_ positions: Range<Int>) -> [String]? {
        guard positions.lowerBound >= 0, positions.upperBound <= virtualHosts.count else { return nil }
        if case .spliced(let splice) = storage, splice.hosts.count == virtualHosts.count { return Array(splice.hosts[positions]) }
        var text = bytes
        return text.withUTF8 { bytes -> [String]? in
            var texts: [String] = []
            texts.reserveCapacity(positions.count)
            for host in virtualHosts[positions] {
                guard host.range.upperBound <= bytes.count else { return nil }
                texts.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[host.range]), as: UTF8.self))
            }
            return texts
        }
    }

    /// A resource from parsed JSON (a bundle, a build folder): checked
    /// (`@type`, a non-empty name), rendered canonically and versioned as the
    /// emitter versions it, so the same resource from any source compares equal.
    package init(kind: EnvoyKind, json: JSON) throws(SnapshotError) {
        guard let members = json.members else { throw SnapshotError("a \(kind.label) must be a JSON object") }
        guard let name = members[kind.nameKey]?.text, !name.isEmpty else {
            throw SnapshotError("a \(kind.label) has no string \"\(kind.nameKey)\"")
        }
        guard members["@type"] == .string(kind.typeURL) else {
            throw SnapshotError("\(kind.label) \(name) has @type \(members["@type"]?.rendered() ?? "(none)"); it must be \(kind.typeURL)")
        }
        guard kind == .route, case .array(let hosts)? = members["virtual_hosts"], !hosts.isEmpty else {
            self.init(kind: kind, name: name, bytes: json.rendered())
            return
        }
        // Render the hosts one by one and splice them, as the emitter does, to know where each sits.
        let shell = JSON.object(members.merging(["virtual_hosts": .string(VirtualHostSplice.marker)]) { _, new in new })
        var splice = VirtualHostSplice()
        for host in hosts { splice.append(name: host["name"]?.text ?? "", rendered: host.rendered()) }
        self = splice.resource(name: name, shell: shell.rendered())
    }

    /// The resource parsed (plan details, tests). A rendering meshc made
    /// always parses; anything else is reported, never turned into `null`.
    package func json() throws(SnapshotError) -> JSON {
        do { return try JSON.parse(bytes) } catch {
            throw SnapshotError("\(kind.label) \(name): cannot parse its rendering: \(error)")
        }
    }
}

/// One virtual host of a route configuration: its name, the hash of its
/// canonical bytes and their place in the configuration's `bytes` (UTF-8 offsets).
package struct VirtualHostDigest: Sendable, Equatable {
    package let name: String
    package let version: String
    package let range: Range<Int>

    package init(name: String, version: String, range: Range<Int>) {
        self.name = name
        self.version = version
        self.range = range
    }
}

extension VirtualHostDigest {
    /// What identifies a host across two versions of its route configuration: its name and version.
    var key: Key { Key(name: name, version: version) }

    struct Key: Hashable {
        let name: String
        let version: String
    }
}

/// Builds a route configuration's bytes from its shell and each virtual
/// host's rendering, recording where each host sits and its version.
package struct VirtualHostSplice {
    /// What the shell carries where the `virtual_hosts` array goes.
    package static let marker = "\u{1}meshc-virtual-hosts"
    private var hosts: [(name: String, rendered: String, version: String?)] = []

    package init() {}

    /// Appends a host; `version` is `ContentVersion.hex(rendered)` when the
    /// caller already has it (a render kept from an earlier build), else it is computed.
    package mutating func append(name: String, rendered: String, version: String? = nil) { hosts.append((name, rendered, version)) }

    /// The route configuration `name` (`shell` is it rendered with `marker`
    /// as its `virtual_hosts` value), versioned over `shell` and each
    /// host's version (see `EnvoyResource.version`); with no host, over its
    /// bytes. Its bytes are joined when first read: each host's place in
    /// them is known from the pieces' lengths.
    package func resource(name: String, shell: String) -> EnvoyResource {
        var quoted = ""
        JSON.quote(Self.marker, into: &quoted)
        guard let range = shell.range(of: quoted) else { return EnvoyResource(kind: .route, name: name, bytes: shell) }
        let head = String(shell[..<range.lowerBound]), tail = String(shell[range.upperBound...])
        guard !hosts.isEmpty else { return EnvoyResource(kind: .route, name: name, bytes: head + "[]" + tail) }
        var digests: [VirtualHostDigest] = []
        digests.reserveCapacity(hosts.count)
        var at = head.utf8.count + 1
        for (index, host) in hosts.enumerated() {
            if index > 0 { at += 1 }
            let end = at + host.rendered.utf8.count
            digests.append(VirtualHostDigest(name: host.name, version: host.version ?? ContentVersion.hex(host.rendered), range: at..<end))
            at = end
        }
        var hash = ContentVersion()
        hash.combine(shell)
        for digest in digests { hash.combine(digest.version) }
        return EnvoyResource(route: name, spliced: SplicedText(head: head, hosts: hosts.map(\.rendered), tail: tail),
                             version: hash.hex, virtualHosts: digests)
    }
}

/// A route configuration's bytes as the pieces of a splice: what comes
/// before the `virtual_hosts` array, each host's rendering, what comes
/// after. Joined once, when something reads the whole.
final class SplicedText: Sendable {
    let head: String
    let hosts: [String]
    let tail: String
    private let whole = Mutex<String?>(nil)

    /// The joined length: head, `[`, the hosts with a comma between each two, `]`, tail.
    let byteCount: Int

    init(head: String, hosts: [String], tail: String) {
        self.head = head
        self.hosts = hosts
        self.tail = tail
        byteCount = hosts.reduce(head.utf8.count + tail.utf8.count + 2 + max(hosts.count - 1, 0)) { $0 + $1.utf8.count }
    }

    var joined: String {
        whole.withLock { whole in
            if let whole { return whole }
            var out = ""
            out.reserveCapacity(byteCount)
            write(to: &out)
            whole = out
            return out
        }
    }

    /// The pieces in order, as `joined` joins them.
    func write(to out: inout some TextOutputStream) {
        out.write(head)
        out.write("[")
        for (index, host) in hosts.enumerated() {
            if index > 0 { out.write(",") }
            out.write(host)
        }
        out.write("]")
        out.write(tail)
    }
}

/// Why a snapshot, a bundle or a resource cannot be used: what is wrong and where.
package struct SnapshotError: Error, Sendable, Equatable, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }
}
