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

    /// Everything received so far, as text (invalid UTF-8 replaced).
    var received: String { lock.withLock { String(decoding: bytes, as: UTF8.self) } }

    func stop() { shutdown(fd, Int32(SHUT_RDWR)); close(fd) }

    private func serve() {
        while true {
            let client = accept(fd, nil, nil)
            guard client >= 0 else { return }
            var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
            setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var buffer = [UInt8](repeating: 0, count: 65536)
            let n = read(client, &buffer, buffer.count)
            if n > 0 { lock.withLock { bytes += buffer[0..<n] } }
            let answer = Array("HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".utf8)
            _ = write(client, answer, answer.count)
            close(client)
        }
    }
}
