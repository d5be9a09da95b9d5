import Foundation
import MeshIdentity
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// How `AgentClient` sends a request: AsyncHTTPClient (plain HTTP) unless a transport is given.
package protocol AgentTransport: Sendable {
    /// Sends one request; the status and at most `limit` bytes of body, before `timeout`.
    func send(_ method: HTTPMethod, _ path: String, headers: [(String, String)], body: String?, limit: Int,
              timeout: TimeAmount) async throws -> (Int, String)
}

/// The reconciler's TLS identity and the mesh root it trusts (PEM).
package struct ClientCredentials: Sendable, Equatable {
    /// Leaf and chain.
    package var chainPEM: String
    /// The key of the leaf.
    package var keyPEM: String
    /// The mesh root.
    package var rootPEM: String

    /// Credentials from their parts.
    package init(chainPEM: String, keyPEM: String, rootPEM: String) {
        self.chainPEM = chainPEM
        self.keyPEM = keyPEM
        self.rootPEM = rootPEM
    }
}

/// Why a request to an agent did not go out over mTLS. Nothing (no token,
/// no body) is written before the agent's certificate has been verified.
package enum MTLSFailure: Error, CustomStringConvertible, Sendable {
    /// The agent's certificate does not chain to the mesh root or names someone else.
    case unverified(address: String, reason: String)
    /// The TLS handshake failed for another reason (an agent that serves plain HTTP: not enrolled yet).
    case noTLS(address: String, reason: String)

    package var description: String {
        switch self {
        case .unverified(let address, let reason): return "unverified agent: \(address) \(reason)"
        case .noTLS(let address, let reason): return "unverified agent: \(address) does not serve mTLS (\(reason)); is it enrolled?"
        }
    }
}

/// One request per connection over TLS 1.3 with a client certificate
/// (SwiftNIO + NIOSSL; AsyncHTTPClient has no hook to check a URI SAN).
/// The server's chain is checked in NIOSSL's custom verification callback
/// (`PeerCertificate`: the mesh root, exactly `identity`) during the
/// handshake, so the request — bearer token included — is only written
/// on a connection to the proxy the repository names.
package struct MTLSTransport: AgentTransport {
    let host: String
    let port: Int
    let identity: SPIFFEID
    let credentials: ClientCredentials
    let connectTimeout: TimeAmount

    /// A transport to `host:port`, which must prove it is `identity`.
    package init(host: String, port: Int, identity: SPIFFEID, credentials: ClientCredentials, connectTimeout: TimeAmount = .seconds(2)) {
        self.host = host
        self.port = port
        self.identity = identity
        self.credentials = credentials
        self.connectTimeout = connectTimeout
    }

    var address: String { "\(host):\(port)" }

    func context() throws -> NIOSSLContext {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv13
        tls.certificateVerification = .noHostnameVerification
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(credentials.rootPEM.utf8)))
        tls.certificateChain = try NIOSSLCertificate.fromPEMBytes(Array(credentials.chainPEM.utf8)).map { .certificate($0) }
        tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(credentials.keyPEM.utf8), format: .pem))
        return try NIOSSLContext(configuration: tls)
    }

    package func send(_ method: HTTPMethod, _ path: String, headers: [(String, String)], body: String?, limit: Int,
                      timeout: TimeAmount) async throws -> (Int, String) {
        let context = try context()
        let (rootPEM, identity, address) = (credentials.rootPEM, identity, address)
        let problem = Mutex<String?>(nil)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(connectTimeout)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = try NIOSSLClientHandler(context: context, serverHostname: nil) { certificates, promise in
                        let chain = certificates.compactMap { try? $0.toDERBytes() }
                        promise.completeWithTask {
                            guard let why = await PeerCertificate.problem(chain: chain, rootPEM: rootPEM, identity: identity) else {
                                return .certificateVerified
                            }
                            problem.withLock { $0 = why }
                            return .failed
                        }
                    }
                    try channel.pipeline.syncOperations.addHandler(handler)
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                }
            }
        let deadline = channel.channel.eventLoop.scheduleTask(in: timeout) { channel.channel.close(promise: nil) }
        defer { deadline.cancel() }
        do {
            return try await channel.executeThenClose { inbound, outbound in
                var head = HTTPRequestHead(version: .http1_1, method: method, uri: path)
                head.headers.add(name: "host", value: address)
                head.headers.add(name: "connection", value: "close")
                for (name, value) in headers { head.headers.add(name: name, value: value) }
                let bytes = ByteBuffer(string: body ?? "")
                if body != nil || method == .PUT || method == .PATCH || method == .POST { head.headers.add(name: "content-length", value: String(bytes.readableBytes)) }
                try await outbound.write(.head(head))
                if body != nil { try await outbound.write(.body(.byteBuffer(bytes))) }
                try await outbound.write(.end(nil))
                var status = 0
                var collected = ByteBuffer()
                for try await part in inbound {
                    switch part {
                    case .head(let response): status = Int(response.status.code)
                    case .body(var chunk):
                        guard collected.readableBytes + chunk.readableBytes <= limit else {
                            throw AgentClient.Failure(status: status, description: "\(method) \(path): the answer is larger than \(limit >> 20) MiB")
                        }
                        collected.writeBuffer(&chunk)
                    case .end: return (status, String(buffer: collected))
                    }
                }
                throw AgentClient.Failure(status: 0, description: "\(method) \(path): \(address) closed the connection before answering (or no answer before the deadline)")
            }
        } catch let failure as AgentClient.Failure {
            throw failure
        } catch {
            if let why = problem.withLock({ $0 }) { throw MTLSFailure.unverified(address: address, reason: why) }
            if error is NIOSSLError || error is BoringSSLError { throw MTLSFailure.noTLS(address: address, reason: "\(error)") }
            throw error
        }
    }
}
