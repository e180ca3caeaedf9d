import Foundation
import TrawlConcurrency
import TrawlDedup
import TrawlHTML

/// Which extractor made a release's record, remembered with its validators: a release whose
/// record an older extractor made is fetched and rebuilt once, even if the page is unchanged.
enum ExtractionVersion {
    /// 2: attachments of every format (HWP, HWPX, Office, ODF, RTF, ZIP) have text.
    static let marker = Data(#"{"extraction":2}"#.utf8)
}

/// The page stage for `http` sources.
extension Pipeline {
    /// Fetches a release page conditionally. An unchanged page (304, or the very bytes of last
    /// time) is not parsed again and its record is left as it is.
    func fetchPage(_ task: ReleaseTask, context: RunContext, limit: Int,
                           parse: @escaping @Sendable (Data, String?) -> Result<ScrapedPage, ItemError>) async -> PageOutcome {
        let failed = { (e: ItemError) in PageOutcome(task: task, page: .failure(e)) }
        guard let fetcher = context.fetchers[task.source] else {
            return failed(ItemError(stage: .fetch, kind: "config", message: "no HTTP client for source \(task.source)"))
        }
        let key = task.canonicalURL.absoluteString
        let known = (try? await context.ledger.urlState(key, kind: .release)).flatMap { $0.deleted ? nil : $0 }
        var recordExists = false
        if let id = known?.recordID {
            recordExists = (try? await context.records.exists(id: id)) ?? false
            // A duplicate that `skip` left unwritten is as settled as a written record: its
            // decision is in the ledger, so its page is asked for conditionally too.
            if !recordExists, config.duplicates == .skip, let doc = try? await context.ledger.document(id: id), doc.duplicateOf != nil {
                recordExists = true
            }
        }
        // A record made by an older extractor (before attachments of every format were read),
        // or vouched for by validators past their age, is refreshed: no validators, no
        // same-bytes shortcut, its attachments asked for again.
        let maxAge = config.sources.first { $0.name == task.source }?.incremental.maxAgeHours
        let expired = known.map { Self.isOlder($0.lastRun, than: maxAge, at: context.runID) } ?? false
        let current = known?.payload == ExtractionVersion.marker && !expired
        let validators = known?.validators(ifKept: recordExists && current)
        switch await fetcher.fetch(task.url, validators: validators, to: .memory(limit: limit)) {
        case .failure(let f) where f.isGone:
            var outcome = failed(f.error)
            outcome.status = .gone(status: f.status ?? 404)
            return outcome
        case .failure(let f):
            return failed(f.error)
        case .success(let r) where r.notModified:
            return PageOutcome(task: task, page: .failure(Self.notModified(task)),
                               status: .unchanged, state: PageState(validators: r.validators, bodySHA256: known?.bodySHA256))
        case .success(let r):
            let body = r.body ?? Data()
            let sha = Fingerprint.sha256Hex(body)
            var state = PageState(validators: r.validators, bodySHA256: sha)
            state.refreshed = expired
            if recordExists, current, known?.bodySHA256 == sha {
                return PageOutcome(task: task, page: .failure(Self.notModified(task)), status: .unchanged, state: state)
            }
            let page = await BlockingPool.run { parse(body, r.charset) }
            if case .success(let p) = page, let problem = ReleasePageCheck.problem(requested: task.url, final: r.finalURL, page: p, bytes: body) {
                return failed(ItemError(stage: .fetch, kind: problem.kind, message: "\(task.url.absoluteString): \(problem.reason)"))
            }
            return PageOutcome(task: task, page: page, state: state)
        }
    }

    /// The page of an unchanged release: there is none to parse (the status says why).
    private static func notModified(_ task: ReleaseTask) -> ItemError {
        ItemError(stage: .fetch, kind: "not_modified", message: "\(task.url.absoluteString): unchanged since the last run")
    }
}
