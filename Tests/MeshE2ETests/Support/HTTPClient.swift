import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One HTTP response as the tests see it.
struct HTTPResponse: Sendable {
    var status: Int
    /// Header fields in arrival order, names lowercased.
    var headers: [(name: String, value: String)]
    var body: Data

    /// The body as UTF-8 text.
    var text: String { String(decoding: body, as: UTF8.self) }

    /// The first value of header `name` (case-insensitive), or nil.
    func header(_ name: String) -> String? {
        let name = name.lowercased()
        return headers.first { $0.name == name }?.value
    }
}

/// A minimal blocking HTTP/1.1 client over one keep-alive TCP connection to
/// 127.0.0.1 — nothing else can be reached with it. Bodies may be sized by
/// Content-Length, chunked, or end at close. Every read and write has a
/// timeout, so a stuck server fails the test instead of hanging it.
///
/// If the server closes the kept-alive connection between requests, the next
/// request reconnects once.
final class HTTPConnection {
    let port: Int
    let timeout: Double
    private var fd: Int32 = -1
    private var buffer: [UInt8] = []

    init(port: Int, timeout: Double = 5) {
        self.port = port
        self.timeout = timeout
    }

    deinit { close() }

    /// One-shot request on a fresh connection.
    static func get(port: Int, _ path: String, headers: [(String, String)] = [], timeout: Double = 5) throws -> HTTPResponse {
        let connection = HTTPConnection(port: port, timeout: timeout)
        return try connection.request("GET", path, headers: headers)
    }

    /// Sends one request and reads its whole response.
    func request(_ method: String = "GET", _ path: String, headers: [(String, String)] = [], body: Data = Data()) throws -> HTTPResponse {
        let reused = fd >= 0
        do {
            return try exchange(method, path, headers: headers, body: body)
        } catch let error as Closed where reused {
            _ = error
            close()
            return try exchange(method, path, headers: headers, body: body)
        }
    }

    /// Closes the connection; the next request opens a new one.
    func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
        buffer.removeAll()
    }

    /// The server closed the connection before a response began.
    private struct Closed: Error {}

    private func exchange(_ method: String, _ path: String, headers: [(String, String)], body: Data) throws -> HTTPResponse {
        if fd < 0 { try connect() }
        var head = "\(method) \(path) HTTP/1.1\r\n"
        var fields = headers
        if !fields.contains(where: { $0.0.lowercased() == "host" }) { fields.insert(("host", "127.0.0.1:\(port)"), at: 0) }
        if !body.isEmpty || method == "POST" || method == "PUT" { fields.append(("content-length", String(body.count))) }
        for (name, value) in fields { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        try send(Array(head.utf8) + Array(body))

        guard let headerEnd = try readUntilHeaderEnd() else { throw Closed() }
        let headText = String(decoding: buffer[..<headerEnd], as: UTF8.self)
        buffer.removeFirst(headerEnd + 4)
        var lines = headText.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ", maxSplits: 2)
        guard statusLine.count >= 2, statusLine[0].hasPrefix("HTTP/1."), let status = Int(statusLine[1]) else {
            throw HarnessError("127.0.0.1:\(port): bad status line in \(headText.prefix(200).debugDescription)")
        }
        let parsed = lines.compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (line[..<colon].lowercased(), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        var response = HTTPResponse(status: status, headers: parsed, body: Data())
        let noBody = method == "HEAD" || status == 204 || status == 304 || (100..<200).contains(status)
        if noBody {
        } else if let length = response.header("content-length").flatMap(Int.init) {
            response.body = Data(try take(length))
        } else if response.header("transfer-encoding")?.lowercased().contains("chunked") == true {
            response.body = try readChunked()
        } else {
            while try fill() {}
            response.body = Data(buffer)
            buffer.removeAll()
            close()
        }
        if response.header("connection")?.lowercased() == "close" || statusLine[0] == "HTTP/1.0" { close() }
        return response
    }

    private func connect() throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw HarnessError("socket(): errno \(errno)") }
        var limit = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = Loopback.address(port: port)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if result != 0 {
            let code = errno
            close()
            throw HarnessError("connect 127.0.0.1:\(port): \(String(cString: strerror(code)))")
        }
    }

    private func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { throw Closed() }
            offset += n
        }
    }

    /// Reads more bytes into the buffer; false at end of stream.
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 { buffer += chunk[..<n]; return true }
            if n == 0 { return false }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK { throw HarnessError("127.0.0.1:\(port): no answer within \(timeout) s") }
            if errno == ECONNRESET { return false }
            throw HarnessError("127.0.0.1:\(port): recv: \(String(cString: strerror(errno)))")
        }
    }

    /// The offset of "\r\n\r\n" once the whole head is buffered; nil if the
    /// server closed before sending anything.
    private func readUntilHeaderEnd() throws -> Int? {
        let marker: [UInt8] = [13, 10, 13, 10]
        var searched = 0
        while true {
            if buffer.count >= 4 {
                for i in max(0, searched - 3)...(buffer.count - 4) where buffer[i..<(i + 4)].elementsEqual(marker) { return i }
                searched = buffer.count
            }
            guard try fill() else {
                if buffer.isEmpty { return nil }
                throw HarnessError("127.0.0.1:\(port): connection closed inside a response head")
            }
        }
    }

    private func take(_ count: Int) throws -> [UInt8] {
        while buffer.count < count {
            guard try fill() else { throw HarnessError("127.0.0.1:\(port): body ended after \(buffer.count) of \(count) bytes") }
        }
        defer { buffer.removeFirst(count) }
        return Array(buffer[..<count])
    }

    private func line() throws -> String {
        while true {
            if let end = buffer.firstIndex(of: 10) {
                defer { buffer.removeFirst(end + 1) }
                return String(decoding: buffer[..<end], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            }
            guard try fill() else { throw HarnessError("127.0.0.1:\(port): connection closed inside a chunked body") }
        }
    }

    private func readChunked() throws -> Data {
        var body = Data()
        while true {
            let sizeText = try line().split(separator: ";").first.map(String.init) ?? ""
            guard let size = Int(sizeText, radix: 16) else { throw HarnessError("127.0.0.1:\(port): bad chunk size \(sizeText.debugDescription)") }
            if size == 0 {
                while try !line().isEmpty {} // trailers
                return body
            }
            body += try take(size)
            _ = try take(2)
        }
    }
}
