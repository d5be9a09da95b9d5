import AsyncHTTPClient
import Foundation
import MeshDiagnostics
import MeshSnapshot
import NIOCore
import NIOHTTP1

/// The reconciler's side of the agent API (`AgentServer`), over AsyncHTTPClient.
///
///     let agent = AgentClient(base: "http://127.0.0.1:15100", token: token, client: .shared)
///     let running = try await agent.state()
///     switch try await agent.put(snapshot.bundle(), ifMatch: running.snapshotVersion) { … }
package struct AgentClient: Sendable {
    /// What `put` got back.
    package enum PutResult: Sendable, Equatable {
        /// 200: Envoy runs the bundle now.
        case applied(AgentState)
        /// 409: someone else applied `current` since the writer read it; read and plan again.
        case stale(current: String?)
        /// 422: Envoy refused it; the last good config is back and serving.
        case rejected(reason: String, state: AgentState?)
        /// 422: `envoy --mode validate` refused it beside the agent's Envoy; nothing was written.
        case invalid(String)
        /// 400: the agent refused the bundle itself.
        case malformed(String)
    }

    /// An unexpected answer (401, 5xx, …) or no answer.
    package struct Failure: Error, CustomStringConvertible, Sendable {
        /// The HTTP status (0 when there was no answer).
        package var status: Int
        /// The request, the status and the body.
        package var description: String

        /// A failure with `status` (0: no answer) saying `description`.
        package init(status: Int, description: String) {
            self.status = status
            self.description = description
        }
    }

    /// `http://HOST:PORT` of the agent.
    package let base: String
    /// The bearer token; nil sends none (an enrolling agent, not verified yet, gets no credential).
    private var token: String?
    private let client: HTTPClient
    private let timeout: TimeAmount
    /// Sends requests instead of AsyncHTTPClient (`MTLSTransport`); nil: plain HTTP.
    private var transport: (any AgentTransport)?

    /// A client over `transport` (or plain HTTP), sending `token` (or none).
    package init(base: String, token: String?, transport: (any AgentTransport)?, client: HTTPClient = .shared, timeout: TimeAmount = .seconds(60)) {
        self.init(base: base, token: token ?? "", client: client, timeout: timeout)
        self.transport = transport
        if token == nil { self.token = nil }
    }

    /// `base` is `http://HOST:PORT` of the agent's `--listen`; `token` the content of its `--token-file`.
    package init(base: String, token: String, client: HTTPClient = .shared, timeout: TimeAmount = .seconds(60)) {
        self.base = base.hasSuffix("/") ? String(base.dropLast()) : base
        self.token = token.trimmingCharacters(in: .whitespacesAndNewlines)
        self.client = client
        self.timeout = timeout
    }

    /// Answers read at most: a state or a verdict (16 MiB), a bundle (256 MiB).
    /// A larger answer is an error, so a broken or hostile agent cannot make the reconciler hold it.
    static let answerLimit = 16 << 20
    static let bundleLimit = 256 << 20

    /// `GET /v1/state`.
    package func state() async throws -> AgentState {
        let (status, body) = try await send(.GET, "/v1/state")
        guard status == 200 else { throw Failure(status: status, description: "GET /v1/state: \(status) \(Bounded.text(body, Bounded.quote))") }
        return try JSONDecoder().decode(AgentState.self, from: Data(body.utf8))
    }

    /// `GET /v1/snapshot`: the bundle Envoy runs, or nil before the first.
    package func snapshot() async throws -> ProxySnapshot? {
        let (status, body) = try await send(.GET, "/v1/snapshot", limit: Self.bundleLimit)
        if status == 404 { return nil }
        guard status == 200 else { throw Failure(status: status, description: "GET /v1/snapshot: \(status) \(Bounded.text(body, Bounded.quote))") }
        return try ProxySnapshot(bundle: Array(body.utf8))
    }

    /// `PUT /v1/snapshot` with `If-Match: ifMatch` (the `snapshotVersion`
    /// last read; `*` for any), or `If-None-Match: *` when `ifMatch` is nil
    /// (only while nothing is applied). `bundle` is `ProxySnapshot.bundle()`.
    /// `minimal`: `Prefer: return=minimal`, the answer's state without its resource list.
    package func put(_ bundle: String, ifMatch: String?, minimal: Bool = false) async throws -> PutResult {
        try await deliver(.PUT, bundle, ifMatch: ifMatch, minimal: minimal)
    }

    /// `PATCH /v1/snapshot`: a `SnapshotDelta` over `ifMatch`, the version the agent runs.
    /// An agent that takes no delta (404, 405) answers `.malformed`.
    package func patch(_ delta: String, ifMatch: String, minimal: Bool = false) async throws -> PutResult {
        try await deliver(.PATCH, delta, ifMatch: ifMatch, minimal: minimal)
    }

    private func deliver(_ method: HTTPMethod, _ bundle: String, ifMatch: String?, minimal: Bool) async throws -> PutResult {
        var headers = [("content-type", "application/json")]
        if minimal { headers.append(("prefer", "return=minimal")) }
        if let ifMatch { headers.append(("if-match", ifMatch == "*" ? "*" : "\"\(ifMatch)\"")) } else { headers.append(("if-none-match", "*")) }
        let (status, body) = try await send(method, "/v1/snapshot", body: bundle, headers: headers)
        let json = try? JSON.parse(Data(body.utf8))
        switch status {
        case 200: return .applied(try JSONDecoder().decode(AgentState.self, from: Data(body.utf8)))
        case 409: return .stale(current: json?["snapshotVersion"]?.text.map { Bounded.text($0, Bounded.label) })
        case 422 where json?["error"]?.text == "invalid":
            return .invalid(Bounded.text(json?["reason"]?.text ?? body, Bounded.reason))
        case 422:
            let state = json?["state"].flatMap { try? JSONDecoder().decode(AgentState.self, from: Data($0.rendered().utf8)) }
            return .rejected(reason: Bounded.text(json?["reason"]?.text ?? body, Bounded.reason), state: state)
        case 400: return .malformed(Bounded.text(json?["reason"]?.text ?? body, Bounded.reason))
        case 404 where method == .PATCH, 405 where method == .PATCH: return .malformed("the agent takes no delta (\(status))")
        default: throw Failure(status: status, description: "\(method) /v1/snapshot: \(status) \(Bounded.text(body, Bounded.quote))")
        }
    }

    /// `put` of a snapshot.
    package func put(_ snapshot: ProxySnapshot, ifMatch: String?, minimal: Bool = false) async throws -> PutResult {
        try await put(snapshot.bundle(), ifMatch: ifMatch, minimal: minimal)
    }

    /// `POST /v1/csr`: a CSR for `identity` (a SPIFFE URI), made with a fresh key on the agent's host.
    package func requestCSR(identity: String) async throws -> AgentIdentity.CSRAnswer {
        let body = JSON.object(["identity": .string(identity)]).rendered()
        let (status, text) = try await send(.POST, "/v1/csr", body: body, headers: [("content-type", "application/json")])
        guard status == 200 else { throw Failure(status: status, description: "POST /v1/csr: \(status) \(Bounded.text(text, Bounded.quote))") }
        return try JSONDecoder().decode(AgentIdentity.CSRAnswer.self, from: Data(text.utf8))
    }

    /// `PUT /v1/certificate`: the signed chain (leaf first) and the trust anchor, for the last CSR;
    /// `enrollmentMAC` (`CSRProof.installMAC`) for an enrolling agent.
    package func installCertificate(chainPEM: String, rootPEM: String, enrollmentMAC: String? = nil) async throws -> AgentState.Certificate {
        let body = JSON.object(["certificateChain": .string(chainPEM), "root": .string(rootPEM)]).rendered()
        var headers = [("content-type", "application/json")]
        if let enrollmentMAC { headers.append(("x-meshc-enrollment-mac", enrollmentMAC)) }
        let (status, text) = try await send(.PUT, "/v1/certificate", body: body, headers: headers)
        guard status == 200 else { throw Failure(status: status, description: "PUT /v1/certificate: \(status) \(Bounded.text(text, Bounded.quote))") }
        return try JSONDecoder().decode(AgentState.Certificate.self, from: Data(text.utf8))
    }

    private func send(_ method: HTTPMethod, _ path: String, body: String? = nil, headers: [(String, String)] = [],
                      limit: Int = answerLimit) async throws -> (Int, String) {
        var headers = headers
        if let token { headers.insert(("authorization", "Bearer \(token)"), at: 0) }
        if let transport { return try await transport.send(method, path, headers: headers, body: body, limit: limit, timeout: timeout) }
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await client.execute(request, timeout: timeout)
        let bytes: ByteBuffer
        do { bytes = try await response.body.collect(upTo: limit) } catch is NIOTooManyBytesError {
            throw Failure(status: Int(response.status.code), description: "\(method) \(path): the answer is larger than \(limit >> 20) MiB")
        }
        return (Int(response.status.code), String(buffer: bytes))
    }
}
