import MeshIR

/// Who sends the request `meshc route` explains. A caller with a mesh
/// identity reaches a sidecar's workload through the sidecar's inbound
/// listener, so its request is explained there, where the policies apply.
package struct Caller: Sendable, Equatable {
    /// The caller's SPIFFE ID (`spiffe://cluster.local/ns/a/sa/b`); nil: a client without a mesh identity.
    package var principal: String?
    /// The declared proxy the caller is (`--from`), to name it in the output.
    package var proxy: String?
    /// The client's address (`source.ip`).
    package var sourceIP: String

    package init(principal: String? = nil, proxy: String? = nil, sourceIP: String = "127.0.0.1") {
        self.principal = principal
        self.proxy = proxy
        self.sourceIP = sourceIP
    }

    /// The caller is the workload behind `proxy`: its identity, in the mesh's trust domain.
    package init(proxy: ProxyConfig, trustDomain: String = "cluster.local", sourceIP: String = "127.0.0.1") {
        self.init(principal: proxy.identity.spiffeID(trustDomain: trustDomain), proxy: proxy.name, sourceIP: sourceIP)
    }

    /// Throws when `sourceIP` is not an IPv4 or IPv6 address (rules on `ipBlocks` could not be decided).
    package func validate() throws {
        guard IPAddress(sourceIP) != nil else {
            throw ExplainError("source address \(sourceIP.debugDescription) is not an IPv4 or IPv6 address; write one like 10.0.0.1 or fd00::1")
        }
    }

    /// A peer identity as Istio writes it (`cluster.local/ns/a/sa/b`), matched as `spiffe://` + it; a full `spiffe://` ID is kept.
    package static func principal(_ identity: String) -> String {
        identity.hasPrefix("spiffe://") ? identity : "spiffe://" + identity
    }
}
