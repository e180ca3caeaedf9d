import Foundation

/// A release as it waits in a shared queue: what the page stage needs to fetch or read it.
public struct QueuedRelease: Sendable, Codable, Equatable {
    public var sequence: Int
    public var source: String
    public var url: String
    public var canonicalURL: String
    /// The mirror file of a `directory` source, or why there is none.
    public var file: String?
    public var fileError: ItemError?
    public var revisit: Bool
    public var reportsBack: Bool

    public init(sequence: Int, source: String, url: String, canonicalURL: String, file: String? = nil,
                fileError: ItemError? = nil, revisit: Bool = false, reportsBack: Bool = false) {
        self.sequence = sequence; self.source = source; self.url = url; self.canonicalURL = canonicalURL
        self.file = file; self.fileError = fileError; self.revisit = revisit; self.reportsBack = reportsBack
    }
}

/// An item this process holds: completing it is accepted only with the attempt it was leased at.
public struct LeasedRelease: Sendable {
    public var release: QueuedRelease
    public var attempt: Int
    public init(release: QueuedRelease, attempt: Int) { self.release = release; self.attempt = attempt }
}

/// A finished item as the writer reads it, in sequence order.
public struct FinishedRelease: Sendable {
    public var sequence: Int
    /// The encoded outcome; nil when the item was dead-lettered.
    public var outcome: Data?
    public var release: QueuedRelease
    /// Why the item was given up (too many lease expiries, a failure in every attempt).
    public var deadReason: String?
    public init(sequence: Int, outcome: Data?, release: QueuedRelease, deadReason: String?) {
        self.sequence = sequence; self.outcome = outcome; self.release = release; self.deadReason = deadReason
    }
}

/// The hand-off between stages when they run in different processes: at-least-once work with
/// leases. An item is leased by one process at a time with an expiry it renews while working;
/// an expired lease goes back to the queue with its attempt number raised, an item that
/// expires too often is dead-lettered with the reason, and a completion is accepted only from
/// the current owner and attempt, so a process that wakes up after losing its lease changes
/// nothing. (In one process the stages hand over through bounded channels instead.)
public protocol WorkQueue: Sendable {
    /// Queues a discovered release and returns the sequence number it holds: its own, or the
    /// one it was queued with before (a discoverer that died had queued it already).
    func enqueue(_ release: QueuedRelease) async throws -> Int
    /// The next sequence number for discovery (resuming a discovery a dead process began).
    func nextSequence() async throws -> Int
    func finishDiscovery(count: Int) async throws
    /// nil while discovery is still running.
    func discoveredCount() async throws -> Int?

    /// Leases up to `limit` ready (or expired) items, lowest sequence first.
    func lease(limit: Int) async throws -> [LeasedRelease]
    /// Extends the leases this process holds.
    func renew(_ leases: [(sequence: Int, attempt: Int)]) async throws
    /// Stores the outcome unless the lease was lost; returns whether it was accepted.
    func complete(_ lease: LeasedRelease, outcome: Data, unchanged: Bool) async throws -> Bool
    /// True when discovery is finished and every item is done or dead.
    func drained() async throws -> Bool

    /// Whether each of `sequences` turned out known and unchanged, once all have finished.
    func verdicts(_ sequences: [Int]) async throws -> [Int: Bool]
    /// Consecutive finished items from `sequence` on (stops at the first unfinished one).
    func finished(from sequence: Int, limit: Int) async throws -> [FinishedRelease]
}
