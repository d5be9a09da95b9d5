/// The agent API's open connections and which one to close when a new one
/// arrives at the cap: the one idle longest without a complete request
/// (least recently active first). A connection whose complete request is
/// being answered is never chosen. Pure; `ConnectionGuard` does the I/O.
///
/// Eviction order is a queue of `(id, stamp)` tokens: activity appends a new
/// token and makes the old one stale (its stamp no longer matches), so every
/// operation is amortised O(1) however many connections are open.
package struct ConnectionTable<Connection> {
    /// The most connections kept open; the next one closes the oldest idle.
    package let capacity: Int
    private var entries: [Int: Entry] = [:]
    private var queue: [(id: Int, stamp: Int)] = []
    private var head = 0
    private var nextID = 0
    private var nextStamp = 0

    private struct Entry {
        let connection: Connection
        /// nil while a complete request is being answered (not evictable).
        var stamp: Int?
    }

    package init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Open connections.
    package var count: Int { entries.count }

    /// Adds a connection (idle, the newest). Returns its id and the
    /// connections to close now, oldest idle first; the new one itself when
    /// every other connection is answering a request.
    package mutating func open(_ connection: Connection) -> (id: Int, close: [Connection]) {
        let id = nextID
        nextID += 1
        entries[id] = Entry(connection: connection, stamp: nil)
        markIdle(id)
        var victims: [Connection] = []
        while entries.count > capacity, let victim = popOldestIdle() {
            victims.append(entries.removeValue(forKey: victim)!.connection)
        }
        return (id, victims)
    }

    /// Bytes of a request arrived: an idle connection becomes the newest.
    package mutating func touch(_ id: Int) {
        guard entries[id]?.stamp != nil else { return }
        markIdle(id)
    }

    /// A complete request arrived: not evictable until `answered`.
    package mutating func busy(_ id: Int) {
        entries[id]?.stamp = nil
    }

    /// The response is written: evictable again, the newest.
    package mutating func answered(_ id: Int) {
        guard entries[id] != nil else { return }
        markIdle(id)
    }

    /// The connection closed (evicted ones are already gone).
    package mutating func closed(_ id: Int) {
        entries[id] = nil
        compactIfMostlyStale()
    }

    private mutating func markIdle(_ id: Int) {
        nextStamp += 1
        entries[id]?.stamp = nextStamp
        queue.append((id, nextStamp))
        compactIfMostlyStale()
    }

    private mutating func popOldestIdle() -> Int? {
        while head < queue.count {
            let token = queue[head]
            head += 1
            if entries[token.id]?.stamp == token.stamp { return token.id }
        }
        return nil
    }

    /// Drops stale and consumed tokens once they outnumber the live ones (amortised O(1)).
    private mutating func compactIfMostlyStale() {
        let pending = queue.count - head
        let stale = pending > 64 && pending > 2 * entries.count
        let consumed = head > 1024 && 2 * head > queue.count
        guard stale || consumed else { return }
        queue = queue[head...].filter { entries[$0.id]?.stamp == $0.stamp }
        head = 0
    }

    /// Tokens held (tests: the queue stays proportional to the open connections).
    package var queuedTokens: Int { queue.count }
}
