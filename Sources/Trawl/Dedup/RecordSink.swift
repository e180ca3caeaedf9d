import Foundation
import TrawlDedup
import TrawlHTTP
import TrawlLedger

/// The last stage: the single owner of the output directory and of ledger writes. For each
/// record, in discovery order, it decides duplicates against everything the ledger holds
/// (this run and earlier ones), applies the duplicate policy and writes the record atomically.
struct RecordSink {
    let records: any RecordStore
    let ledger: any LedgerStore
    let policy: PipelineConfig.DuplicatePolicy
    /// Each source's settings by name: its duplicate threshold, its deletion rules, its URL
    /// canonicalizer (to find a release's URL state from its record's URL).
    let sources: [String: SourceConfig]
    let runID: String
    let log: RunLog
    private let detector: DuplicateDetector
    private let encoder = TrawlJSON.encoder(pretty: true)

    init(records: any RecordStore, ledger: any LedgerStore, config: PipelineConfig, runID: String, log: RunLog) {
        self.records = records
        self.sources = Dictionary(config.sources.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        self.ledger = ledger
        self.policy = config.duplicates
        self.runID = runID
        self.log = log
        self.detector = DuplicateDetector(ledger: ledger)
    }

    func handle(_ outcome: Pipeline.Outcome) async throws {
        await log.update { $0.releasePages += 1 }
        switch outcome.status {
        case .unchanged:
            await log.update { $0.unchanged += 1; $0.knownRecords += 1 }
            try await rememberPage(outcome, recordID: nil)
            return
        case .gone(let status):
            try await gone(outcome, status: status)
            return
        case .fresh:
            break
        }
        guard case .success(var record) = outcome.record, let signature = outcome.signature else {
            if case .failure(let error) = outcome.record, !error.isCancellation {
                await log.error(error, url: outcome.task.url.absoluteString)
                // 404, 503, 404 is not two 404s in a row: an answer other than gone breaks the count.
                if error.isTransient {
                    try await resetGoneCount(outcome)
                    await log.unfinished(outcome.task.source)
                }
            }
            return
        }
        for kept in outcome.keptAfterFailure {
            await log.update { $0.attachmentErrors += 1 }
            var error = kept.error
            error.message += "; the text of the last good download is kept"
            await log.error(error, url: kept.url, recordID: record.id)
        }
        let threshold = sources[record.source]?.nearDuplicateThreshold ?? 0.8
        let known = try await ledger.document(id: record.id)
        let seenBefore = known.map { $0.firstRun != runID } ?? false
        await log.update { if seenBefore { $0.knownRecords += 1 } else { $0.newRecords += 1 } }

        for i in record.attachments.indices {
            await log.update { $0.attachmentLinks += 1 }
            if let ocr = record.attachments[i].ocr {
                await log.update { $0.ocrPages += ocr.recognisedPages; $0.ocrSkippedPages += ocr.skippedPages }
            }
            if let error = record.attachments[i].error {
                await log.update { $0.attachmentErrors += 1 }
                await log.error(error, url: record.attachments[i].url, recordID: record.id)
            }
            if let sha = record.attachments[i].sha256, let sig = outcome.attachmentSignatures[sha] {
                record.attachments[i].duplicateOf = try await attachmentDuplicate(record.attachments[i], sha256: sha, signature: sig, threshold: threshold)
                if record.attachments[i].duplicateOf != nil { await log.update { $0.attachmentDuplicates += 1 } }
            }
        }

        var doc = LedgerDocument(id: record.id, kind: .record, url: record.url, published: record.published,
                                 contentSHA256: record.contentSHA256, signature: signature,
                                 firstRun: known?.firstRun ?? runID, lastRun: runID)
        let decision = try await detector.decide(id: record.id, kind: .record, contentSHA256: record.contentSHA256,
                                           signature: signature, published: record.published, threshold: threshold)
        switch decision {
        case .original:
            try await ledger.save(doc)
        case .duplicate(let original, let similarity, let exact):
            doc.duplicateOf = original.id
            doc.similarity = similarity
            try await ledger.save(doc)
            record.duplicateOf = original.id
            record.similarity = Self.rounded(similarity)
            await log.duplicate(.init(url: record.url, id: record.id, duplicateOf: original.id,
                                      similarity: Self.rounded(similarity), exact: exact, written: policy != .skip))
            try await refreshDuplicateURLs(of: original.id)
        case .supersedes(let original, _, _):
            // An earlier-published copy arrived after its re-post: it becomes the original and
            // the records already written for the group are rewritten (or removed) to say so.
            // The group is written down first: a run killed between the ledger's change and
            // the records' is finished by the next run (`recoverRewrites`).
            try await PendingRewrites.add([original.id] + (try await ledger.duplicates(of: original.id)).map(\.id), ledger: ledger, runID: runID)
            try await ledger.save(doc)
            let moved = try await ledger.redirectDuplicates(of: [original.id], to: record.id)
            KillPoint.reached("after-supersede-ledger")
            var demoted: [RunSummary.Duplicate] = []
            for id in moved {
                guard var other = try await ledger.document(id: id) else { continue }
                let similarity = Self.rounded(signature.similarity(to: other.signature))
                other.similarity = similarity
                try await ledger.save(other)
                demoted.append(.init(url: other.url, id: id, duplicateOf: record.id, similarity: similarity,
                                     exact: other.contentSHA256 == record.contentSHA256, written: policy != .skip))
                try await rewrite(id) { old in
                    if policy == .skip { return nil }
                    old.duplicateOf = policy == .mark ? record.id : nil
                    old.similarity = policy == .mark ? similarity : nil
                    old.duplicateURLs = []
                    return old
                }
            }
            await log.demote(demoted, to: record.id)
            try await PendingRewrites.clear(ledger: ledger, runID: runID)
        }

        if case .duplicate = decision {
            if policy == .skip { try await rememberPage(outcome, recordID: record.id); return }
            if policy == .write { record.duplicateOf = nil; record.similarity = nil }
        } else {
            // An original whose content changed: its duplicates are judged again against what
            // it says now.
            if let known, known.contentSHA256 != record.contentSHA256 {
                try await reviewDuplicates(of: record.id, signature: signature, contentSHA256: record.contentSHA256, threshold: threshold)
            }
            record.duplicateURLs = try await ledger.duplicates(of: record.id).map(\.url)
        }
        try await emit(record)
        await log.update { $0.records += 1 }
        // Only now, with the record on disk, may the next run trust a 304 for this page.
        try await rememberPage(outcome, recordID: record.id)
    }

    /// Writes a record unless the file already holds exactly these bytes, announcing the
    /// change in the feed first (so a crash in between re-announces it, never loses it).
    private func emit(_ record: Record) async throws {
        let data = try encoder.encode(record)
        let existing = try await records.record(id: record.id)
        if existing == data {
            await log.update { $0.unchanged += 1 }
            return
        }
        let op: ChangeOperation = existing == nil ? .created : .updated
        try await records.write(data, id: record.id, operation: op, url: record.url, source: record.source)
        await log.update { if op == .created { $0.created += 1 } else { $0.updated += 1 } }
    }

    /// A release that answered something other than 404/410 is no longer counting towards
    /// deletion.
    private func resetGoneCount(_ outcome: Pipeline.Outcome) async throws {
        let key = outcome.task.canonicalURL.absoluteString
        guard var state = try await ledger.urlState(key, kind: .release), !state.deleted, state.goneRuns > 0 else { return }
        state.goneRuns = 0
        state.goneSince = nil
        state.lastRun = runID
        try await ledger.saveURLState(state)
    }

    /// Stores a fetched release page's validators (and resets its gone count). A page whose
    /// record holds a transient failure keeps no validators and no body hash, so the next run
    /// fetches and reads it again and retries what failed.
    private func rememberPage(_ outcome: Pipeline.Outcome, recordID: String?) async throws {
        guard var state = outcome.state else { return }
        if outcome.retryNextRun { state = Pipeline.PageState(validators: Validators(), bodySHA256: nil) }
        let key = outcome.task.canonicalURL.absoluteString
        let known = try await ledger.urlState(key, kind: .release)
        if let known, !state.refreshed, !known.deleted, known.goneRuns == 0, known.etag == state.validators.etag,
           known.lastModified == state.validators.lastModified, known.bodySHA256 == state.bodySHA256,
           known.payload == ExtractionVersion.marker, recordID == nil || known.recordID == recordID {
            return  // nothing new to remember: spare the no-change run a write per page
        }
        try await ledger.saveURLState(URLState(url: key, kind: .release, source: outcome.task.source,
                                         recordID: recordID ?? known?.recordID ?? Fingerprint.recordID(canonicalURL: outcome.task.canonicalURL),
                                         etag: state.validators.etag, lastModified: state.validators.lastModified,
                                         bodySHA256: state.bodySHA256, payload: ExtractionVersion.marker,
                                         goneRuns: 0, deleted: false, lastRun: runID))
    }

    /// A release answered 404/410: counted once per run. Timeouts and 5xx never get here.
    /// Deletion waits for the end of the run (`finishDeletions`), when it is known whether
    /// the run saw a release vanish or an archive.
    private func gone(_ outcome: Pipeline.Outcome, status: Int) async throws {
        let key = outcome.task.canonicalURL.absoluteString
        let id = Fingerprint.recordID(canonicalURL: outcome.task.canonicalURL)
        var state = try await ledger.urlState(key, kind: .release)
            ?? URLState(url: key, kind: .release, source: outcome.task.source, recordID: id, lastRun: runID)
        guard !state.deleted else { return }
        if state.lastRun != runID || state.goneRuns == 0 {
            if state.goneRuns == 0 { state.goneSince = runID }
            state.goneRuns += 1
        }
        state.lastRun = runID
        let limit = sources[outcome.task.source]?.incremental.deleteAfterRuns ?? IncrementalSettings().deleteAfterRuns
        if state.goneRuns < limit { await log.update { $0.gonePending += 1 } }
        try await ledger.saveURLState(state)
        await log.notice("\(outcome.task.url.absoluteString): answered \(status) (\(state.goneRuns) of \(limit) runs before deletion)")
    }

    /// At the end of a run that was not stopped: the releases that answered 404/410 on enough
    /// consecutive runs, this one included, are deleted, with a tombstone in the feed, unless
    /// more than `max_deleted_fraction` of the source's live releases would go at once. That
    /// is an outage (an empty listing, every page 404), not an archive that vanished: nothing
    /// is deleted and the run reports it.
    func finishDeletions() async throws {
        for (source, config) in sources.sorted(by: { $0.key < $1.key }) {
            let limit = config.incremental.deleteAfterRuns, hours = config.incremental.deleteAfterHours
            let due = try await ledger.releasesDue(source: source, goneRuns: limit).filter {
                $0.lastRun == runID && $0.goneSince.map { Pipeline.isOlder($0, than: hours, at: runID) } ?? true
            }
            guard !due.isEmpty else { continue }
            let live = try await ledger.releaseURLs(source: source, goneOnly: false).count
            let fraction = config.incremental.maxDeletedFraction
            if due.count > IncrementalSettings.massDeletionFloor, Double(due.count) > fraction * Double(live) {
                await log.update { $0.gonePending += due.count }
                await log.error(ItemError(stage: .source, kind: "mass_disappearance", message: """
                    \(source): \(due.count) of \(live) releases answered 404/410 on \(limit) runs in a row; none deleted, since more \
                    than \(Int(fraction * 100))% of an archive vanishing at once is an outage (raise incremental.max_deleted_fraction \
                    if the site really removed them)
                    """), url: nil)
                continue
            }
            for var state in due {
                guard let url = URL(string: state.url) else { continue }
                let recordID = state.recordID ?? Fingerprint.recordID(canonicalURL: url)
                if let data = try await records.record(id: recordID) {
                    // The feed names the release by the URL its record carries (as linked).
                    let linked = (try? JSONDecoder().decode(Record.self, from: data))?.url ?? state.url
                    try await records.delete(id: recordID, url: linked, source: source)
                    await log.update { $0.deleted += 1 }
                }
                state.deleted = true
                try await ledger.saveURLState(state)
                try await regroup(afterDeleting: recordID)
                await log.notice("\(state.url): answered 404/410 on \(state.goneRuns) consecutive runs; record deleted")
            }
        }
    }

    /// Finishes the record rewrites a killed run left between the ledger's change and the
    /// records': each record of the group is made to say what the ledger says. Called before
    /// the first item of a run is written.
    func recoverRewrites() async throws {
        let ids = try await PendingRewrites.load(ledger: ledger)
        guard !ids.isEmpty else { return }
        for id in ids { try await reconcile(id) }
        try await PendingRewrites.clear(ledger: ledger, runID: runID)
        await log.notice("finished the duplicate rewrites of an interrupted run (\(ids.count) records)")
    }

    /// Rewrites a record's duplicate fields from the ledger's decision, as `handle` would.
    private func reconcile(_ id: String) async throws {
        guard var doc = try await ledger.document(id: id), doc.contentSHA256 != LedgerDocument.retired else { return }
        if let original = doc.duplicateOf, original != id {
            // The kill may have come before the group's similarities were stored.
            if let o = try await ledger.document(id: original) {
                doc.similarity = Self.rounded(doc.signature.similarity(to: o.signature))
                try await ledger.save(doc)
            }
            let similarity = doc.similarity.map(Self.rounded)
            try await rewrite(id) { record in
                if policy == .skip { return nil }
                record.duplicateOf = policy == .mark ? original : nil
                record.similarity = policy == .mark ? similarity : nil
                record.duplicateURLs = []
                return record
            }
        } else {
            let urls = try await ledger.duplicates(of: id).map(\.url)
            try await rewrite(id) { record in
                record.duplicateOf = nil
                record.similarity = nil
                record.duplicateURLs = urls
                return record
            }
        }
    }

    /// A deleted record leaves its duplicate group, so that no record points at it and no
    /// later copy is judged its duplicate. Its document is retired. If it was a duplicate,
    /// its original's `duplicate_urls` drop it. If it was an original, the earliest of its
    /// duplicates becomes the original and the group's records are rewritten to say so; a
    /// promoted release that has no record (`duplicates: skip`) is fetched and written on the
    /// next run.
    private func regroup(afterDeleting id: String) async throws {
        guard let doc = try await ledger.document(id: id), doc.contentSHA256 != LedgerDocument.retired else { return }
        if let original = doc.duplicateOf, original != id {
            try await ledger.retireDocument(id: id)
            try await refreshDuplicateURLs(of: original)
            return
        }
        let group = try await ledger.duplicates(of: id)
        guard var promoted = group.min(by: { DuplicateDetector.order($0) < DuplicateDetector.order($1) }) else {
            try await ledger.retireDocument(id: id)
            return
        }
        _ = try await ledger.redirectDuplicates(of: [id], to: promoted.id)
        try await ledger.retireDocument(id: id)
        promoted.duplicateOf = nil
        promoted.similarity = nil
        try await ledger.save(promoted)
        for var other in group where other.id != promoted.id {
            let similarity = Self.rounded(other.signature.similarity(to: promoted.signature))
            other.duplicateOf = promoted.id
            other.similarity = similarity
            try await ledger.save(other)
            try await rewrite(other.id) { record in
                record.duplicateOf = policy == .mark ? promoted.id : nil
                record.similarity = policy == .mark ? similarity : nil
                record.duplicateURLs = []
                return record
            }
        }
        try await writeAsOriginal(promoted)
        await log.notice("\(promoted.url): the original of its group now that \(doc.url) is deleted")
    }

    /// The duplicates of an original that changed: one that no longer repeats it (another
    /// content hash, similarity under the threshold) becomes an original of its own (written
    /// next run under `skip`); the others keep pointing at it, with their similarity to what it
    /// says now.
    private func reviewDuplicates(of id: String, signature: MinHashSignature, contentSHA256: String, threshold: Double) async throws {
        for var dup in try await ledger.duplicates(of: id) {
            let similarity = Self.rounded(dup.signature.similarity(to: signature))
            if dup.contentSHA256 != contentSHA256, dup.signature.similarity(to: signature) < threshold {
                dup.duplicateOf = nil
                dup.similarity = nil
                try await ledger.save(dup)
                try await writeAsOriginal(dup)
                await log.notice("\(dup.url): no longer a duplicate of \(id), which changed")
            } else if dup.similarity != similarity {
                dup.similarity = similarity
                try await ledger.save(dup)
                try await rewrite(dup.id) { record in
                    if policy == .mark { record.similarity = similarity }
                    return record
                }
            }
        }
    }

    /// A document that has just become an original: its record says so (no `duplicate_of`,
    /// its own duplicates' URLs); one that has no record (`skip`) is written on the next run.
    private func writeAsOriginal(_ doc: LedgerDocument) async throws {
        guard try await records.exists(id: doc.id) else {
            try await refetchNextRun(url: doc.url, id: doc.id)
            return
        }
        let urls = try await ledger.duplicates(of: doc.id).map(\.url)
        try await rewrite(doc.id) { record in
            record.duplicateOf = nil
            record.similarity = nil
            record.duplicateURLs = urls
            return record
        }
    }

    /// A release whose record must be made anew: its URL state forgets validators and body
    /// hash, so the next run fetches and reads it (and the sweep after an early stop asks for it).
    private func refetchNextRun(url: String, id: String) async throws {
        guard let linked = URL(string: url) else { return }
        for canonicalizer in sources.values.map(\.canonicalizer) {
            guard let key = canonicalizer.canonicalize(linked)?.absoluteString,
                  var state = try await ledger.urlState(key, kind: .release), state.recordID == id else { continue }
            state.etag = nil
            state.lastModified = nil
            state.bodySHA256 = nil
            state.lastRun = runID
            try await ledger.saveURLState(state)
            return
        }
    }

    /// The same file at another URL, or a near-duplicate PDF (a re-export of another).
    private func attachmentDuplicate(_ a: AttachmentRecord, sha256: String, signature: MinHashSignature,
                                     threshold: Double) async throws -> AttachmentDuplicate? {
        let textHash = Fingerprint.sha256Hex(a.text ?? "")
        if var existing = try await ledger.document(id: sha256) {
            existing.lastRun = runID
            try await ledger.save(existing)
            if existing.url != a.url { return AttachmentDuplicate(sha256: sha256, url: existing.url, similarity: 1) }
            if let original = existing.duplicateOf, let o = try await ledger.document(id: original) {
                return AttachmentDuplicate(sha256: o.id, url: o.url, similarity: Self.rounded(existing.similarity ?? 1))
            }
            return nil
        }
        var doc = LedgerDocument(id: sha256, kind: .attachment, url: a.url, published: a.pdf?.created,
                                 contentSHA256: textHash, signature: signature, firstRun: runID, lastRun: runID)
        var result: AttachmentDuplicate?
        if case .duplicate(let original, let similarity, _) = try await detector.decide(
            id: sha256, kind: .attachment, contentSHA256: textHash, signature: signature, published: nil, threshold: threshold) {
            doc.duplicateOf = original.id
            doc.similarity = similarity
            result = AttachmentDuplicate(sha256: original.id, url: original.url, similarity: Self.rounded(similarity))
        }
        try await ledger.save(doc)
        return result
    }

    /// Rewrites the original's record so that it lists every duplicate's URL.
    private func refreshDuplicateURLs(of id: String) async throws {
        let urls = try await ledger.duplicates(of: id).map(\.url)
        try await rewrite(id) { record in
            record.duplicateURLs = urls
            return record
        }
    }

    /// Reads a record file written earlier, changes it, writes it back (or removes it).
    private func rewrite(_ id: String, _ change: (inout Record) -> Record?) async throws {
        guard let data = try await records.record(id: id), var record = try? JSONDecoder().decode(Record.self, from: data) else { return }
        if let updated = change(&record) {
            try await emit(updated)
        } else {
            try await records.delete(id: record.id, url: record.url, source: record.source)
        }
    }

    static func rounded(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }
}

/// The records a duplicate rewrite is about to change, kept in the ledger (a `LedgerNote`)
/// from before the ledger's change until the records are rewritten.
enum PendingRewrites {
    static let key = "trawl:pending-rewrites"

    static func load(ledger: any LedgerStore) async throws -> [String] {
        try await LedgerNote.load([String].self, key: key, ledger: ledger) ?? []
    }

    static func add(_ ids: [String], ledger: any LedgerStore, runID: String) async throws {
        try await LedgerNote.save(try await load(ledger: ledger) + ids, key: key, source: "", ledger: ledger, runID: runID)
    }

    static func clear(ledger: any LedgerStore, runID: String) async throws {
        guard try await !load(ledger: ledger).isEmpty else { return }
        try await LedgerNote.save([String](), key: key, source: "", ledger: ledger, runID: runID)
    }
}
