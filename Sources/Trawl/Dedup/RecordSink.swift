import Foundation
import TrawlDedup
import TrawlLedger

/// The last stage: the single owner of the output directory and of ledger writes. For each
/// record, in discovery order, it decides duplicates against everything the ledger holds
/// (this run and earlier ones), applies the duplicate policy and writes the record atomically.
struct RecordSink {
    let output: OutputDirectory
    let ledger: Ledger
    let policy: PipelineConfig.DuplicatePolicy
    let thresholds: [String: Double]
    let runID: String
    let log: RunLog
    private let detector: DuplicateDetector
    private let encoder = TrawlJSON.encoder(pretty: true)

    init(output: OutputDirectory, ledger: Ledger, config: PipelineConfig, runID: String, log: RunLog) {
        self.output = output
        self.ledger = ledger
        self.policy = config.duplicates
        self.thresholds = Dictionary(config.sources.map { ($0.name, $0.nearDuplicateThreshold) }, uniquingKeysWith: { a, _ in a })
        self.runID = runID
        self.log = log
        self.detector = DuplicateDetector(ledger: ledger)
    }

    func handle(_ outcome: Pipeline.Outcome) async throws {
        await log.update { $0.releasePages += 1 }
        guard case .success(var record) = outcome.record, let signature = outcome.signature else {
            if case .failure(let error) = outcome.record { await log.error(error, url: outcome.task.url.absoluteString) }
            return
        }
        let threshold = thresholds[record.source] ?? 0.8
        let known = try ledger.document(id: record.id)
        let seenBefore = known.map { $0.firstRun != runID } ?? false
        await log.update { if seenBefore { $0.knownRecords += 1 } else { $0.newRecords += 1 } }

        for i in record.attachments.indices {
            await log.update { $0.attachmentLinks += 1 }
            if let error = record.attachments[i].error {
                await log.update { $0.attachmentErrors += 1 }
                await log.error(error, url: record.attachments[i].url, recordID: record.id)
            }
            if let sha = record.attachments[i].sha256, let sig = outcome.attachmentSignatures[sha] {
                record.attachments[i].duplicateOf = try attachmentDuplicate(record.attachments[i], sha256: sha, signature: sig, threshold: threshold)
                if record.attachments[i].duplicateOf != nil { await log.update { $0.attachmentDuplicates += 1 } }
            }
        }

        var doc = LedgerDocument(id: record.id, kind: .record, url: record.url, published: record.published,
                                 contentSHA256: record.contentSHA256, signature: signature,
                                 firstRun: known?.firstRun ?? runID, lastRun: runID)
        let decision = try detector.decide(id: record.id, kind: .record, contentSHA256: record.contentSHA256,
                                           signature: signature, published: record.published, threshold: threshold)
        switch decision {
        case .original:
            try ledger.save(doc)
        case .duplicate(let original, let similarity, let exact):
            doc.duplicateOf = original.id
            doc.similarity = similarity
            try ledger.save(doc)
            record.duplicateOf = original.id
            record.similarity = Self.rounded(similarity)
            await log.duplicate(.init(url: record.url, id: record.id, duplicateOf: original.id,
                                      similarity: Self.rounded(similarity), exact: exact, written: policy != .skip))
            try refreshDuplicateURLs(of: original.id)
        case .supersedes(let original, _, _):
            // An earlier-published copy arrived after its re-post: it becomes the original and
            // the records already written for the group are rewritten (or removed) to say so.
            try ledger.save(doc)
            let moved = try ledger.redirectDuplicates(of: [original.id], to: record.id)
            var demoted: [RunSummary.Duplicate] = []
            for id in moved {
                guard var other = try ledger.document(id: id) else { continue }
                let similarity = Self.rounded(signature.similarity(to: other.signature))
                other.similarity = similarity
                try ledger.save(other)
                demoted.append(.init(url: other.url, id: id, duplicateOf: record.id, similarity: similarity,
                                     exact: other.contentSHA256 == record.contentSHA256, written: policy != .skip))
                try rewrite(id) { old in
                    if policy == .skip { return nil }
                    old.duplicateOf = policy == .mark ? record.id : nil
                    old.similarity = policy == .mark ? similarity : nil
                    old.duplicateURLs = []
                    return old
                }
            }
            await log.demote(demoted, to: record.id)
        }

        if case .duplicate = decision {
            if policy == .skip { return }
            if policy == .write { record.duplicateOf = nil; record.similarity = nil }
        } else {
            record.duplicateURLs = try ledger.duplicates(of: record.id).map(\.url)
        }
        try output.writeAtomically(try encoder.encode(record), to: output.recordFile(id: record.id))
        await log.update { $0.records += 1 }
    }

    /// The same file at another URL, or a near-duplicate PDF (a re-export of another).
    private func attachmentDuplicate(_ a: AttachmentRecord, sha256: String, signature: MinHashSignature,
                                     threshold: Double) throws -> AttachmentDuplicate? {
        let textHash = Fingerprint.sha256Hex(a.text ?? "")
        if var existing = try ledger.document(id: sha256) {
            existing.lastRun = runID
            try ledger.save(existing)
            if existing.url != a.url { return AttachmentDuplicate(sha256: sha256, url: existing.url, similarity: 1) }
            if let original = existing.duplicateOf, let o = try ledger.document(id: original) {
                return AttachmentDuplicate(sha256: o.id, url: o.url, similarity: Self.rounded(existing.similarity ?? 1))
            }
            return nil
        }
        var doc = LedgerDocument(id: sha256, kind: .attachment, url: a.url, published: a.pdf?.created,
                                 contentSHA256: textHash, signature: signature, firstRun: runID, lastRun: runID)
        var result: AttachmentDuplicate?
        if case .duplicate(let original, let similarity, _) = try detector.decide(
            id: sha256, kind: .attachment, contentSHA256: textHash, signature: signature, published: nil, threshold: threshold) {
            doc.duplicateOf = original.id
            doc.similarity = similarity
            result = AttachmentDuplicate(sha256: original.id, url: original.url, similarity: Self.rounded(similarity))
        }
        try ledger.save(doc)
        return result
    }

    /// Rewrites the original's record so that it lists every duplicate's URL.
    private func refreshDuplicateURLs(of id: String) throws {
        let urls = try ledger.duplicates(of: id).map(\.url)
        try rewrite(id) { record in
            record.duplicateURLs = urls
            return record
        }
    }

    /// Reads a record file written earlier, changes it, writes it back (or removes it).
    private func rewrite(_ id: String, _ change: (inout Record) -> Record?) throws {
        let file = output.recordFile(id: id)
        guard let data = try? Data(contentsOf: file), var record = try? JSONDecoder().decode(Record.self, from: data) else { return }
        if let updated = change(&record) {
            try output.writeAtomically(try encoder.encode(updated), to: file)
        } else {
            try FileManager.default.removeItem(at: file)
        }
    }

    static func rounded(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }
}
