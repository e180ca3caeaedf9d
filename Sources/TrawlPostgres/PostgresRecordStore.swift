import Foundation
import Logging
import PostgresNIO
import Trawl
import TrawlLedger

/// Records and the change feed in the database. The feed's numbers come from a counter row
/// updated in the writer's transaction (not a sequence, which leaves gaps on rollback), so
/// the feed of a harvest is numbered 1, 2, 3… with no gap and no repeat.
struct PostgresRecordStore: RecordStore {
    let db: any SQLRunner
    let harvest: String

    func record(id: String) async throws -> Data? {
        try await db.first("SELECT data FROM trawl_records WHERE id = \(id)", Data.self)
    }

    func exists(id: String) async throws -> Bool {
        try await db.count("SELECT 1 FROM trawl_records WHERE id = \(id)") > 0
    }

    func write(_ data: Data, id: String, operation: ChangeOperation, url: String, source: String) async throws {
        try await announce(operation, id: id, url: url, source: source)
        try await db.execute("""
            INSERT INTO trawl_records (id, data) VALUES (\(id), \(data)) ON CONFLICT (id) DO UPDATE SET data = excluded.data
            """)
    }

    func delete(id: String, url: String, source: String) async throws {
        guard try await exists(id: id) else { return }
        try await announce(.deleted, id: id, url: url, source: source)
        try await db.execute("DELETE FROM trawl_records WHERE id = \(id)")
    }

    private func announce(_ op: ChangeOperation, id: String, url: String, source: String) async throws {
        try await db.execute("""
            WITH n AS (UPDATE trawl_writer SET changes = changes + 1 WHERE harvest = \(harvest) RETURNING changes)
            INSERT INTO trawl_changes (harvest, seq, op, id, url, source) SELECT \(harvest), n.changes, \(op.rawValue), \(id), \(url), \(source) FROM n
            """)
    }
}

/// The writer role: a session-level advisory lock on a connection of its own. Its ledger and
/// records run on that connection, inside one transaction per batch that also moves the
/// cursor; if the process dies, the server rolls the batch back and frees the lock at once.
final class PostgresWriter: WriterSession, @unchecked Sendable {
    // @unchecked: `connection` is used by one task at a time (the writer loop) by design.
    let connection: PostgresConnection
    let harvest: String
    let member: String
    let logger: Logger
    let ledger: any LedgerStore
    let records: any RecordStore
    private var runner: ConnectionRunner { ConnectionRunner(connection: connection, logger: logger) }

    init(connection: PostgresConnection, harvest: String, member: String, logger: Logger) {
        self.connection = connection
        self.harvest = harvest
        self.member = member
        self.logger = logger
        let runner = ConnectionRunner(connection: connection, logger: logger)
        self.ledger = PostgresLedger(db: runner)
        self.records = PostgresRecordStore(db: runner, harvest: harvest)
    }

    /// Takes the role if nobody holds it; nil otherwise.
    static func take(candidates: RoleCandidates, harvest: String, member: String) async throws -> PostgresWriter? {
        guard let connection = try await candidates.tryLock("trawl-writer:\(harvest)") else { return nil }
        let logger = candidates.coordinator.logger
        do {
            try await ConnectionRunner(connection: connection, logger: logger).execute("""
                INSERT INTO trawl_writer (harvest, writer, since) VALUES (\(harvest), \(member), now())
                ON CONFLICT (harvest) DO UPDATE SET writer = excluded.writer, since = excluded.since
                """)
        } catch {
            try? await connection.close()
            throw error
        }
        return PostgresWriter(connection: connection, harvest: harvest, member: member, logger: logger)
    }

    func cursor() async throws -> Int {
        try await runner.first("SELECT next_item FROM trawl_writer WHERE harvest = \(harvest)", Int.self) ?? 0
    }

    func begin() async throws { try await runner.execute("BEGIN") }

    func commit(cursor: Int) async throws {
        try await runner.execute("UPDATE trawl_writer SET next_item = \(cursor) WHERE harvest = \(harvest)")
        try await runner.execute("COMMIT")
    }

    func rollback() async { try? await runner.execute("ROLLBACK") }

    func release() async {
        // Closing the connection ends the session and with it the lock.
        try? await connection.close()
    }
}

/// The discoverer role, held the same way (no transaction: it only needs to be unique).
struct PostgresRoleLock: RoleLease {
    let connection: PostgresConnection

    func release() async { try? await connection.close() }
}

/// One waiting connection per role this process is a candidate for. Asking again is a cheap
/// `pg_try_advisory_lock` on it, so a role freed by a dead holder is taken within one poll;
/// a connection that wins the lock is handed to the role and a new one waits next time.
actor RoleCandidates {
    let coordinator: PostgresCoordinator
    private var waiting: [String: PostgresConnection] = [:]

    init(coordinator: PostgresCoordinator) { self.coordinator = coordinator }

    func tryLock(_ key: String) async throws -> PostgresConnection? {
        let connection: PostgresConnection
        if let c = waiting[key] { connection = c } else { connection = try await coordinator.dedicatedConnection() }
        waiting[key] = nil
        do {
            let got = try await ConnectionRunner(connection: connection, logger: coordinator.logger)
                .first("SELECT pg_try_advisory_lock(hashtextextended(\(key), 0))", Bool.self) ?? false
            if got { return connection }
            waiting[key] = connection
            return nil
        } catch {
            try? await connection.close()
            throw error
        }
    }

    func close() async {
        for c in waiting.values { try? await c.close() }
        waiting = [:]
    }
}
