import AsyncAlgorithms
import Foundation
import Logging
import TrawlConcurrency
import TrawlDedup
import TrawlHTML
import TrawlHTTP
import TrawlLedger
import TrawlWARC

/// The stage graph of a run:
///
///     source ─► parse pages ─► attachments + assemble ─► dedup + write
///     (1 task)   (workers.pages)  (workers.attachments)    (1 owner of the output)
///
/// Stages are joined by `AsyncChannel`s, which hand over one item at a time: a stage that
/// falls behind suspends the one before it, so memory stays flat however large the archive.
/// Items carry their discovery number; the writer restores that order, so output does not
/// depend on how workers interleave (which record is "first" among duplicates is stable).
public struct Pipeline: Sendable {
    public let config: PipelineConfig
    public let configPath: String
    public let logger: Logger
    /// Called about twice a second with the counts so far (a terminal's progress line).
    public let progress: (@Sendable (RunSummary.Counts, Double) -> Void)?

    public init(config: PipelineConfig, configPath: String, logger: Logger,
                progress: (@Sendable (RunSummary.Counts, Double) -> Void)? = nil) {
        self.config = config
        self.configPath = configPath
        self.logger = logger
        self.progress = progress
    }

    /// What the page stage learnt about a release besides its content.
    enum PageStatus: Sendable, Equatable {
        /// Parsed (new, or changed since the last run).
        case fresh
        /// The server said 304, or sent the same bytes as last time: nothing to redo.
        case unchanged
        /// The server answered 404 or 410.
        case gone(status: Int)
    }

    /// What to remember about a fetched release page once its record is safely written.
    struct PageState: Sendable {
        var validators: Validators
        var bodySHA256: String?
        /// Fetched unconditionally because what vouched for it was too old: stored again
        /// even when nothing changed, so that it is trusted for another `max_age_hours`.
        var refreshed = false
    }

    struct PageOutcome: Sendable {
        var task: ReleaseTask
        var page: Result<ScrapedPage, ItemError>
        var status: PageStatus = .fresh
        var state: PageState? = nil
    }

    struct Outcome: Sendable {
        /// Attachments whose download failed transiently this run and whose earlier
        /// extraction was kept: reported as errors, and the page is asked for again next run.
        var keptAfterFailure: [(url: String, error: ItemError)] = []
        /// Something in this record failed transiently: its page's validators are not stored,
        /// so the next run fetches it again and retries what failed.
        var retryNextRun: Bool {
            !keptAfterFailure.isEmpty || (try? record.get())?.attachments.contains { $0.error?.isTransient == true } == true
        }
        var task: ReleaseTask
        var record: Result<Record, ItemError>
        var status: PageStatus = .fresh
        var state: PageState? = nil
        /// Near-duplicate signatures of the record and of its attachments (by SHA-256).
        var signature: MinHashSignature? = nil
        var attachmentSignatures: [String: MinHashSignature] = [:]
    }

