import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdCore
import Logging
import MeshDiagnostics
import NIOCore

/// The agent's HTTP API for the reconciler (Hummingbird):
///
/// | request | answers |
/// |---|---|
/// | `GET /healthz` | 200 `ok` (no token needed) |
/// | `GET /v1/state` | 200 `AgentState`; `ETag: "<snapshotVersion>"` |
/// | `GET /v1/snapshot` | 200 the applied bundle (`ETag`), 404 before the first |
/// | `PUT /v1/snapshot` | 200 applied (`AgentState`), 400 malformed, 409 stale precondition, 422 invalid (`envoy --mode validate` refused it, nothing written) or rejected by Envoy (old config restored), 428 no precondition, 503 Envoy not ready |
/// | `PATCH /v1/snapshot` | a `SnapshotDelta` over the applied snapshot (`If-Match` names it): the same answers as `PUT`; 409 when it is not the applied one |
/// | (both) | `Prefer: return=minimal`: the answer's `AgentState` has an empty `resources` list (`Preference-Applied: return=minimal`) |
/// | `POST /v1/csr` | `{"identity": "spiffe://…"}` → 200 `AgentIdentity.CSRAnswer` (a CSR with a fresh local key and its proof), 400 bad identity |
/// | `PUT /v1/certificate` | `{"certificateChain", "root"}` (PEM) → 200 the certificate (`AgentState.Certificate`), 409 no pending CSR, 422 not for the pending key and identity or not chaining to `root` |
///
/// `PUT` needs `If-Match: <snapshotVersion the writer last saw>` (or `*`),
/// or `If-None-Match: *` for the first snapshot. Everything but `/healthz`
/// needs `Authorization: Bearer <token>` (401 otherwise). A body past
/// `ServerLimits.maxBodyBytes` gets 413; one that would pass the bodies-in-flight
/// budget 503 with `Retry-After: 1`. Errors are
/// `{"error": "<kind>", "reason": "…"}` plus `state` (422) or `snapshotVersion` (409).
package enum AgentServer {
    /// The application, listening on `host:port` (port 0 picks one; `onListening` gets the bound port),
    /// holding at most what `limits` allows (connections, header and idle timeouts, body bytes).
    package static func application(agent: Agent, token: String, host: String, port: Int, limits: ServerLimits = ServerLimits(),
                                   identity: AgentIdentity? = nil,
                                   logger: Logger, onListening: @escaping @Sendable (Int) -> Void) -> some ApplicationProtocol {
        let connections = ConnectionGuard(limits: limits, logger: logger)
        let router = Router()
        router.add(middleware: BearerAuthentication(token: token))
        addRoutes(router, agent: agent, limits: limits, identity: identity)
        let server = HTTPServerBuilder.http1(configuration: .init(
            additionalChannelHandlers: [connections.handler()], idleTimeout: TimeAmount(limits.idleTimeout)))
        return Application(
            router: router,
            server: server,
            configuration: .init(address: .hostname(host, port: port), serverName: nil, backlog: limits.backlog),
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? port) },
            logger: logger)
    }

    /// Every route of the API on `router` (authentication is the caller's middleware).
    static func addRoutes(_ router: Router<BasicRequestContext>, agent: Agent, limits: ServerLimits, identity: AgentIdentity?) {
        let bodies = BodyBudget(capacity: limits.bodyBytesInFlight)
        router.get("/healthz") { _, _ in Self.text(.ok, "ok\n") }
        router.get("/v1/state") { _, _ in
            var state = await agent.state()
            state.certificate = await identity?.certificate()
            return Self.json(.ok, state.jsonText, etag: state.snapshotVersion)
        }
        router.get("/metrics") { _, _ in
            let text = agent.metrics.text(state: await agent.state(), certificate: await identity?.certificate())
            return Self.text(.ok, text)
        }
        if let identity { addIdentityRoutes(router, identity: identity) }
        router.get("/v1/snapshot") { _, _ in
            guard let snapshot = await agent.appliedSnapshot() else {
                return Self.error(.notFound, "none", "no snapshot has been applied yet")
            }
            return Self.json(.ok, snapshot.bundle(), etag: snapshot.version)
        }
        router.put("/v1/snapshot") { request, _ in
            try await Self.withBody(request, limits: limits, bodies: bodies) { body in
                await agent.put(body, precondition: Self.precondition(request.headers))
            }
        }
        router.patch("/v1/snapshot") { request, _ in
            try await Self.withBody(request, limits: limits, bodies: bodies) { body in
                await agent.patch(body, precondition: Self.precondition(request.headers))
            }
        }
    }

    /// `If-Match` / `If-None-Match` → the precondition (quotes and `W/` dropped).
    static func precondition(_ headers: HTTPFields) -> Agent.Precondition? {
        if let value = headers[.ifMatch] {
            let version = unquote(value)
            return version == "*" ? .any : .version(version)
        }
        if let value = headers[.ifNoneMatch], unquote(value) == "*" { return Agent.Precondition.none }
        return nil
    }

    private static func unquote(_ value: String) -> String {
        var text = value.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("W/") { text.removeFirst(2) }
        if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") { text = String(text.dropFirst().dropLast()) }
        return text
    }

    /// Reads a snapshot body (a bundle or a delta) under the limits and hands it to `deliver`:
    /// the body's bytes are reserved before it is read, so bodies in flight stay under the budget.
    static func withBody(_ request: Request, limits: ServerLimits, bodies: BodyBudget,
                         _ deliver: (Data) async -> Agent.PutResult) async throws -> Response {
        let declared = request.headers[.contentLength].flatMap(Int.init)
        if let declared, declared > limits.maxBodyBytes {
            return error(.contentTooLarge, "too-large", "the body is \(declared) bytes; the agent takes at most \(limits.maxBodyBytes)")
        }
        let reservation = declared ?? limits.maxBodyBytes
        guard bodies.reserve(reservation) else {
            var response = error(.serviceUnavailable, "busy", "other snapshot bodies fill the agent's \(limits.bodyBytesInFlight)-byte budget; retry shortly")
            response.headers[.retryAfter] = "1"
            return response
        }
        defer { bodies.release(reservation) }
        let body = try await request.body.collect(upTo: limits.maxBodyBytes)
        return response(await deliver(Data(body.readableBytesView)), minimal: prefersMinimal(request.headers))
    }

    static let preferField = HTTPField.Name("Prefer")!
    static let preferenceAppliedField = HTTPField.Name("Preference-Applied")!

    /// `Prefer: return=minimal` (RFC 7240): the answer's state leaves out the
    /// resource list (thousands of entries for a large proxy; the reconciler reads the version).
    static func prefersMinimal(_ headers: HTTPFields) -> Bool {
        headers[values: Self.preferField].contains { value in
            value.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces).lowercased() == "return=minimal" }
        }
    }

    /// `state` as an answer shows it: without its resources when `minimal`.
    static func shown(_ state: AgentState, minimal: Bool) -> AgentState {
        var state = state
        if minimal { state.resources = [] }
        return state
    }

    static func response(_ result: Agent.PutResult, minimal: Bool = false) -> Response {
        var answer = answer(result, minimal: minimal)
        if minimal { answer.headers[Self.preferenceAppliedField] = "return=minimal" }
        return answer
    }

    private static func answer(_ result: Agent.PutResult, minimal: Bool) -> Response {
        switch result {
        case .applied(let state):
            return json(.ok, shown(state, minimal: minimal).jsonText, etag: state.snapshotVersion)
        case .stale(let current):
            let body: JSON = .object([
                "error": .string("stale"),
                "reason": .string("the precondition does not name the applied snapshot \(current ?? "(none)"); read /v1/state and plan again"),
                "snapshotVersion": current.map(JSON.string) ?? .null,
            ])
            return json(.conflict, body.rendered(), etag: current)
        case .preconditionRequired:
            return error(.preconditionRequired, "precondition", "send If-Match: <snapshotVersion from /v1/state> (or *), or If-None-Match: * for the first snapshot")
        case .rejected(let reason, let state):
            let stateJSON = (try? JSON.parse(Data(shown(state, minimal: minimal).jsonText.utf8))) ?? .null
            let body: JSON = .object(["error": .string("rejected"), "reason": .string(reason), "state": stateJSON])
            return json(.unprocessableContent, body.rendered(), etag: state.snapshotVersion)
        case .malformed(let reason):
            return error(.badRequest, "malformed", reason)
        case .unavailable(let reason):
            return error(.serviceUnavailable, "unavailable", reason)
        case .invalid(let reason):
            return error(.unprocessableContent, "invalid", reason)
        }
    }

    static func error(_ status: HTTPResponse.Status, _ kind: String, _ reason: String) -> Response {
        json(status, JSON.object(["error": .string(kind), "reason": .string(reason)]).rendered())
    }

    static func json(_ status: HTTPResponse.Status, _ text: String, etag: String? = nil) -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let etag { headers[.eTag] = "\"\(etag)\"" }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text + "\n")))
    }

    static func text(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}

/// `Authorization: Bearer <token>` on every path but `/healthz`; 401 otherwise.
struct BearerAuthentication<Context: RequestContext>: RouterMiddleware {
    let token: [UInt8]

    init(token: String) { self.token = Array(token.utf8) }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.path == "/healthz" { return try await next(request, context) }
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer "),
              BearerToken.same(Array(header.utf8.dropFirst(7)), token) else {
            var response = AgentServer.error(.unauthorized, "unauthorized", "send Authorization: Bearer <the token in the agent's --token-file>")
            response.headers[.wwwAuthenticate] = "Bearer"
            return response
        }
        return try await next(request, context)
    }
}

/// Bearer token checks the agent and the reconciler share.
package enum BearerToken {
    /// Compares in time independent of where the bytes differ.
    package static func same(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }
}
