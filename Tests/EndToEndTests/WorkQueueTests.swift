import Foundation
import Logging
import Testing
import Trawl
import TrawlDedup
import TrawlLedger
@testable import TrawlPostgres
import Synchronization

/// The PostgreSQL coordinator's contracts, in one process with several members: fenced
/// completions, expired leases going back to the queue, dead letters, and a ledger that
/// answers as the embedded one does.
@Suite(.serialized) struct WorkQueueTests {
    static let logger = Logger(label: "test")

    static func coordinator(_ url: String, lease: Duration = .milliseconds(1500), attempts: Int = 3) async throws -> PostgresCoordinator {
        var settings = PostgresCoordinator.Settings()
        settings.lease = lease
        settings.memberTimeout = lease
        settings.maxAttempts = attempts
        // This process shares two cores with the whole suite: its tasks can wait long.
        settings.idleInTransaction = .seconds(300)
        return try await PostgresCoordinator(url: url, settings: settings, logger: logger)
    }

    static func release(_ n: Int) -> QueuedRelease {
        QueuedRelease(sequence: n, source: "s", url: "https://example.org/\(n)", canonicalURL: "https://example.org/\(n)")
    }

    @Test func aLateCompletionIsRefusedAndTheNewHolderWins() async throws {
        guard PostgresServer.available else { print("SKIPPED: PostgreSQL is not installed"); return }
        let server = try await Harness.detached { try PostgresServer() }
        defer { server.stop() }
        let c = try await Self.coordinator(try await Harness.detached { try server.createDatabase() })
        let a = try await c.join(key: "k", member: "A")
        let b = try await c.join(key: "k", member: "B")
        #expect(a.runID == b.runID, "two members of the same key joined different harvests")
        for n in 0..<3 { #expect(try await a.queue.enqueue(Self.release(n)) == n) }
        // Queued again (a second discoverer after one that died): the number it already holds,
        // never the next free one, which no item would ever finish.
        var again = Self.release(0)
        again.sequence = 3
        #expect(try await a.queue.enqueue(again) == 0, "a release queued twice, or answered with a number it does not hold")
        #expect(try await a.queue.nextSequence() == 3)
        try await a.queue.finishDiscovery(count: 3)

        let first = try #require(try await a.queue.lease(limit: 1).first)
        #expect(first.release.sequence == 0 && first.attempt == 1)
        // B sees only the others while A's lease runs.
        let other = try #require(try await b.queue.lease(limit: 1).first)
        #expect(other.release.sequence == 1)
        try await Task.sleep(for: .milliseconds(1800))
        // A stopped renewing (a paused process): its item goes to B with the next attempt.
        try await b.queue.renew([(other.release.sequence, other.attempt)])
        let taken = try #require(try await b.queue.lease(limit: 1).first)
        #expect(taken.release.sequence == 0 && taken.attempt == 2, "the expired lease was not handed on: \(taken)")
        #expect(try await !a.queue.complete(first, outcome: Data("late".utf8), unchanged: false), "a late completion was accepted")
        #expect(try await b.queue.complete(taken, outcome: Data("b".utf8), unchanged: true))
        #expect(try await b.queue.complete(other, outcome: Data("b1".utf8), unchanged: false))
        let finished = try await b.queue.finished(from: 0, limit: 10)
        #expect(finished.map(\.sequence) == [0, 1], "the writer must stop at the first unfinished item")
        #expect(finished.first?.outcome == Data("b".utf8), "the refused completion changed the item")
        #expect(try await a.queue.verdicts([0, 1]) == [0: true, 1: false])
        #expect(try await !a.queue.drained())
        await a.leave()
        await b.leave()
        await c.shutdown()
    }

    @Test func anItemWhoseLeaseKeepsExpiringIsDeadLettered() async throws {
        guard PostgresServer.available else { print("SKIPPED: PostgreSQL is not installed"); return }
        let server = try await Harness.detached { try PostgresServer() }
        defer { server.stop() }
        let c = try await Self.coordinator(try await Harness.detached { try server.createDatabase() }, attempts: 2)
        let a = try await c.join(key: "k", member: "A")
        _ = try await a.queue.enqueue(Self.release(0))
        try await a.queue.finishDiscovery(count: 1)
        for attempt in 1...2 {
            let l = try #require(try await a.queue.lease(limit: 1).first)
            #expect(l.attempt == attempt)
            try await Task.sleep(for: .milliseconds(1700))
        }
        #expect(try await a.queue.lease(limit: 1).isEmpty, "a poison item was leased a third time")
        let dead = try #require(try await a.queue.finished(from: 0, limit: 1).first)
        #expect(dead.outcome == nil)
        #expect(dead.deadReason?.contains("lease expired 2 times") == true, "\(dead.deadReason ?? "no reason")")
        #expect(try await a.queue.drained())
        let status = try await c.status()
        #expect(status.harvests.first?.dead == 1)
        await a.leave()
        await c.shutdown()
    }

    @Test func thePostgresLedgerDecidesDuplicatesAsTheEmbeddedOneDoes() async throws {
        guard PostgresServer.available else { print("SKIPPED: PostgreSQL is not installed"); return }
        let server = try await Harness.detached { try PostgresServer() }
        defer { server.stop() }
        let c = try await Self.coordinator(try await Harness.detached { try server.createDatabase() })
        let session = try await c.join(key: "k", member: "A")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let embedded = try Ledger(path: dir.appendingPathComponent("l.sqlite").path)
        let base = "The ministry announced a new programme for semiconductor research centres in five regions, with funding for ten years and a call for proposals opening in March."
        let texts: [(String, String, String?)] = [
            ("a", base, "2024-03-02"),
            ("b", base + " Contact the press office for details.", "2024-03-03"),
            ("c", base, "2024-03-01"),
            ("d", "A completely different release about fisheries quotas and the coast guard's new patrol vessels in the southern sea.", nil),
            ("e", base.replacingOccurrences(of: "five", with: "six"), nil),
        ]
        for store in [embedded as any LedgerStore, session.ledger] {
            let detector = DuplicateDetector(ledger: store)
            var decisions: [String] = []
            for (id, text, published) in texts {
                let sig = MinHashSignature(text: text)
                let hash = Fingerprint.sha256Hex(text)
                var doc = LedgerDocument(id: id, kind: .record, url: id, published: published, contentSHA256: hash, signature: sig, firstRun: "r", lastRun: "r")
                switch try await detector.decide(id: id, kind: .record, contentSHA256: hash, signature: sig, published: published, threshold: 0.8) {
                case .original: decisions.append("\(id):original")
                case .duplicate(let o, _, let exact):
                    doc.duplicateOf = o.id
                    decisions.append("\(id):dup(\(o.id),\(exact))")
                case .supersedes(let o, _, _):
                    try await store.save(doc)
                    _ = try await store.redirectDuplicates(of: [o.id], to: id)
                    decisions.append("\(id):supersedes(\(o.id))")
                    continue
                }
                try await store.save(doc)
            }
            decisions.append("dups(c)=" + (try await store.duplicates(of: "c")).map(\.id).joined(separator: ","))
            let expected = ["a:original", "b:dup(a,false)", "c:supersedes(a)", "d:original", "e:dup(c,false)", "dups(c)=a,b,e"]
            #expect(decisions == expected, "\(type(of: store)): \(decisions)")
        }
        // URL state round trip.
        let state = URLState(url: "https://x/1", kind: .release, source: "s", recordID: "r", etag: "\"e\"", lastModified: "Wed",
                             bodySHA256: "abc", payload: Data("{}".utf8), goneRuns: 1, deleted: false, lastRun: "run")
        try await session.ledger.saveURLState(state)
        #expect(try await session.ledger.urlState("https://x/1", kind: .release) == state)
        #expect(try await session.ledger.releaseURLs(source: "s", goneOnly: true) == ["https://x/1"])
        await session.leave()
        await c.shutdown()
    }
}

/// A statement sent on a connection the server has closed (an idle-in-transaction timeout
/// while the process was paused, a restart) fails at once instead of waiting forever.
@Suite struct ClosedConnectionTests {
    @Test func aStatementOnAClosedConnectionFailsInsteadOfWaiting() async throws {
        guard PostgresServer.available else { print("SKIPPED: PostgreSQL is not installed"); return }
        let server = try await Harness.detached { try PostgresServer() }
        defer { server.stop() }
        let c = try await WorkQueueTests.coordinator(try await Harness.detached { try server.createDatabase() })
        let connection = try await c.dedicatedConnection()
        let victim = ConnectionRunner(connection: connection, logger: WorkQueueTests.logger)
        let pid = try #require(try await victim.first("SELECT pg_backend_pid()", Int32.self))
        try await victim.execute("BEGIN")
        let killed = try await c.pool.first("SELECT pg_terminate_backend(\(pid))", Bool.self) ?? false
        #expect(killed, "the server did not end the connection")
        let deadline = ContinuousClock.now + .seconds(10)
        while !connection.isClosed, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        try #require(connection.isClosed, "the server's close never reached the client")
        // Raced against a deadline, since the failure this guards against is waiting forever.
        let outcome = Task { () -> String in
            do { try await victim.execute("SELECT 1"); return "succeeded" } catch { return "\(error)" }
        }
        let until = ContinuousClock.now + .seconds(10)
        let result = await Self.value(of: outcome, until: until)
        #expect(result?.contains("closed") == true, "a statement on a closed connection: \(result ?? "never returned")")
        await c.shutdown()
    }

