import Foundation
import Logging
import PostgresNIO
import Trawl
import TrawlHTTP

/// Politeness for every process of a harvest, on the database's clock: a host's row is locked
/// while one process decides whether a request may start (slots in use by live members below
/// `concurrency`, `next_start` and `paused_until` passed); if so it takes a slot and moves
/// `next_start` on by `delay`. A member that dies stops heartbeating and its slots stop counting.
struct PostgresHostGate: HostGating {
    let db: PoolRunner
    let member: String
    let concurrency: Int
    let delay: Duration
    let memberTimeout: Duration
    let logger: Logger
    /// Slots this process holds, by host (ids of `trawl_host_slots` rows).
    let slots: SlotBook

    func enter(_ host: String) async {
        var failures = 0
        while !Task.isCancelled {
            do {
                let lost = await slots.lost
                let decision = try await db.transaction { tx -> GateDecision in
                    if !lost.isEmpty { try await tx.execute("DELETE FROM trawl_host_slots WHERE id = ANY(\(lost))") }
                    try await tx.execute("INSERT INTO trawl_hosts (host) VALUES (\(host)) ON CONFLICT DO NOTHING")
                    var wait = 0.0
                    var busy = 0
                    for (w, b) in try await tx.all("""
                        SELECT extract(epoch FROM greatest(h.next_start, h.paused_until) - clock_timestamp())::float8,
                               (SELECT count(*) FROM trawl_host_slots s JOIN trawl_members m ON m.id = s.member
                                WHERE s.host = h.host AND m.left_at IS NULL
                                  AND m.seen > clock_timestamp() - \(memberTimeout.inSeconds) * interval '1 second')::int
                        FROM trawl_hosts h WHERE h.host = \(host) FOR UPDATE
                        """, (Double?, Int).self) {
                        wait = w ?? 0
                        busy = b
                    }
                    if busy >= concurrency { return .wait(0.02) }
                    if wait > 0 { return .wait(wait) }
                    let slot = try await tx.first("""
                        INSERT INTO trawl_host_slots (host, member) VALUES (\(host), \(member)) RETURNING id
                        """, Int64.self)
                    try await tx.execute("""
                        UPDATE trawl_hosts SET next_start = clock_timestamp() + \(delay.inSeconds) * interval '1 second' WHERE host = \(host)
                        """)
                    return .go(slot)
                }
                // Booked only once committed: a slot rolled back must not be released later
                // in place of a real one.
                await slots.released(lost)
                switch decision {
                case .go(let slot):
                    if let slot { await slots.add(host, slot) }
                    return
                case .wait(let seconds):
                    try? await Task.sleep(for: .milliseconds(max(1, min(Int(seconds * 1000), 1000))))
                }
            } catch {
                // The coordinator is unreachable: wait and retry (never run unchecked).
                failures += 1
                if failures == 1 || failures % 20 == 0 { logger.error("host gate \(host): \(String(reflecting: error))") }
                try? await Task.sleep(for: .milliseconds(250))
            }
        }
    }

    func leave(_ host: String) async {
        guard let id = await slots.take(host) else { return }
        for _ in 0..<3 {
            do {
                // One request at a time: the delay also runs from this request's end (as
                // Heritrix's min-delay does). The start the database granted is only an upper
                // bound of when the request really left this process, so spacing starts alone
                // could let two requests from different machines arrive closer than `delay`.
                if concurrency == 1 {
                    try await db.execute("""
                        UPDATE trawl_hosts SET next_start = greatest(next_start, clock_timestamp() + \(delay.inSeconds) * interval '1 second')
                        WHERE host = \(host)
                        """)
                }
                try await db.execute("DELETE FROM trawl_host_slots WHERE id = \(id)")
                return
            } catch {
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
        // Still counted while this process lives: freed by its next gate decision instead.
        await slots.lose(id)
    }

    func pause(_ host: String, for duration: Duration) async {
        try? await db.execute("""
            INSERT INTO trawl_hosts (host, paused_until) VALUES (\(host), clock_timestamp() + \(duration.inSeconds) * interval '1 second')
            ON CONFLICT (host) DO UPDATE SET paused_until = greatest(trawl_hosts.paused_until, excluded.paused_until)
            """)
    }
}

enum GateDecision: Sendable {
    case go(Int64?)
    case wait(Double)
}

/// The slot rows a process holds, per host (a request releases the oldest it took there), and
/// those it could not give back when the coordinator was unreachable.
actor SlotBook {
    private var held: [String: [Int64]] = [:]
    private(set) var lost: [Int64] = []
    func lose(_ id: Int64) { lost.append(id) }
    func released(_ ids: [Int64]) { lost.removeAll { ids.contains($0) } }
    func add(_ host: String, _ id: Int64) { held[host, default: []].append(id) }
    func take(_ host: String) -> Int64? {
        guard var ids = held[host], !ids.isEmpty else { return nil }
        let id = ids.removeFirst()
        held[host] = ids.isEmpty ? nil : ids
        return id
    }
}
