import Foundation
import TrawlLedger

/// What a source's harvests have covered, kept in the ledger beside its listings: whether a
/// first harvest ever finished whole (every listing page read, nothing left failed), and when
/// the listings were last read to the end. `stop_after_known` may stop early only on top of a
/// finished first harvest and between full passes; otherwise a harvest cut short (a listing
/// that answered 500, a killed run) would never be completed, and edits and deletions of
/// older releases would never be seen. Kept as a `LedgerNote`.
struct SourceProgress: Codable, Equatable, Sendable {
    var firstHarvestComplete = false
    var lastFullPassRun: String?
    var runsSinceFullPass = 0

    static func key(_ source: String) -> String { "trawl:source-progress/\(source)" }

    static func load(_ source: String, ledger: any LedgerStore) async -> SourceProgress {
        ((try? await LedgerNote.load(SourceProgress.self, key: key(source), ledger: ledger)) ?? nil) ?? SourceProgress()
    }

    func save(_ source: String, ledger: any LedgerStore, runID: String) async throws {
        try await LedgerNote.save(self, key: Self.key(source), source: source, ledger: ledger, runID: runID)
    }

    /// Whether this run may stop paging at known releases.
    func mayStopEarly(_ settings: IncrementalSettings, runID: String) -> Bool {
        guard firstHarvestComplete, let last = lastFullPassRun else { return false }
        return runsSinceFullPass + 1 < settings.fullPassAfterRuns
            && !Pipeline.isOlder(last, than: settings.fullPassAfterHours, at: runID)
    }

    /// After a run that was not interrupted: `walkedAll` when every listing page was read,
    /// `clean` when nothing of the source failed in a way the next run must retry.
    func after(walkedAll: Bool, clean: Bool, runID: String) -> SourceProgress {
        var next = self
        if walkedAll {
            next.lastFullPassRun = runID
            next.runsSinceFullPass = 0
            if clean { next.firstHarvestComplete = true }
        } else {
            next.runsSinceFullPass += 1
        }
        return next
    }
}
