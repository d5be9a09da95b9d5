import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A small Zipkin collector on 127.0.0.1 (`LoopbackServer`): keeps the spans
/// of every `POST /api/v2/spans` (Zipkin v2 JSON) and answers `202 Accepted`.
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

    private let server: LoopbackServer
    private let store = Store()

    init() throws {
        let store = store
        server = try LoopbackServer { request in
            store.record(request.body)
            return (202, "")
        }
    }

    var port: Int { server.port }
    var spans: [Span] { store.lock.withLock { store.collected } }
    /// Request bodies that were not a JSON span list (shown when a test fails).
    var rejected: [String] { store.lock.withLock { store.undecodable } }

    func stop() { server.stop() }

    /// What the collector received, read and written under `lock`.
    private final class Store: @unchecked Sendable {
        let lock = NSLock()
        var collected: [Span] = []
        var undecodable: [String] = []

        func record(_ body: [UInt8]) {
            if let spans = try? JSONDecoder().decode([Span].self, from: Data(body)) {
                lock.withLock { collected += spans }
            } else {
                lock.withLock { undecodable.append(String(decoding: body.prefix(500), as: UTF8.self)) }
            }
        }
    }
}
