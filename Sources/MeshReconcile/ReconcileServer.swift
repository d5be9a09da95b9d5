import Foundation
import Hummingbird
import Logging
import MeshAgent
import NIOCore

/// The reconciler's HTTP API (Hummingbird):
///
/// | request | answers |
/// |---|---|
/// | `GET /healthz` | 200 `ok` |
/// | `GET /status` | 200 `ReconcileStatus` JSON |
/// | `GET /metrics` | 200 Prometheus text |
/// | `POST /hooks/git` | 202, a round starts at once; needs `Authorization: Bearer <token>` (401 otherwise) |
public enum ReconcileServer {
    /// The application on `host:port` (0 picks one; `onListening` gets the bound port).
    public static func application(reconciler: Reconciler, metrics: ReconcileMetrics, token: String, host: String, port: Int,
                                   logger: Logger, onListening: @escaping @Sendable (Int) -> Void) -> some ApplicationProtocol {
        let router = Router()
        let expected = Array("Bearer \(token)".utf8)
        router.get("/healthz") { _, _ in text(.ok, "ok\n", type: "text/plain; charset=utf-8") }
        router.get("/status") { _, _ in
            text(.ok, await reconciler.status().jsonText + "\n", type: "application/json")
        }
        router.get("/metrics") { _, _ in text(.ok, metrics.text(), type: "text/plain; version=0.0.4") }
        router.post("/hooks/git") { request, _ in
            _ = try await request.body.collect(upTo: 1 << 20)
            guard let header = request.headers[.authorization], BearerToken.same(Array(header.utf8), expected) else {
                var response = text(.unauthorized, "{\"error\":\"unauthorized\",\"reason\":\"send Authorization: Bearer <the token in --token-file>\"}\n", type: "application/json")
                response.headers[.wwwAuthenticate] = "Bearer"
                return response
            }
            reconciler.trigger()
            return text(.accepted, "{\"triggered\":true}\n", type: "application/json")
        }
        return Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? port) },
            logger: logger)
    }

    static func text(_ status: HTTPResponse.Status, _ body: String, type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}
