import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Free loopback TCP ports: bind port 0, read the port back, close.
///
/// Another process could take the port between the close and its real use;
/// the kernel hands out ephemeral ports in a rotating order, so this is rare,
/// and a port is never handed out twice within one test run.
enum Ports {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var given: Set<Int> = []

    /// One free port on 127.0.0.1.
    static func free() throws -> Int {
        for _ in 0..<50 {
            let port = try bindZero()
            let fresh = lock.withLock { given.insert(port).inserted }
            if fresh { return port }
        }
        throw HarnessError("no free loopback port after 50 tries")
    }

    /// `count` distinct free ports.
    static func free(_ count: Int) throws -> [Int] { try (0..<count).map { _ in try free() } }

    private static func bindZero() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HarnessError("socket(): errno \(errno)") }
        defer { close(fd) }
        var address = Loopback.address(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw HarnessError("bind(127.0.0.1:0): errno \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw HarnessError("getsockname: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// IPv4 loopback socket addresses: the harness talks to nothing else.
enum Loopback {
    static func address(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        return address
    }

    /// A listening socket on 127.0.0.1:`port` (SO_REUSEADDR, no SO_REUSEPORT:
    /// nobody else can bind the port while it is open), taken as soon as the
    /// port is free within `seconds`. The caller closes it.
    static func hold(port: Int, seconds: Double = 5) throws -> Int32 {
        let deadline = Date().addingTimeInterval(seconds)
        repeat {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw HarnessError("socket(): errno \(errno)") }
            var one: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
            var address = address(port: port)
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            if bound == 0, listen(fd, 16) == 0 { return fd }
            close(fd)
            usleep(1_000)
        } while Date() < deadline
        throw HarnessError("127.0.0.1:\(port) stayed taken for \(seconds) s")
    }

    /// True when something accepts TCP connections on 127.0.0.1:`port`.
    static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = address(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }
}

/// A harness failure with a message meant for the test log.
struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Polls `condition` every few milliseconds until it holds or `seconds` pass.
/// A readiness check, not a fixed sleep: it returns as soon as the condition holds.
func poll(seconds: Double, every interval: Double = 0.005, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while true {
        if try condition() { return true }
        if Date() >= deadline { return false }
        usleep(useconds_t(interval * 1_000_000))
    }
}
