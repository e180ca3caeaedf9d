import Crypto
import Foundation
import TrawlConcurrency
import TrawlDedup
import TrawlHTML
import TrawlHTTP
import TrawlLedger

/// Where a run reads attachments from.
enum AttachmentOrigin: Sendable {
    /// The files of a mirror on disk.
    case mirror(MirrorLayout)
    /// The live site: downloads are conditional, and an unchanged file's extraction is
    /// taken from the ledger instead of being redone.
    case http(HTTPFetcher, ledger: any LedgerStore, source: String, runID: String, maxAgeHours: Double?)
}

/// Extracts each attachment once per run, however many pages link it. A finished result is
/// spilled to disk and only its key stays in memory, so memory does not grow with the size of
/// the attachments already seen; a page that arrives while the first extraction is still
/// running waits for it instead of starting a second one.
actor AttachmentStore {
    private enum Entry {
        case running(Task<AttachmentRecord, Never>)
        /// Spilled to `spillDirectory/<key hex>.json`.
        case done
    }

    /// 16 bytes of the key's SHA-256: what stays in memory per attachment (a URL or a string
    /// key per entry would make memory grow several times faster with the archive).
    private struct Key: Hashable {
        let high: UInt64, low: UInt64

        init(_ key: String) {
            let digest = Array(SHA256.hash(data: Data(key.utf8)))
            high = digest[0..<8].reduce(0) { $0 << 8 | UInt64($1) }
            low = digest[8..<16].reduce(0) { $0 << 8 | UInt64($1) }
        }

        var hex: String { String(format: "%016llx%016llx", high, low) }
    }

    private var entries: [Key: Entry] = [:]
    /// Downloads that failed transiently this run while an earlier extraction was at hand,
    /// which was used instead (by canonical URL).
    private var kept: [Key: ItemError] = [:]
    /// Names servers gave in `Content-Disposition`, by canonical URL.
    private var servedNames: [Key: String] = [:]
    private let spillDirectory: URL
    private let extractor: AttachmentExtractor
    private(set) var extractedCount = 0
    private(set) var reusedCount = 0
    /// Attachments whose bytes had already been extracted under another URL.
    private(set) var identicalCount = 0

    init(spillDirectory: URL, extraction: ExtractionService) {
        self.spillDirectory = spillDirectory
        self.extractor = AttachmentExtractor(extraction: extraction)
    }

    /// The attachment behind `link` (canonical URL `canonical`), as seen from one page.
    func attachment(link: PageLink, canonical: URL, origin: AttachmentOrigin, maxBytes: Int) async -> AttachmentRecord {
        let (shared, reused) = await once("url:" + canonical.absoluteString) {
            switch origin {
            case .mirror(let layout):
                await self.fetchAndExtract(link: link, canonical: canonical, layout: layout, maxBytes: maxBytes)
            case .http(let fetcher, let ledger, let source, let runID, let maxAge):
                await self.download(link: link, canonical: canonical, fetcher: fetcher, ledger: ledger,
                                    source: source, runID: runID, maxAgeHours: maxAge, maxBytes: maxBytes)
            }
        }
        if reused { reusedCount += 1 } else { extractedCount += 1 }
        // The file is shared; the way this page links it is its own.
        var record = shared
        record.url = link.url.absoluteString
        record.linkText = link.text.isEmpty ? nil : link.text
        // A file-like link text names the file best; then the server's Content-Disposition.
        record.filename = AttachmentName.fromLinkText(link.text) ?? servedNames[Key(canonical.absoluteString)]
            ?? AttachmentName.make(url: link.url, linkText: link.text)
        return record
    }

    private func served(_ name: String, for canonical: URL) { servedNames[Key(canonical.absoluteString)] = name }

    /// The transient failure behind an attachment whose earlier extraction stands in for it.
    func keptAfterFailure(_ canonical: URL) -> ItemError? { kept[Key(canonical.absoluteString)] }

    private func keep(_ error: ItemError, for key: String) { kept[Key(key)] = error }

    /// Downloads an attachment (conditionally when its extraction is remembered), streams it
    /// to a spill file, checks what it really is and extracts it.
    private func download(link: PageLink, canonical: URL, fetcher: HTTPFetcher, ledger: any LedgerStore,
                          source: String, runID: String, maxAgeHours: Double?, maxBytes: Int) async -> AttachmentRecord {
        let name = link.url.absoluteString
        let key = canonical.absoluteString
        let failed = { (error: ItemError) in
            AttachmentRecord(url: name, canonicalURL: key, filename: AttachmentName.make(url: link.url, linkText: link.text),
                             linkText: link.text.isEmpty ? nil : link.text, error: error)
        }
        let state = try? await ledger.urlState(key, kind: .attachment)
        // An extraction an older extractor made (no `format`) is not reused: the file is read again.
        let remembered = state?.payload.flatMap { try? JSONDecoder().decode(AttachmentRecord.self, from: $0) }
            .flatMap { $0.format == nil ? nil : $0 }
        // Validators past their age are not sent: a file replaced at the same URL, or a server
        // that keeps its ETag for changed content, is read again within that time.
        let expired = state.map { Pipeline.isOlder($0.lastRun, than: maxAgeHours, at: runID) } ?? false
        let validators = state?.validators(ifKept: remembered != nil && !expired)
        let file = spillDirectory.appendingPathComponent("download-" + Fingerprint.sha256Hex(key))
        defer { try? FileManager.default.removeItem(at: file) }
        let response: FetchResponse
        switch await fetcher.fetch(link.url, validators: validators, to: .file(file, limit: maxBytes)) {
        case .failure(let f) where f.error.isTransient && !f.error.isCancellation:
            // A bad night on the site changes nothing: the text of the last good download
            // stands, the failure is reported, and the page is asked for again next run.
            guard let remembered else { return failed(f.error) }
            keep(f.error, for: key)
            return remembered
        case .failure(let f): return failed(f.error)
        case .success(let r) where r.notModified:
            if let remembered { return remembered }
            return failed(ItemError(stage: .fetch, kind: "status_304", message: "\(name): 304 Not Modified to an unconditional request"))
        case .success(let r): response = r
        }
        if let servedName = response.filename.flatMap(AttachmentName.clean) { served(servedName, for: canonical) }
        let data: Data
        do { data = try Data(contentsOf: file, options: .alwaysMapped) } catch {
            return failed(ItemError(stage: .attachment, kind: "read", message: "\(name): cannot read the download (\(error.localizedDescription))"))
        }
        let sha = Fingerprint.sha256Hex(data)
        /// The download's validators and extraction, for the next run's conditional request.
        func remember(_ payload: Data? = nil) async {
            try? await ledger.saveURLState(URLState(url: key, kind: .attachment, source: source, etag: response.validators.etag,
                                                    lastModified: response.validators.lastModified, bodySHA256: sha,
                                                    payload: payload ?? state?.payload, lastRun: runID))
        }
        if let remembered, remembered.sha256 == sha, response.contentType != "application/pdf" || remembered.mediaType == "application/pdf" {
            // Fetched again (its validators had aged) and the very same bytes came back: the
            // extraction stands; only the validators are renewed.
            await remember()
            return remembered
        }
        let extractor = self.extractor
        let (extracted, reused) = await once("sha256:" + sha) {
            await extractor.extract(data: data, file: file, url: link.url, canonicalURL: canonical, linkText: link.text)
        }
        if reused { identicalCount += 1 }
        var record = extracted
        record.canonicalURL = key
        if let declared = response.contentType, declared == "application/pdf", record.mediaType != "application/pdf", record.error == nil || record.error?.kind == "not_pdf" {
            let what = record.mediaType == "text/html" ? "an HTML page (an error page?)" : "not a PDF (\(record.mediaType ?? "unknown"))"
            record.error = ItemError(stage: .attachment, kind: "not_pdf", message: "\(name): served as application/pdf but the bytes are \(what)")
        }
        if let payload = try? JSONEncoder().encode(record) { await remember(payload) }
        return record
    }

    /// Runs `make` once per key: later callers wait for the running task or read its spilled
    /// result. Returns the result and whether it was reused.
    private func once(_ name: String, _ make: @escaping @Sendable () async -> AttachmentRecord) async -> (AttachmentRecord, Bool) {
        let key = Key(name)
        let file = spillDirectory.appendingPathComponent(key.hex + ".json")
        switch entries[key] {
        case .running(let task)?:
            return (await task.value, true)
        case .done?:
            let cached = Self.load(file) ?? AttachmentRecord(
                url: name, canonicalURL: name,
                error: ItemError(stage: .attachment, kind: "read", message: "\(name): cached extraction lost"))
            return (cached, true)
        case nil:
            let task = Task<AttachmentRecord, Never> { await make() }
            entries[key] = .running(task)
            let result = await task.value
            if Self.save(result, to: file) { entries[key] = .done }
            return (result, false)
        }
    }

    private func fetchAndExtract(link: PageLink, canonical: URL, layout: MirrorLayout, maxBytes: Int) async -> AttachmentRecord {
        let name = link.url.absoluteString
        let failed = { (kind: String, message: String) in
            AttachmentRecord(url: name, canonicalURL: canonical.absoluteString,
                             filename: AttachmentName.make(url: link.url, linkText: link.text),
                             linkText: link.text.isEmpty ? nil : link.text,
                             error: ItemError(stage: .attachment, kind: kind, message: message))
        }
        switch layout.resolve(link.url) {
        case .offSite:
            return failed("off_site", "\(name): not on the mirrored host, not fetched")
        case .missing:
            return failed("missing", "\(name): the mirror has no file for this attachment")
        case .file(let file):
            switch await BlockingPool.run({ BoundedFileReader.read(file, limit: maxBytes, name: name, stage: .attachment) }) {
            case .failure(let error): return failed(error.kind, error.message)
            case .success(let data):
                // The same bytes behind another URL are the same attachment: extract them once.
                let extractor = self.extractor
                let (record, reused) = await once("sha256:" + Fingerprint.sha256Hex(data)) {
                    await extractor.extract(data: data, file: file, url: link.url, canonicalURL: canonical, linkText: link.text)
                }
                if reused { identicalCount += 1 }
                var own = record
                own.canonicalURL = canonical.absoluteString
                return own
            }
        }
    }

    private static func save(_ record: AttachmentRecord, to file: URL) -> Bool {
        guard let data = try? JSONEncoder().encode(record) else { return false }
        return (try? data.write(to: file)) != nil
    }

    private static func load(_ file: URL) -> AttachmentRecord? {
        guard let data = try? Data(contentsOf: file) else { return nil }
        return try? JSONDecoder().decode(AttachmentRecord.self, from: data)
    }
}
