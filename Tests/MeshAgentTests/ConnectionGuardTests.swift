import Testing
@testable import MeshAgent

/// The agent API's connection cap: at the cap a new connection closes the one
/// idle longest without a complete request; the bodies-in-flight budget.
@Suite struct ConnectionGuardTests {
    @Test func underTheCapNothingIsClosed() {
        var table = ConnectionTable<String>(capacity: 3)
        for name in ["a", "b", "c"] { #expect(table.open(name).close.isEmpty) }
        #expect(table.count == 3)
    }

    @Test func atTheCapTheOldestIdleConnectionIsClosed() {
        var table = ConnectionTable<String>(capacity: 2)
        _ = table.open("a")
        _ = table.open("b")
        #expect(table.open("c").close == ["a"])
        #expect(table.open("d").close == ["b"])
        #expect(table.count == 2)
    }

    @Test func activityMakesAConnectionTheNewest() {
        var table = ConnectionTable<String>(capacity: 2)
        let a = table.open("a").id
        _ = table.open("b")
        table.touch(a)
        #expect(table.open("c").close == ["b"])
    }

    @Test func aConnectionAnsweringARequestIsNeverClosedAndIdleAgainAfterwards() {
        var table = ConnectionTable<String>(capacity: 2)
        let a = table.open("a").id
        table.busy(a)
        _ = table.open("b")
        #expect(table.open("c").close == ["b"], "a is answering its request")
        table.answered(a)
        #expect(table.open("d").close == ["c"], "c was idle before a was answered")
        #expect(table.open("e").close == ["a"])
    }

    @Test func whenEveryOtherConnectionIsBusyTheNewOneIsClosed() {
        var table = ConnectionTable<String>(capacity: 2)
        table.busy(table.open("a").id)
        table.busy(table.open("b").id)
        #expect(table.open("c").close == ["c"])
        #expect(table.count == 2)
    }

    @Test func closedConnectionsFreeTheirPlace() {
        var table = ConnectionTable<String>(capacity: 2)
        let a = table.open("a").id
        _ = table.open("b")
        table.closed(a)
        #expect(table.open("c").close.isEmpty)
        table.closed(a) // twice, or after eviction: no effect
        #expect(table.count == 2)
    }

    @Test func aFloodKeepsTheTableAndItsQueueBounded() {
        var table = ConnectionTable<Int>(capacity: 100)
        var closed = 0
        for n in 0..<50_000 {
            let (id, victims) = table.open(n)
            closed += victims.count
            if n % 3 == 0 { for _ in 0..<10 { table.touch(id) } } // bodies arriving
        }
        #expect(table.count == 100)
        #expect(closed == 50_000 - 100)
        #expect(table.queuedTokens < 2_000, "stale tokens are dropped")
    }

    @Test func theBudgetRefusesWhatWouldPassItAndTakesBackReleases() {
        let budget = BodyBudget(capacity: 100)
        #expect(budget.reserve(60))
        #expect(!budget.reserve(41))
        #expect(budget.reserve(40))
        #expect(!budget.reserve(1))
        budget.release(60)
        #expect(budget.inUse == 40)
        #expect(budget.reserve(60))
    }

    @Test func theConnectionCapFitsUnderTheFileLimit() {
        var limits = ServerLimits()
        limits.maxConnections = 50_000
        #expect(limits.fitting(fileLimit: 20_000).maxConnections == 20_000 - 256)
        #expect(ServerLimits().fitting(fileLimit: 20_000).maxConnections == ServerLimits().maxConnections)
        #expect(ServerLimits.raiseFileLimit() > 256)
    }
}
