import Foundation
import Logging
import PostgresNIO
import Trawl
import TrawlHTTP
import TrawlLedger

/// One process's membership in a harvest: the shared storage, its roles and its heartbeat.
final class PostgresSession: HarvestSession, Sendable {
    let coordinator: PostgresCoordinator
    let runID: String
    let member: String
    let ledger: any LedgerStore
    let records: any RecordStore
    let queue: any WorkQueue
    private let slots = SlotBook()
    private let heartbeat = HeartbeatTask()
    private let candidates: RoleCandidates

    init(coordinator: PostgresCoordinator, harvest: String, member: String) {
        self.coordinator = coordinator
        self.runID = harvest
        self.member = member
        candidates = RoleCandidates(coordinator: coordinator)
        let pool = coordinator.pool
        ledger = PostgresLedger(db: pool)
        records = PostgresRecordStore(db: pool, harvest: harvest)
        queue = PostgresWorkQueue(db: pool, harvest: harvest, member: member,
                                  lease: coordinator.settings.lease, maxAttempts: coordinator.settings.maxAttempts)
    }

    func start() async throws {
        let db = coordinator.pool
        try await db.execute("""
            INSERT INTO trawl_members (id, harvest) VALUES (\(member), \(runID))
            ON CONFLICT (id) DO UPDATE SET harvest = excluded.harvest, seen = now(), left_at = NULL
            """)
        let member = self.member
        let logger = coordinator.logger
        await heartbeat.start {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                do { try await db.execute("UPDATE trawl_members SET seen = now() WHERE id = \(member)") } catch {
                    if Task.isCancelled { return }
                    logger.warning("heartbeat: \(String(reflecting: error))")
                }
            }
        }
    }

    func hostGate(concurrency: Int, delay: Duration) -> any HostGating {
        PostgresHostGate(db: coordinator.pool, member: member, concurrency: max(1, concurrency), delay: delay,
                         memberTimeout: coordinator.settings.memberTimeout, logger: coordinator.logger, slots: slots)
    }

    func tryDiscoverer() async throws -> (any RoleLease)? {
        try await candidates.tryLock("trawl-discoverer:\(runID)").map(PostgresRoleLock.init)
    }

    func tryWriter() async throws -> (any WriterSession)? {
        try await PostgresWriter.take(candidates: candidates, harvest: runID, member: member)
    }

    func isFinished() async throws -> Bool {
        try await coordinator.pool.first("SELECT finished IS NOT NULL FROM trawl_harvests WHERE id = \(runID)", Bool.self) ?? true
    }

    func finish() async throws {
        try await coordinator.pool.execute("UPDATE trawl_harvests SET finished = now() WHERE id = \(runID) AND finished IS NULL")
    }

    func export(to output: OutputDirectory) async throws -> ExportSummary {
        try await Exporter(db: coordinator.pool).export(to: output)
    }

    func leave() async {
        await heartbeat.stop()
        await candidates.close()
        try? await coordinator.pool.execute("UPDATE trawl_members SET left_at = now() WHERE id = \(member)")
        try? await coordinator.pool.execute("DELETE FROM trawl_host_slots WHERE member = \(member)")
    }
}

actor HeartbeatTask {
    private var task: Task<Void, Never>?
    func start(_ body: @escaping @Sendable () async -> Void) { task = Task { await body() } }
    func stop() { task?.cancel(); task = nil }
}

/// Materialises the records and change feeds held in the database as the output directory
/// layout of an embedded run: `records/<id>.json` (only files whose bytes differ are written;
/// files of records no longer held are removed) and `changes/<harvest>.jsonl`. Idempotent.
struct Exporter {
    let db: PoolRunner

    func export(to output: OutputDirectory) async throws -> ExportSummary {
        try output.prepare()
        var summary = ExportSummary()
        var kept = Set<String>()
        // Streamed: the records are never all in memory.
        try await db.withRows("SELECT id, data FROM trawl_records ORDER BY id") { rows in
            for try await (id, data) in rows.decode((String, Data).self) {
                // Record ids are hex digests; anything else is refused rather than used as a path.
                guard id.allSatisfy({ $0.isHexDigit }), !id.isEmpty else { continue }
                kept.insert(id)
                let file = output.recordFile(id: id)
                if (try? Data(contentsOf: file)) == data { summary.unchanged += 1; continue }
                try output.writeAtomically(data, to: file)
                summary.written += 1
            }
        }
        let files = (try? FileManager.default.contentsOfDirectory(at: output.records, includingPropertiesForKeys: nil)) ?? []
        for f in files where f.pathExtension == "json" && !kept.contains(f.deletingPathExtension().lastPathComponent) {
            try FileManager.default.removeItem(at: f)
            summary.removed += 1
        }
        let changes = ChangeFeed.changes(output)
        try FileManager.default.createDirectory(at: changes, withIntermediateDirectories: true)
        let harvests = try await db.all("SELECT id FROM trawl_harvests WHERE finished IS NOT NULL ORDER BY id", String.self)
        let encoder = TrawlJSON.encoder(pretty: false)
        for harvest in harvests {
            // Written line by line to a temporary file, so a large feed never sits in memory.
            let temp = output.root.appendingPathComponent(".trawl/tmp/feed-\(UUID().uuidString).jsonl")
            _ = FileManager.default.createFile(atPath: temp.path, contents: nil)  // a failure surfaces on the next line, with the path
            let handle = try FileHandle(forWritingTo: temp)
            do {
                try await db.withRows("""
                    SELECT seq, op, id, url, source FROM trawl_changes WHERE harvest = \(harvest) ORDER BY seq
                    """) { rows in
                    for try await (seq, op, id, url, source) in rows.decode((Int, String, String, String, String).self) {
                        var line = try encoder.encode(ChangeLine(seq: seq, op: ChangeOperation(rawValue: op) ?? .updated,
                                                                 id: id, url: url, source: source, run: harvest))
                        line.append(0x0A)
                        try handle.write(contentsOf: line)
                    }
                }
                try handle.synchronize()
                try handle.close()
            } catch {
                try? handle.close()
                try? FileManager.default.removeItem(at: temp)
                throw error
            }
            let destination = changes.appendingPathComponent("\(harvest).jsonl")
            guard rename(temp.path, destination.path) == 0 else {
                throw OutputError(path: destination.path, reason: "cannot publish the change feed (\(String(cString: strerror(errno))))")
            }
            summary.feeds += 1
        }
        return summary
    }
}
