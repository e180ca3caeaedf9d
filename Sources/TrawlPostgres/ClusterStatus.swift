import Foundation
import PostgresNIO
import Trawl

/// What `trawl status` shows about the harvests of a coordinator.
public struct ClusterStatus: Codable, Sendable {
    public struct Harvest: Codable, Sendable {
        public var id: String
        public var key: String
        public var started: String
        public var finished: String?
        /// nil while discovery is running.
        public var discovered: Int?
        public var ready = 0, leased = 0, done = 0, dead = 0
        /// Items leased more than once (their holder died or stalled).
        public var retried = 0
        public var written = 0
        public var changes = 0
        public var writer: String?
        public var members: [Member] = []
        public var deadItems: [DeadItem] = []
    }

    public struct Member: Codable, Sendable {
        public var id: String
        public var lastSeenSeconds: Double
        public var leases: Int
    }

    public struct DeadItem: Codable, Sendable {
        public var sequence: Int
        public var url: String
        public var reason: String
    }

    public var harvests: [Harvest] = []

    public var text: String {
        var lines: [String] = []
        for h in harvests {
            lines.append("harvest \(h.id) [\(h.key)] started \(h.started)" + (h.finished.map { ", finished \($0)" } ?? ", open"))
            lines.append("  discovered \(h.discovered.map(String.init) ?? "(running)")  ready \(h.ready)  leased \(h.leased)  done \(h.done)  dead \(h.dead)  retried \(h.retried)")
            lines.append("  writer \(h.writer ?? "-")  written \(h.written)  changes \(h.changes)")
            for m in h.members {
                lines.append("  member \(m.id): \(m.leases) leases, seen \(String(format: "%.1f", m.lastSeenSeconds)) s ago")
            }
            for d in h.deadItems { lines.append("  dead #\(d.sequence) \(d.url): \(d.reason)") }
        }
        return lines.isEmpty ? "no harvests" : lines.joined(separator: "\n")
    }
}

extension PostgresCoordinator {
    /// The `limit` most recent harvests, with live members (heartbeat within `memberTimeout`).
    public func status(limit: Int = 5) async throws -> ClusterStatus {
        var status = ClusterStatus()
        for (id, key, started, finished, discovered) in try await pool.all("""
            SELECT id, key, started::text, finished::text, discovered FROM trawl_harvests ORDER BY started DESC LIMIT \(limit)
            """, (String, String, String, String?, Int?).self) {
            status.harvests.append(.init(id: id, key: key, started: started, finished: finished, discovered: discovered))
        }
        let timeout = settings.memberTimeout.inSeconds
        for i in status.harvests.indices {
            let id = status.harvests[i].id
            for (state, n, retried) in try await pool.all("""
                SELECT state, count(*)::int, count(*) FILTER (WHERE attempt > 1)::int FROM trawl_work WHERE harvest = \(id) GROUP BY state
                """, (String, Int, Int).self) {
                switch state {
                case "ready": status.harvests[i].ready = n
                case "leased": status.harvests[i].leased = n
                case "done": status.harvests[i].done = n
                default: status.harvests[i].dead = n
                }
                status.harvests[i].retried += retried
            }
            for (next, changes, writer) in try await pool.all("""
                SELECT next_item, changes, writer FROM trawl_writer WHERE harvest = \(id)
                """, (Int, Int, String?).self) {
                status.harvests[i].written = next
                status.harvests[i].changes = changes
                status.harvests[i].writer = writer
            }
            for (member, ago, leases) in try await pool.all("""
                SELECT m.id, extract(epoch FROM now() - m.seen)::float8,
                       (SELECT count(*) FROM trawl_work w WHERE w.harvest = m.harvest AND w.owner = m.id AND w.state = 'leased')::int
                FROM trawl_members m WHERE m.harvest = \(id) AND m.left_at IS NULL AND m.seen > now() - \(timeout) * interval '1 second'
                ORDER BY m.id
                """, (String, Double, Int).self) {
                status.harvests[i].members.append(.init(id: member, lastSeenSeconds: ago, leases: leases))
            }
            for (seq, url, reason) in try await pool.all("""
                SELECT seq, release->>'url', coalesce(reason, '') FROM trawl_work WHERE harvest = \(id) AND state = 'dead' ORDER BY seq LIMIT 20
                """, (Int, String, String).self) {
                status.harvests[i].deadItems.append(.init(sequence: seq, url: url, reason: reason))
            }
        }
        return status
    }

    /// Materialises the records and feeds held by the coordinator into `output`.
    public func export(to output: OutputDirectory) async throws -> ExportSummary {
        try await Exporter(db: pool).export(to: output)
    }
}
