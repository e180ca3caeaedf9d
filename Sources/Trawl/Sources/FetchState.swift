import Foundation
import TrawlHTTP
import TrawlLedger

/// What the harvest keeps of the fetcher's answers between runs, in the ledger.
extension URLState {
    /// The validators to send back: only worth sending if what they vouch for (the
    /// remembered payload or record) is still at hand, otherwise a 304 would leave us empty.
    func validators(ifKept kept: Bool) -> Validators? {
        kept ? Validators(etag: etag, lastModified: lastModified) : nil
    }
}

extension FetchFailure {
    /// The failure as a record and the run summary report it (`fetch/<kind>`).
    var error: ItemError { ItemError(stage: .fetch, kind: kind, message: message) }
}

/// A source's robots.txt files, kept in the ledger with their validators.
struct LedgerRobotsMemory: RobotsMemory {
    let ledger: any LedgerStore
    let source: String
    let runID: String

    func robots(_ url: String) async -> (body: Data, validators: Validators)? {
        guard let state = (try? await ledger.urlState(url, kind: .robots)) ?? nil, let body = state.payload else { return nil }
        return (body, Validators(etag: state.etag, lastModified: state.lastModified))
    }

    func remember(robots url: String, body: Data, validators: Validators) async {
        try? await ledger.saveURLState(URLState(url: url, kind: .robots, source: source, etag: validators.etag,
                                                lastModified: validators.lastModified, payload: body, lastRun: runID))
    }
}