    /// Runs every source to the end. Per-item failures are recorded in the summary; only
    /// systemic failures (the output cannot be written) throw.
    public func run() async throws -> RunSummary {
        let output = OutputDirectory(root: config.output)
        // The lock comes first: preparing the directory clears scratch files, which must not
        // happen under another run's feet.
        let lock = try RunLock(output: output)
        defer { withExtendedLifetime(lock) {} }
        try output.prepare()
        let runID = Self.makeRunID(after: Self.latestRunID(in: output))
        let ledger: Ledger
        do { ledger = try Ledger(path: output.ledger.path) } catch {
            throw OutputError(path: output.ledger.path, reason: "\(error)")
        }
        try? await ledger.beginRun(runID, at: Self.timestamp(Date()))
        let startedAt = Date()
        let clock = ContinuousClock()
        let start = clock.now
        let log = RunLog(logger: logger)
        let pool = config.extraction.isolated
            ? ExtractionWorkerPool(settings: config.extraction, scratch: try output.makeScratchFolder("workers-\(runID)")) : nil
        let store = AttachmentStore(spillDirectory: try output.makeScratchFolder("attachments-\(runID)"),
                                    extraction: ExtractionService(settings: config.extraction, pool: pool, ledger: ledger))
        logger.info("run started", metadata: ["run": "\(runID)", "output": "\(output.root.path)"])

        let feed = try ChangeFeed(output: output, runID: runID)
        // One archive for the run's HTTP sources that ask for it; a file a killed run left
        // open is repaired first.
        let warcSettings = config.sources.first { $0.kind == .http && $0.http.warc }?.http
        let warc = try warcSettings.map {
            do { return try WARCWriter(folder: output.warc, maxFileBytes: $0.warcMaxFileBytes, software: $0.userAgent) } catch {
                throw OutputError(path: output.warc.path, reason: "\(error)")
            }
        }
        let fetchers = makeFetchers(ledger: ledger, runID: runID, warc: warc) { HostGate(concurrency: $0, delay: $1) }
        let records = FileRecordStore(output: output, feed: feed)
        let context = RunContext(ledger: ledger, records: records, runID: runID, fetchers: fetchers, progress: ListingProgress())
        let sink = RecordSink(records: records, ledger: ledger, config: config, runID: runID, log: log)
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                if let progress {
                    group.addTask {
                        while true {
                            do { try await Task.sleep(for: .milliseconds(500)) } catch { break }
                            let elapsed = clock.now - start
                            progress(await log.counts, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
                        }
                    }
                }
                try await runStages(store: store, sink: sink, log: log, context: context)
                group.cancelAll()
            }
        } catch {
            await pool?.shutdown()
            for f in fetchers.values { await f.shutdown() }
            try? await warc?.close()
            throw error
        }
        await pool?.shutdown()
        for f in fetchers.values { await f.shutdown() }
        do { try await warc?.close() } catch { throw OutputError(path: output.warc.path, reason: "\(error)") }
        try await feed.publish()
        if !Task.isCancelled { await recordProgress(log: log, ledger: ledger, runID: runID) }

