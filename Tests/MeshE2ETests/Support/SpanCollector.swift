import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A small Zipkin collector on 127.0.0.1: reads each HTTP request whole
/// (headers, then a `content-length` or chunked body), keeps the spans of every
/// `POST /api/v2/spans` (Zipkin v2 JSON) and answers `202 Accepted`.
final class SpanCollector: @unchecked Sendable {
    /// The fields of a Zipkin v2 span the tests read.
    struct Span: Decodable, Equatable {
        struct Endpoint: Decodable, Equatable { var serviceName: String? }
        var traceId: String
        var id: String
        var parentId: String?
        var name: String?
        var kind: String?
        var localEndpoint: Endpoint?
        var tags: [String: String]?
    }

    let port: Int
    private let fd: Int32
    private let lock = NSLock()
    private var collected: [Span] = []
    private var undecodable: [String] = []

    init() throws {
        port = try Ports.free()
        fd = try Loopback.hold(port: port)
        Thread.detachNewThread { [self] in serve() }
    }

    var spans: [Span] { lock.withLock { collected } }
    /// Request bodies that were not a JSON span list (shown when a test fails).
    var rejected: [String] { lock.withLock { undecodable } }

    func stop() { shutdown(fd, Int32(SHUT_RDWR)) }

    private func serve() {
        while true {
            let client = accept(fd, nil, nil)
            guard client >= 0 else { close(fd); return }
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            Thread.detachNewThread { [self] in handle(client) }
        }
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
            record(request)
            let answer = Array("HTTP/1.1 202 Accepted\r\ncontent-length: 0\r\n\r\n".utf8)
            _ = write(client, answer, answer.count)
        }
    }

    /// The body of the first whole request in `pending` (removed from it); nil until one is whole.
    /// Bodies come with `content-length` or chunked (Envoy's async client streams them).
    private static func takeRequest(_ pending: inout [UInt8]) -> [UInt8]? {
        guard let end = find(Array("\r\n\r\n".utf8), in: pending, from: 0) else { return nil }
        let head = String(decoding: pending[..<end], as: UTF8.self).lowercased()
        let lines = head.split(separator: "\r\n")
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
                    return body
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
        return body
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard bytes.count >= needle.count, start <= bytes.count - needle.count else { return nil }
        return (start...(bytes.count - needle.count)).first { bytes[$0..<$0 + needle.count].elementsEqual(needle) }
    }

    private func record(_ body: [UInt8]) {
        if let spans = try? JSONDecoder().decode([Span].self, from: Data(body)) {
            lock.withLock { collected += spans }
        } else {
            lock.withLock { undecodable.append(String(decoding: body.prefix(500), as: UTF8.self)) }
        }
    }
}