    /// A closed connection's address may be reused by the next one (as when coordinators are
    /// shut down and others start, which is how `trawl bench queue` first failed): the next
    /// one's statements must not be failed by the old one's close. Probabilistic by nature.
    @Test func connectionsOpenedAndClosedInTurnDoNotFailEachOther() async throws {
        guard PostgresServer.available else { print("SKIPPED: PostgreSQL is not installed"); return }
        let server = try await Harness.detached { try PostgresServer() }
        defer { server.stop() }
        let url = try await Harness.detached { try server.createDatabase() }
        var failures: [String] = []
        for round in 0..<12 {
            var coordinators: [PostgresCoordinator] = []
            for _ in 0..<8 { coordinators.append(try await WorkQueueTests.coordinator(url)) }
            await withTaskGroup(of: String?.self) { group in
                for (i, c) in coordinators.enumerated() {
                    group.addTask {
                        do {
                            for n in 0..<20 { _ = try await c.pool.first("SELECT \(n)", Int.self) }
                            return nil
                        } catch { return "round \(round), coordinator \(i): \(error)" }
                    }
                }
                for await f in group { if let f { failures.append(f) } }
            }
            for c in coordinators { await c.shutdown() }
        }
        #expect(failures.isEmpty, "statements failed on open connections:\n\(failures.prefix(5).joined(separator: "\n"))")
    }

    static func value(of task: Task<String, Never>, until deadline: ContinuousClock.Instant) async -> String? {
        let done = Mutex<String?>(nil)
        let watcher = Task { let v = await task.value; done.withLock { $0 = v } }
        while ContinuousClock.now < deadline {
            if let v = done.withLock({ $0 }) { return v }
            try? await Task.sleep(for: .milliseconds(10))
        }
        watcher.cancel()
        return nil
    }
}
