import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypes
import Synchronization

/// The agent API's open connections, shared by every connection's
/// `ConnectionGuardHandler`: at `maxConnections` a new connection closes the
/// one idle longest without a complete request, so a flood of idle
/// connections never keeps the reconciler's request waiting in the accept
/// queue (a plain cap would stop accepting and do just that).
package final class ConnectionGuard: Sendable {
    private let table: Mutex<ConnectionTable<any Channel>>
    private let evictions = Mutex<(total: Int, warned: ContinuousClock.Instant?)>((0, nil))
    let headerTimeout: TimeAmount
    let logger: Logger

    package init(limits: ServerLimits, logger: Logger) {
        table = Mutex(ConnectionTable(capacity: limits.maxConnections))
        headerTimeout = TimeAmount(limits.headerTimeout)
        self.logger = logger
    }

    /// Open connections.
    package var count: Int { table.withLock { $0.count } }

    /// Registers `channel` and closes the connections it displaces.
    func open(_ channel: any Channel) -> Int {
        let (id, victims) = table.withLock { $0.open(channel) }
        guard !victims.isEmpty else { return id }
        for victim in victims { victim.close(promise: nil) }
        noteEvictions(victims.count)
        return id
    }

    func touch(_ id: Int) { table.withLock { $0.touch(id) } }
    func busy(_ id: Int) { table.withLock { $0.busy(id) } }
    func answered(_ id: Int) { table.withLock { $0.answered(id) } }
    func closed(_ id: Int) { table.withLock { $0.closed(id) } }

    /// One warning per 10 s while the cap is being hit, with the running total.
    private func noteEvictions(_ count: Int) {
        let now = ContinuousClock.now
        let report: Int? = evictions.withLock { state in
            state.total += count
            if let warned = state.warned, now - warned < .seconds(10) { return nil }
            state.warned = now
            return state.total
        }
        if let report {
            logger.warning("connection cap reached: closing the connections idle longest without a request", metadata: ["evicted.total": "\(report)"])
        }
    }

    /// A fresh handler for one connection (`HTTP1Channel.Configuration.additionalChannelHandlers`).
    func handler() -> ConnectionGuardHandler { ConnectionGuardHandler(guard: self) }
}

/// One connection's side of `ConnectionGuard`: registers the connection,
/// reports its requests and responses, and closes it if no complete request
/// head arrives within the header timeout. Sits after the HTTP decoder.
final class ConnectionGuardHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let connections: ConnectionGuard
    private var id: Int?
    private var headerTimer: Scheduled<Void>?

    init(guard connections: ConnectionGuard) { self.connections = connections }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { register(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        register(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        unregister()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        unregister()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if let id {
            switch unwrapInboundIn(data) {
            case .head:
                headerTimer?.cancel()
                headerTimer = nil
                connections.touch(id)
            case .body:
                connections.touch(id)
            case .end:
                connections.busy(id)
            }
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if let id, case .end = unwrapOutboundIn(data) { connections.answered(id) }
        context.write(data, promise: promise)
    }

    private func register(_ context: ChannelHandlerContext) {
        guard id == nil else { return }
        id = connections.open(context.channel)
        let channel = context.channel
        headerTimer = context.eventLoop.scheduleTask(in: connections.headerTimeout) {
            channel.close(promise: nil)
        }
    }

    private func unregister() {
        headerTimer?.cancel()
        headerTimer = nil
        if let id { connections.closed(id) }
        id = nil
    }
}
