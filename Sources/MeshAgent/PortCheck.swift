import Foundation
import MeshDiagnostics
import MeshSnapshot
#if canImport(Glibc)
import Glibc
#endif

/// Checks, before anything is written, that Envoy will be able to bind every
/// listener a snapshot adds: a port another process holds would otherwise
/// fail the listener stage after the routes stage went live, and requests
/// would meet routes of a snapshot that is then rolled back.
package enum PortCheck {
    /// `address:port` of each listener of `next` that `current` does not
    /// already serve there (Envoy holds those ports itself).
    package static func added(from current: ProxySnapshot?, to next: ProxySnapshot) -> [(listener: String, address: String, port: Int)] {
        let held = Set((current?[.listener] ?? []).compactMap(endpoint).map { "\($0.address):\($0.port)" })
        return next[.listener].compactMap { listener in
            guard let (address, port) = endpoint(listener), !held.contains("\(address):\(port)") else { return nil }
            return (listener.name, address, port)
        }
    }

    /// Why Envoy could not bind the listeners `next` adds, or nil when every port is free.
    package static func problems(from current: ProxySnapshot?, to next: ProxySnapshot) -> String? {
        let taken = added(from: current, to: next).compactMap { listener -> String? in
            bindable(listener.address, listener.port).map { "listener \(listener.listener): \(listener.address):\(listener.port) \($0)" }
        }
        return taken.isEmpty ? nil : taken.joined(separator: "; ") + "; nothing was written: free the port or change the listener"
    }

    /// The listener's TCP `socket_address`.
    static func endpoint(_ listener: EnvoyResource) -> (address: String, port: Int)? {
        guard let json = try? listener.json(), let socket = json["address"]?["socket_address"],
              let address = socket["address"]?.text, case .int(let port)? = socket["port_value"] else { return nil }
        return (address, port)
    }

    /// nil when a socket can bind `address:port` now (as Envoy would, with
    /// SO_REUSEADDR), else the reason.
    static func bindable(_ address: String, _ port: Int) -> String? {
        var v4 = sockaddr_in(), v6 = sockaddr_in6()
        let family: Int32
        if inet_pton(AF_INET, address, &v4.sin_addr) == 1 {
            family = AF_INET
            v4.sin_family = sa_family_t(AF_INET)
            v4.sin_port = in_port_t(UInt16(truncatingIfNeeded: port).bigEndian)
        } else if inet_pton(AF_INET6, address, &v6.sin6_addr) == 1 {
            family = AF_INET6
            v6.sin6_family = sa_family_t(AF_INET6)
            v6.sin6_port = in_port_t(UInt16(truncatingIfNeeded: port).bigEndian)
        } else {
            return nil // not an IP: Envoy's validation speaks for it
        }
        let fd = socket(family, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let result: Int32 = family == AF_INET
            ? withUnsafePointer(to: &v4) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            : withUnsafePointer(to: &v6) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) } }
        guard result != 0 else { return nil }
        return "cannot be bound: \(String(cString: strerror(errno)))"
    }
}
