import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A listener on 127.0.0.1 that records every byte sent to it and answers
/// each connection `404` in plain HTTP: an impostor at a committed agent
/// address, to prove what the reconciler sends to an agent it cannot verify.
final class Recorder: @unchecked Sendable {
    let port: Int
    private let fd: Int32
    private let lock = NSLock()
    private var bytes: [UInt8] = []

    init() throws {
        port = try Ports.free()
        fd = try Loopback.hold(port: port)
        Thread.detachNewThread { [self] in serve() }
    }

    /// Everything received so far on connections that began as a TLS
    /// handshake or an HTTP request, as text (invalid UTF-8 replaced). A stray
    /// connection of another test that lands on this port is left out.
    var received: String { lock.withLock { String(decoding: bytes, as: UTF8.self) } }

    /// A TLS record (handshake) or an HTTP request line.
    private static func isProtocol(_ first: ArraySlice<UInt8>) -> Bool {
        if first.first == 0x16 { return true }
        let text = String(decoding: first.prefix(8), as: UTF8.self)
        return ["GET ", "PUT ", "POST ", "HEAD ", "DELETE "].contains { text.hasPrefix($0) }
    }

    /// Ends the accept loop (`Loopback.serve`, which closes the socket).
    func stop() { Loopback.stop(fd) }

    /// Each connection read once, recorded, answered 404 and closed, on the loop's thread.
    private func serve() {
        Loopback.serve(fd) { client in
            var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
            setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var buffer = [UInt8](repeating: 0, count: 65536)
            let n = read(client, &buffer, buffer.count)
            if n > 0, Self.isProtocol(buffer[0..<n]) { lock.withLock { bytes += buffer[0..<n] } }
            let answer = Array("HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".utf8)
            _ = write(client, answer, answer.count)
            close(client)
        }
    }
}
