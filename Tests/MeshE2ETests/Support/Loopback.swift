import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Free loopback TCP ports below 32768, outside the kernel's ephemeral range
/// (32768–60999 here): a port there can be taken as the source port of some
/// client connection (the flood tests open 20,000) while a listener is
/// between owners, e.g. while Envoy restarts. Each candidate is bound and
/// closed to check it is free; a port is never handed out twice within one
/// test run.
enum Ports {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var given: Set<Int> = []
    /// Where the next search starts: spread by process so parallel runs collide less.
    nonisolated(unsafe) private static var next = 20_000 + Int(getpid() % 1_000) * 12

    /// One free port on 127.0.0.1, in 20000–32767.
    static func free() throws -> Int {
        try lock.withLock {
            for _ in 0..<12_768 {
                let port = next
                next = next >= 32_767 ? 20_000 : next + 1
                if given.contains(port) || !bindable(port) { continue }
                given.insert(port)
                return port
            }
            throw HarnessError("no free loopback port in 20000–32767")
        }
    }

    /// `count` distinct free ports.
    static func free(_ count: Int) throws -> [Int] { try (0..<count).map { _ in try free() } }

    private static func bindable(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = Loopback.address(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
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
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
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

    /// Accepts connections on the listening socket `fd` until `stop(fd)`,
    /// handing each to `handle` (close-on-exec: children spawned meanwhile
    /// must not hold the connection). When accept fails the loop closes
    /// `fd` itself, so it never calls accept on a descriptor number another
    /// test has reused. Blocks: run it on a thread of its own.
    static func serve(_ fd: Int32, _ handle: (Int32) -> Void) {
        while true {
            let client = accept(fd, nil, nil)
            guard client >= 0 else { close(fd); return }
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            handle(client)
        }
    }

    /// Ends `serve`'s loop on `fd` (the loop closes it).
    static func stop(_ fd: Int32) { shutdown(fd, Int32(SHUT_RDWR)) }

    /// True when something accepts TCP connections on 127.0.0.1:`port`.
    static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
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
