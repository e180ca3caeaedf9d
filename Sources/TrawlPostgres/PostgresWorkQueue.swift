import Foundation
import PostgresNIO
import Trawl

/// The shared queue of a harvest's releases (`trawl_work`). Leasing is one statement with
/// `FOR UPDATE SKIP LOCKED`, so processes never wait on each other's rows, and every
/// transaction is a single short statement: nothing holds vacuum back.
struct PostgresWorkQueue: WorkQueue {
    let db: PoolRunner
    let harvest: String
    let member: String
    let lease: Duration
    let maxAttempts: Int

    private var leaseSeconds: Double { lease.inSeconds }
    private static let encoder = JSONEncoder()

    func enqueue(_ release: QueuedRelease) async throws -> Int {
        let json = String(decoding: try Self.encoder.encode(release), as: UTF8.self)
        // One round trip: the new row's number, or the number the release was queued with.
        let seq = try await db.first("""
            WITH added AS (
                INSERT INTO trawl_work (harvest, seq, release, canonical_url) VALUES (\(harvest), \(release.sequence), \(json)::jsonb, \(release.canonicalURL))
                ON CONFLICT DO NOTHING RETURNING seq
            )
            SELECT seq FROM added
            UNION ALL SELECT seq FROM trawl_work WHERE harvest = \(harvest) AND canonical_url = \(release.canonicalURL)
            LIMIT 1
            """, Int.self)
        guard let seq else {
            throw CoordinatorError("harvest \(harvest)", "\(release.url): neither queued nor found in the queue (sequence \(release.sequence) is taken by another release)")
        }
        return seq
    }

    func nextSequence() async throws -> Int {
        try await db.first("SELECT coalesce(max(seq) + 1, 0) FROM trawl_work WHERE harvest = \(harvest)", Int.self) ?? 0
    }

    func finishDiscovery(count: Int) async throws {
        try await db.execute("UPDATE trawl_harvests SET discovered = \(count) WHERE id = \(harvest)")
    }

    func discoveredCount() async throws -> Int? {
        try await db.first("SELECT discovered FROM trawl_harvests WHERE id = \(harvest)", Int?.self) ?? nil
    }

    func lease(limit: Int) async throws -> [LeasedRelease] {
        // Items whose lease expired too often are given up first, with the reason.
        try await db.execute("""
            UPDATE trawl_work SET state = 'dead', finished_at = clock_timestamp(),
                reason = 'lease expired ' || attempt || ' times (last holder ' || coalesce(owner, '?') || ')'
            WHERE harvest = \(harvest) AND state = 'leased' AND lease_until < clock_timestamp() AND attempt >= \(maxAttempts)
            """)
        var leased: [LeasedRelease] = []
        for (json, attempt) in try await db.all("""
            UPDATE trawl_work w SET state = 'leased', owner = \(member), attempt = w.attempt + 1, owners = w.owners || \(member)::text,
                lease_until = clock_timestamp() + \(leaseSeconds) * interval '1 second'
            FROM (SELECT harvest, seq FROM trawl_work
                  WHERE harvest = \(harvest) AND (state = 'ready' OR (state = 'leased' AND lease_until < clock_timestamp()))
                  ORDER BY seq LIMIT \(limit) FOR UPDATE SKIP LOCKED) picked
            WHERE w.harvest = picked.harvest AND w.seq = picked.seq
            RETURNING w.release::text, w.attempt
            """, (String, Int).self) {
            let release = try JSONDecoder().decode(QueuedRelease.self, from: Data(json.utf8))
            leased.append(LeasedRelease(release: release, attempt: attempt))
        }
        return leased.sorted { $0.release.sequence < $1.release.sequence }
    }

    func renew(_ leases: [(sequence: Int, attempt: Int)]) async throws {
        let seqs = leases.map { Int64($0.sequence) }
        try await db.execute("""
            UPDATE trawl_work SET lease_until = clock_timestamp() + \(leaseSeconds) * interval '1 second'
            WHERE harvest = \(harvest) AND seq = ANY(\(seqs)) AND owner = \(member) AND state = 'leased'
            """)
    }

    func complete(_ lease: LeasedRelease, outcome: Data, unchanged: Bool) async throws -> Bool {
        // Fenced: only the current owner at the current attempt, while it still holds the item.
        return try await db.count("""
            UPDATE trawl_work SET state = 'done', outcome = \(outcome), unchanged = \(unchanged), lease_until = NULL,
                finished_at = clock_timestamp()
            WHERE harvest = \(harvest) AND seq = \(lease.release.sequence) AND owner = \(member)
              AND attempt = \(lease.attempt) AND state = 'leased'
            RETURNING seq
            """) > 0
    }

    func drained() async throws -> Bool {
        guard let (discovered, open) = try await db.first("""
            SELECT h.discovered, EXISTS (SELECT 1 FROM trawl_work WHERE harvest = h.id AND state IN ('ready', 'leased'))
            FROM trawl_harvests h WHERE h.id = \(harvest)
            """, (Int?, Bool).self) else { return true }
        return discovered != nil && !open
    }

    func verdicts(_ sequences: [Int]) async throws -> [Int: Bool] {
        var out: [Int: Bool] = [:]
        let seqs = sequences.map(Int64.init)
        for (seq, unchanged) in try await db.all("""
            SELECT seq, coalesce(unchanged, FALSE) FROM trawl_work WHERE harvest = \(harvest) AND seq = ANY(\(seqs)) AND state IN ('done', 'dead')
            """, (Int, Bool).self) {
            out[seq] = unchanged
        }
        return out
    }

    func finished(from sequence: Int, limit: Int) async throws -> [FinishedRelease] {
        var out: [FinishedRelease] = []
        for (seq, state, json, outcome, reason) in try await db.all("""
            SELECT seq, state, release::text, CASE WHEN state = 'done' THEN outcome END, reason FROM trawl_work
            WHERE harvest = \(harvest) AND seq >= \(sequence) ORDER BY seq LIMIT \(limit)
            """, (Int, String, String, Data?, String?).self) {
            // Consecutive only: the writer never skips an unfinished item.
            guard seq == sequence + out.count, state == "done" || state == "dead" else { break }
            let release = try JSONDecoder().decode(QueuedRelease.self, from: Data(json.utf8))
            out.append(FinishedRelease(sequence: seq, outcome: state == "done" ? outcome : nil, release: release, deadReason: reason))
        }
        return out
    }
}
