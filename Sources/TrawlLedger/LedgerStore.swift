import TrawlDedup

/// The ledger as the stages see it: documents with their hashes, signatures and duplicate
/// relations, the LSH band index behind near-duplicate lookups, what each fetched URL said
/// last time, the quarantine and the runs. Two implementations: `Ledger` (one SQLite file in
/// the output directory, the default) and `PostgresLedger` (a harvest shared by many
/// processes). No stage knows which one it talks to.
///
/// Documents come back oldest first (in the order they were first saved), which is what the
/// duplicate decision uses to break ties; both implementations keep that order.
public protocol LedgerStore: Sendable {
    func document(id: String) async throws -> LedgerDocument?
    /// Documents of `kind` with exactly this content, oldest first.
    func documents(contentSHA256: String, kind: LedgerDocument.Kind) async throws -> [LedgerDocument]
    /// Documents of `kind` that share at least one LSH band with `signature`, oldest first.
    func candidates(for signature: MinHashSignature, kind: LedgerDocument.Kind) async throws -> [LedgerDocument]
    /// Inserts or updates a document (its bands follow its signature).
    func save(_ document: LedgerDocument) async throws
    /// Points every duplicate of `ids` (and `ids` themselves) at `original`; returns them.
    func redirectDuplicates(of ids: [String], to original: String) async throws -> [String]
    /// The documents that repeat `id`, oldest first.
    func duplicates(of id: String) async throws -> [LedgerDocument]
    /// A deleted record's document leaves every duplicate decision: its content hash and
    /// bands no longer match anything, and it is nobody's original (its row stays, so that
    /// "first seen" holds if the release comes back).
    func retireDocument(id: String) async throws

    func urlState(_ url: String, kind: URLState.Kind) async throws -> URLState?
    func saveURLState(_ state: URLState) async throws
    /// Releases of `source` that are not deleted; when `goneOnly`, only those already answering
    /// 404/410 or waiting for a retry (a transient failure left them without validators).
    func releaseURLs(source: String, goneOnly: Bool) async throws -> [String]
    /// Releases of `source`, not deleted, that answered 404/410 on at least `goneRuns` runs in
    /// a row: due for deletion once the run is known not to be a mass disappearance.
    func releasesDue(source: String, goneRuns: Int) async throws -> [URLState]
    /// Releases of `source` deleted by run `since` or later (run ids sort by time): revisited,
    /// so that a release a bad night deleted comes back when the site does.
    func deletedReleaseURLs(source: String, since: String) async throws -> [String]

    func quarantined(_ sha256: String) async throws -> Ledger.QuarantineEntry?
    func quarantine(_ entry: Ledger.QuarantineEntry) async throws

    func beginRun(_ id: String, at date: String) async throws
    func finishRun(_ id: String, at date: String) async throws
}

/// The embedded ledger answers synchronously; its methods witness the protocol as they are.
extension Ledger: LedgerStore {}
