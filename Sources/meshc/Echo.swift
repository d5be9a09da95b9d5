import ArgumentParser
import Dispatch
import NIOCore
import NIOHTTP1
import NIOPosix
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `meshc echo`: a tiny HTTP/1.1 backend in the manner of hashicorp/http-echo.
///
/// Every request, whatever its method or path, is answered with `--text`
/// and a newline (`text/plain`, with a Content-Length, keep-alive honoured)
/// until SIGTERM or SIGINT. The acceptance scenarios use it as the workload
/// behind real Envoy proxies.
struct Echo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "echo",
        abstract: "Serve a fixed text over HTTP/1.1 (a test backend, like hashicorp/http-echo).",
        discussion: """
        Answers every request with the text and a newline until SIGTERM or SIGINT. \
        --listen takes HOST:PORT, [IPv6]:PORT or :PORT; a missing host means 127.0.0.1 \
        (loopback only unless a host is named). Port 0 picks a free port; once bound, \
        standard error gets one line "meshc echo: listening on HOST:PORT" with the real port.
        """
    )

    @Option(help: "The text every response carries (a newline is added).")
    var text: String

    @Option(help: "Address to listen on: HOST:PORT, [IPv6]:PORT or :PORT (127.0.0.1).")
    var listen: String = ":5678"

    @Option(help: "HTTP status code of every response.")
    var status: Int = 200

    @Option(name: .customLong("echo-header"),
            help: "Also answer with this request header, as a `name: value` line after the text (repeatable; e.g. x-forwarded-client-cert, which names the caller behind mesh mTLS).")
    var echoHeaders: [String] = []

    func validate() throws {
        _ = try ListenAddress(parsing: listen)
        if !(200...599).contains(status) { throw ValidationError("--status must be between 200 and 599") }
    }

    func run() throws {
        let address = try ListenAddress(parsing: listen)
        var reply = EchoReply(status: HTTPResponseStatus(statusCode: status), text: text)
        reply.echoHeaders = echoHeaders.map { $0.lowercased() }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }

        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(EchoHandler(reply: reply))
                }
            }
        let server: Channel
        do {
            server = try bootstrap.bind(host: address.host, port: address.port).wait()
        } catch {
            FileHandleOutput.standardError("meshc echo: cannot listen on \(address): \(error)")
            throw ExitCode(2)
        }

        // Stop on SIGTERM/SIGINT at once, from the signal handler itself
        // (_exit is async-signal-safe): an echo backend has nothing to flush,
        // and a dispatch-source handler was seen to lag by seconds under load.
        for number in [SIGTERM, SIGINT] {
            signal(number) { _ in _exit(0) }
        }

        var bound = address
        if let local = server.localAddress {
            bound.host = local.ipAddress ?? address.host
            bound.port = local.port ?? address.port
        }
        FileHandleOutput.standardError("meshc echo: listening on \(bound)")
        try server.closeFuture.wait()
    }
}

/// A parsed `--listen` value.
struct ListenAddress: CustomStringConvertible {
    var host: String
    var port: Int

    var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// Accepts `HOST:PORT`, `[IPv6]:PORT` and `:PORT` (meaning 127.0.0.1).
    init(parsing text: String) throws {
        guard let colon = text.lastIndex(of: ":") else {
            throw ValidationError("--listen '\(text)': expected HOST:PORT or :PORT")
        }
        var host = String(text[..<colon])
        let portText = text[text.index(after: colon)...]
        guard let port = Int(portText), (0...65535).contains(port) else {
            throw ValidationError("--listen '\(text)': the port must be a number from 0 to 65535")
        }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.isEmpty { host = "127.0.0.1" }
        if host.contains(":") && !text.hasPrefix("[") {
            throw ValidationError("--listen '\(text)': write IPv6 addresses in brackets, as [::1]:PORT")
        }
        self.host = host
        self.port = port
    }
}

/// The one response `meshc echo` gives, prepared once and shared by all connections.
struct EchoReply: Sendable {
    var status: HTTPResponseStatus
    var text: String
    var body: ByteBuffer
    /// Request headers (lower-case names) echoed after the text, in this order; empty: the body is always `body`.
    var echoHeaders: [String] = []

    init(status: HTTPResponseStatus, text: String) {
        self.status = status
        self.text = text
        self.body = ByteBuffer(string: text + "\n")
    }

    /// The body for a request with `headers`: the text, then one `name: value` line per echoed header present.
    func body(for headers: HTTPHeaders?) -> ByteBuffer {
        guard !echoHeaders.isEmpty, let headers else { return body }
        var out = text + "\n"
        for name in echoHeaders {
            for value in headers[name] { out += "\(name): \(value)\n" }
        }
        return ByteBuffer(string: out)
    }
}

/// Answers each request once its end arrives; the request body is read and dropped.
/// NIO's server pipeline handles pipelining, and this handler closes the
/// connection when the request asked for that (HTTP/1.0 or `Connection: close`).
final class EchoHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let reply: EchoReply
    private var keepAlive = true
    private var version = HTTPVersion.http1_1
    private var isHead = false
    private var requestHeaders: HTTPHeaders?

    init(reply: EchoReply) { self.reply = reply }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let request):
            keepAlive = request.isKeepAlive
            version = request.version
            isHead = request.method == .HEAD
            if !reply.echoHeaders.isEmpty { requestHeaders = request.headers }
        case .body:
            break
        case .end:
            respond(context: context)
        }
    }

    private func respond(context: ChannelHandlerContext) {
        let body = reply.body(for: requestHeaders)
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: "text/plain; charset=utf-8")
        headers.add(name: "content-length", value: String(body.readableBytes))
        headers.add(name: "x-app-name", value: "meshc-echo")
        if !keepAlive { headers.add(name: "connection", value: "close") }
        else if version.major == 1 && version.minor == 0 { headers.add(name: "connection", value: "keep-alive") }
        let head = HTTPResponseHead(version: version, status: reply.status, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if !isHead { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
        if keepAlive {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        } else {
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
                loopBound.value.close(promise: nil)
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }
}
