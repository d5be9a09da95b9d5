import Foundation
import Hummingbird
import Logging
import NIOCore

/// The reconciler's HTTP API (Hummingbird):
///
/// | request | answers |
/// |---|---|
/// | `GET /healthz` | 200 `ok` |
/// | `GET /status` | 200 `ReconcileStatus` JSON |
/// | `GET /metrics` | 200 Prometheus text |
/// | `POST /hooks/git` | 202, a round starts at once; needs the webhook secret (`WebhookAuth`: GitHub `X-Hub-Signature-256`, GitLab `X-Gitlab-Token` or `Authorization: Bearer`), 401 otherwise; 413 for a signed body over 256 KiB; 200 without a round for GitHub's `X-GitHub-Event: ping`; 404 when started without `--webhook-secret-file` |
package enum ReconcileServer {
    /// The application on `host:port` (0 picks one; `onListening` gets the bound port);
    /// `webhook` nil turns `POST /hooks/git` off.
    package static func application(reconciler: Reconciler, metrics: ReconcileMetrics, webhook: WebhookAuth?, host: String, port: Int,
                                    logger: Logger, onListening: @escaping @Sendable (Int) -> Void) -> some ApplicationProtocol {
        let router = Router()
        router.get("/healthz") { _, _ in text(.ok, "ok\n", type: "text/plain; charset=utf-8") }
        router.get("/status") { _, _ in
            text(.ok, await reconciler.status().jsonText + "\n", type: "application/json")
        }
        router.get("/metrics") { _, _ in text(.ok, metrics.text(await reconciler.status()), type: "text/plain; version=0.0.4") }
        router.post("/hooks/git") { request, _ in
            guard let webhook else {
                return json(.notFound, ["error": "webhook disabled", "reason": "start meshc reconcile with --webhook-secret-file FILE to turn POST /hooks/git on"])
            }
            // Header-only methods are judged before any of the body is read.
            let headers = WebhookAuth.Headers(request.headers)
            var verdict = webhook.judge(headers)
            if verdict == .readBody {
                let body: ByteBuffer
                do { body = try await request.body.collect(upTo: WebhookAuth.maxSignedBody) } catch is NIOTooManyBytesError {
                    return json(.contentTooLarge, ["error": "payload too large", "reason": "a signed webhook body may be at most \(WebhookAuth.maxSignedBody / 1024) KiB"])
                }
                verdict = webhook.judge(headers, body: Array(body.readableBytesView))
            }
            guard verdict == .accepted else {
                let reason = if case .rejected(let reason) = verdict { reason } else { WebhookAuth.expected }
                var response = json(.unauthorized, ["error": "unauthorized", "reason": reason])
                response.headers[.wwwAuthenticate] = "Bearer"
                return response
            }
            if request.headers[WebhookHeader.gitHubEvent] == "ping" { return text(.ok, "{\"pong\":true}\n", type: "application/json") }
            reconciler.trigger()
            return text(.accepted, "{\"triggered\":true}\n", type: "application/json")
        }
        return Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? port) },
            logger: logger)
    }

    /// A JSON object of string `fields`, sorted keys.
    static func json(_ status: HTTPResponse.Status, _ fields: [String: String]) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = (try? String(decoding: encoder.encode(fields), as: UTF8.self)) ?? "{}"
        return text(status, body + "\n", type: "application/json")
    }

    static func text(_ status: HTTPResponse.Status, _ body: String, type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}

extension WebhookAuth.Headers {
    /// The fields of `headers` that can authenticate a webhook.
    init(_ headers: HTTPFields) {
        self.init(authorization: headers[.authorization], gitlabToken: headers[WebhookHeader.gitLabToken], hubSignature256: headers[WebhookHeader.hubSignature256])
    }
}

/// Header names Hummingbird has no constant for (`HTTPFields.Element` is HTTPTypes' `HTTPField`).
enum WebhookHeader {
    typealias Name = HTTPFields.Element.Name
    static let gitLabToken = Name("X-Gitlab-Token")!
    static let hubSignature256 = Name("X-Hub-Signature-256")!
    static let gitHubEvent = Name("X-GitHub-Event")!
}