        let summary = await makeSummary(runID: runID, output: output, startedAt: startedAt, elapsed: clock.now - start, log: log, store: store)
        try writeSummary(summary, to: output)
        output.removeScratch()
        try? await ledger.finishRun(runID, at: summary.finished)
        logger.info("run finished", metadata: ["run": "\(runID)", "records": "\(summary.counts.records)", "errors": "\(summary.counts.errors)"])
        return summary
    }

    /// After a run that finished: what each fetched source's harvests now cover.
    func recordProgress(log: RunLog, ledger: any LedgerStore, runID: String) async {
        let walked = await log.walkedAll, unfinished = await log.unfinished
        for source in config.sources where source.kind.fetches {
            let progress = await SourceProgress.load(source.name, ledger: ledger)
            let next = progress.after(walkedAll: walked.contains(source.name), clean: !unfinished.contains(source.name), runID: runID)
            do { try await next.save(source.name, ledger: ledger, runID: runID) } catch {
                await log.error(ItemError(stage: .source, kind: "ledger", message: "\(source.name): cannot record the harvest's progress (\(error))"), url: nil)
            }
        }
    }

    func makeSummary(runID: String, output: OutputDirectory, startedAt: Date, elapsed: Duration,
                     log: RunLog, store: AttachmentStore) async -> RunSummary {
        var summary = RunSummary(runID: runID, config: configPath, output: output.root.path,
                                 started: Self.timestamp(startedAt), finished: Self.timestamp(Date()))
        // Cancelled (SIGINT/SIGTERM): in-flight items finished, the rest is left for next run.
        summary.interrupted = Task.isCancelled
        summary.counts = await log.counts
        summary.counts.attachmentsExtracted = await store.extractedCount
        summary.counts.attachmentsReused = await store.reusedCount
        summary.counts.attachmentsIdentical = await store.identicalCount
        summary.errorsByKind = await log.errorsByKind
        summary.errors = await log.errors
        summary.duplicates = await log.duplicates
        summary.timings = await log.busy.mapValues { ($0 * 1000).rounded() / 1000 }
        summary.timings["total"] = (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        summary.peakRSSMiB = RunSummary.ownPeakRSSMiB()
        return summary
    }

    func writeSummary(_ summary: RunSummary, to output: OutputDirectory) throws {
        let data = try TrawlJSON.encoder(pretty: true).encode(summary)
        try output.writeAtomically(data, to: output.runs.appendingPathComponent("\(summary.runID).json"))
        try MetricsFile.write(summary, to: output)
    }

    /// One HTTP client per `http` source; `gate` makes each one's politeness gate.
    func makeFetchers(ledger: any LedgerStore, runID: String, warc: WARCWriter? = nil,
                      gate: (Int, Duration) -> any HostGating) -> [String: HTTPFetcher] {
        var fetchers: [String: HTTPFetcher] = [:]
        for source in config.sources where source.kind.fetches {
            var settings = source.http
            var replay: WARCArchive?
            if source.kind == .warc {
                // The archive answers at once: no politeness delay, no retries.
                settings.delay = .zero
                settings.retries = 0
                settings.concurrencyPerHost = max(settings.concurrencyPerHost, 8)
                do {
                    let archive = try WARCArchive(files: source.warcFiles)
                    for problem in archive.problems { logger.warning("WARC record skipped", metadata: ["source": "\(source.name)", "problem": "\(problem)"]) }
                    replay = archive
                } catch {
                    logger.error("WARC archive unreadable", metadata: ["source": "\(source.name)", "reason": "\(error)"])
                    replay = try? WARCArchive(files: [])
                }
            }
            fetchers[source.name] = HTTPFetcher(settings: settings, policy: URLPolicy(seeds: source.seeds, allowedHosts: source.http.allowedHosts),
                                                logger: logger, memory: LedgerRobotsMemory(ledger: ledger, source: source.name, runID: runID),
                                                gate: gate(settings.concurrencyPerHost, settings.delay), warc: warc, replay: replay)
        }
        return fetchers
    }

    // MARK: Stages

    /// Starts every stage, joined by channels, and returns when the writer has drained them.
    /// What the stages of one run share besides the channels.
    struct RunContext: Sendable {
        let ledger: any LedgerStore
        let records: any RecordStore
        let runID: String
        let fetchers: [String: HTTPFetcher]
        let progress: any ListingVerdicts
    }

    private func runStages(store: AttachmentStore, sink: RecordSink, log: RunLog, context: RunContext) async throws {
        let releases = AsyncChannel<ReleaseTask>()
        let pages = AsyncChannel<PageOutcome>()
        let outcomes = AsyncChannel<Outcome>()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                let sequence = Counter()
                await self.discover(log: log, context: context) { task in
                    var task = task
                    task.sequence = await sequence.next()
                    await releases.send(task)
                    return task.sequence
                }
                releases.finish()
            }
            group.addTask {
                await Self.workers(config.workers.pages) {
                    for await task in releases {
                        let (outcome, seconds) = await measure { await self.scrape(task, context: context) }
                        if task.reportsBack {
                            await context.progress.report(task.sequence, unchanged: outcome.status == .unchanged)
                        }
                        await log.busy("pages", seconds: seconds)
                        await pages.send(outcome)
                    }
                }
                pages.finish()
            }
            group.addTask {
                await Self.workers(config.workers.attachments) {
                    for await page in pages {
                        let (outcome, seconds) = await measure { await self.assemble(page, store: store, log: log, context: context) }
                        await log.busy("attachments", seconds: seconds)
                        await outcomes.send(outcome)
                    }
                }
                outcomes.finish()
            }
            group.addTask {
                try await self.write(outcomes, to: sink, log: log)
            }
            try await group.waitForAll()
        }
    }

    /// Walks every source and hands each release to `emit`, which numbers it (in discovery
    /// order) and returns its number.
    func discover(log: RunLog, context: RunContext, emit: @escaping @Sendable (ReleaseTask) async -> Int) async {
        var seen = Set<String>()
        for source in config.sources {
            guard !Task.isCancelled else { break }
            let canonicalizer = source.canonicalizer
            let seconds: Double
            switch source.kind {
            case .directory:
                let crawler = DirectorySource(config: source, limits: config.limits, canonicalizer: canonicalizer, logger: logger)
                let events = DirectorySource.Events(
                    listingPage: { _ in await log.update { $0.listingPages += 1 } },
                    listingError: { url, error in await log.error(error, url: url.absoluteString) },
                    repeatedRelease: { _ in await log.update { $0.repeatedURLs += 1 } },
                    release: { url, canonical, file in
                        _ = await emit(ReleaseTask(sequence: -1, source: source.name, url: url,
                                                   canonicalURL: canonical, origin: .file(file)))
                    })
                (_, seconds) = await measure { await crawler.crawl(events: events, seenReleases: &seen) }
            case .http, .warc:
                guard let fetcher = context.fetchers[source.name] else { continue }
                let crawler = HTTPSource(config: source, limits: config.limits, canonicalizer: canonicalizer, fetcher: fetcher,
                                         ledger: context.ledger, runID: context.runID, progress: context.progress, logger: logger)
                let events = HTTPSource.Events(
                    listingPage: { _, notModified in
                        await log.update { $0.listingPages += 1; if notModified { $0.notModified += 1 } }
                    },
                    listingError: { url, error in
                        if !error.isCancellation { await log.error(error, url: url.absoluteString) }
                        await log.unfinished(source.name)
                    },
                    repeatedRelease: { _ in await log.update { $0.repeatedURLs += 1 } },
                    release: { url, canonical, revisit, reportsBack in
                        var task = ReleaseTask(sequence: -1, source: source.name, url: url,
                                               canonicalURL: canonical, origin: .http)
                        task.revisit = revisit
                        task.reportsBack = reportsBack
                        return await emit(task)
                    })
                let walkedAll: Bool
                (walkedAll, seconds) = await measure { await crawler.crawl(events: events, seenReleases: &seen) }
                if walkedAll { await log.walked(source.name) }
            }
            await log.busy("source", seconds: seconds)
        }
    }

    func scrape(_ task: ReleaseTask, context: RunContext) async -> PageOutcome {
        guard let source = config.sources.first(where: { $0.name == task.source }) else {
            return PageOutcome(task: task, page: .failure(ItemError(stage: .page, kind: "config", message: "unknown source \(task.source)")))
        }
        let limit = config.limits.maxPageBytes
        let parse = { @Sendable (bytes: Data, charset: String?) -> Result<ScrapedPage, ItemError> in
            let scraper = PageScraper(charsets: CharsetDetector(defaultEncoding: source.defaultEncoding ?? "windows-1252"))
            do {
                return .success(try scraper.scrapeRelease(bytes: bytes, url: task.url, transportCharset: charset, rules: source.release))
            } catch {
                return .failure(ItemError(stage: .page, kind: "parse", message: "\(task.url.absoluteString): \(error)"))
            }
        }
        switch task.origin {
        case .file(let file):
            let page = await BlockingPool.run { () -> Result<ScrapedPage, ItemError> in
                file.flatMap { BoundedFileReader.read($0, limit: limit, name: task.url.absoluteString, stage: .page) }
                    .flatMap { parse($0, nil) }
            }
            return PageOutcome(task: task, page: page.flatMap { Self.titleRuleHeld($0, source: source, url: task.url) })
        case .http:
            var outcome = await fetchPage(task, context: context, limit: limit, parse: parse)
            outcome.page = outcome.page.flatMap { Self.titleRuleHeld($0, source: source, url: task.url) }
            return outcome
        }
    }

    /// A title rule that matched nothing: the page is not the release it used to be (a sign-in
    /// or error page, a redesign that broke the rule), unless the source asks for a fallback.
    static func titleRuleHeld(_ page: ScrapedPage, source: SourceConfig, url: URL) -> Result<ScrapedPage, ItemError> {
        guard let rule = source.release.title, !source.titleFallback, page.provenance["title"] != "xpath:\(rule)" else { return .success(page) }
        return .failure(ItemError(stage: .page, kind: "rule_no_match", message: """
            \(url.absoluteString): the title rule \(rule) matched nothing (set release.title_fallback to true to take the \
            page's own title instead)
            """))
    }

    func assemble(_ outcome: PageOutcome, store: AttachmentStore, log: RunLog, context: RunContext) async -> Outcome {
        let page: ScrapedPage
        switch outcome.page {
        case .failure(let error): return Outcome(task: outcome.task, record: .failure(error), status: outcome.status, state: outcome.state)
        case .success(let p): page = p
        }
        guard let source = config.sources.first(where: { $0.name == outcome.task.source }) else {
            return Outcome(task: outcome.task, record: .failure(ItemError(stage: .page, kind: "config", message: "unknown source")))
        }
        let origin: AttachmentOrigin
        if source.kind.fetches, let fetcher = context.fetchers[source.name] {
            origin = .http(fetcher, ledger: context.ledger, source: source.name, runID: context.runID,
                           maxAgeHours: source.incremental.maxAgeHours)
        } else {
            origin = .mirror(MirrorLayout(root: source.root ?? URL(fileURLWithPath: "/nonexistent"), baseURL: source.baseURL))
        }
        let attachmentFilter = source.attachmentPattern.flatMap { try? NSRegularExpression(pattern: $0) }
        let canonicalizer = source.canonicalizer
        var attachments: [AttachmentRecord] = []
        for link in page.attachments {
            let canonical = canonicalizer.canonicalize(link.url) ?? link.url
            let text = canonical.absoluteString
            if let attachmentFilter, attachmentFilter.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil { continue }
            attachments.append(await store.attachment(link: link, canonical: canonical, origin: origin,
                                                      maxBytes: config.limits.maxAttachmentBytes))
        }
        // A download cut short by a stopping run must not be written into the record (the
        // next run would see an unchanged page and keep the gap): the release is left whole
        // for the next run.
        if let cut = attachments.compactMap(\.error).first(where: \.isCancellation) {
            return Outcome(task: outcome.task, record: .failure(cut), status: outcome.status, state: outcome.state)
        }
        let record = RecordAssembler().record(task: outcome.task, page: page, attachments: attachments)
        var kept: [(url: String, error: ItemError)] = []
        for a in attachments {
            if let failure = await store.keptAfterFailure(URL(string: a.canonicalURL) ?? outcome.task.url) { kept.append((a.url, failure)) }
        }
        // Signatures are computed here, in parallel, so the single writer only looks them up.
        var attachmentSignatures: [String: MinHashSignature] = [:]
        for a in attachments {
            if let sha = a.sha256, let text = a.text, !text.isEmpty, attachmentSignatures[sha] == nil {
                attachmentSignatures[sha] = MinHashSignature(text: text)
            }
        }
        var result = Outcome(task: outcome.task, record: .success(record), status: outcome.status, state: outcome.state,
                             signature: MinHashSignature(text: RecordAssembler.signatureText(of: record)),
                             attachmentSignatures: attachmentSignatures)
        result.keptAfterFailure = kept
        return result
    }

    private func write(_ outcomes: AsyncChannel<Outcome>, to sink: RecordSink, log: RunLog) async throws {
        try await sink.recoverRewrites()
        var pending: [Int: Outcome] = [:]
        var next = 0
        for await outcome in outcomes {
            pending[outcome.task.sequence] = outcome
            while let ready = pending.removeValue(forKey: next) {
                next += 1
                let (_, seconds) = try await measure { try await sink.handle(ready) }
                await log.busy("write", seconds: seconds)
            }
        }
        // A stopped run has not met every release: it deletes nothing.
        if !Task.isCancelled { try await sink.finishDeletions() }
    }

    // MARK: Helpers

    /// Runs `count` copies of `body` and waits for all of them.
    static func workers(_ count: Int, _ body: @escaping @Sendable () async -> Void) async {
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<count { group.addTask(operation: body) }
        }
    }

    /// A run's id: its start time (UTC, milliseconds) and a random suffix; ids sort in start order.
    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}

/// Hands out discovery numbers.
actor Counter {
    private var value = 0
    func next() -> Int { defer { value += 1 }; return value }
}
