import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A small HTTP/1.1 server on 127.0.0.1 for the stand-ins tests talk to (a
/// Zipkin collector, an agent of an older meshc): reads each request whole
/// (headers, then a `content-length` or chunked body) on keep-alive
/// connections and answers what `respond` returns, one thread per connection.
final class LoopbackServer: @unchecked Sendable {
    struct Request {
        /// `GET`, `PUT`, …
        var method: String
        var body: [UInt8]
    }

    let port: Int
    private let fd: Int32
    private let respond: @Sendable (Request) -> (status: Int, body: String)

    init(respond: @escaping @Sendable (Request) -> (status: Int, body: String)) throws {
        port = try Ports.free()
        fd = try Loopback.hold(port: port)
        self.respond = respond
        Thread.detachNewThread { [self] in serve() }
    }

    /// Ends the accept loop (`Loopback.serve`, which closes the socket).
    func stop() { Loopback.stop(fd) }

    private func serve() {
        Loopback.serve(fd) { client in Thread.detachNewThread { [self] in handle(client) } }
    }

    /// Requests on one keep-alive connection, until the peer closes it.
    private func handle(_ client: Int32) {
        defer { close(client) }
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            guard let request = Self.takeRequest(&pending) else {
                let n = read(client, &buffer, buffer.count)
                guard n > 0 else { return }
                pending += buffer[0..<n]
                continue
            }
            let (status, body) = respond(request)
            let reason = [200: "OK", 202: "Accepted", 400: "Bad Request"][status] ?? "Status"
            var head = "HTTP/1.1 \(status) \(reason)\r\ncontent-length: \(body.utf8.count)\r\n"
            if !body.isEmpty { head += "content-type: application/json\r\n" }
            let answer = Array((head + "\r\n" + body).utf8)
            guard write(client, answer, answer.count) == answer.count else { return }
        }
    }

    /// The first whole request in `pending` (removed from it); nil until one is whole.
    /// Bodies come with `content-length` or chunked (Envoy's async client streams them).
    private static func takeRequest(_ pending: inout [UInt8]) -> Request? {
        guard let end = find(Array("\r\n\r\n".utf8), in: pending, from: 0) else { return nil }
        let head = String(decoding: pending[..<end], as: UTF8.self)
        let method = String(head.prefix { $0 != " " })
        let lines = head.lowercased().split(separator: "\r\n")
        let bodyStart = end + 4
        if lines.contains(where: { $0.hasPrefix("transfer-encoding:") && $0.contains("chunked") }) {
            var body: [UInt8] = []
            var at = bodyStart
            while true {
                guard let lineEnd = find(Array("\r\n".utf8), in: pending, from: at),
                      let size = Int(String(decoding: pending[at..<lineEnd], as: UTF8.self).split(separator: ";").first ?? "", radix: 16)
                else { return nil }
                let chunk = lineEnd + 2
                guard pending.count >= chunk + size + 2 else { return nil }
                if size == 0 {
                    pending.removeFirst(chunk + 2)
                    return Request(method: method, body: body)
                }
                body += pending[chunk..<chunk + size]
                at = chunk + size + 2
            }
        }
        let length = lines.first { $0.hasPrefix("content-length:") }
            .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
        guard pending.count >= bodyStart + length else { return nil }
        let body = Array(pending[bodyStart..<bodyStart + length])
        pending.removeFirst(bodyStart + length)
        return Request(method: method, body: body)
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard bytes.count >= needle.count, start <= bytes.count - needle.count else { return nil }
        return (start...(bytes.count - needle.count)).first { bytes[$0..<$0 + needle.count].elementsEqual(needle) }
    }
}
