import Foundation
import Logging
import TrawlLedger

/// A run that shares its harvest with other `trawl` processes through a coordinator
/// (`trawl run --coordinator postgres://…`). Every process plays three roles at once:
///
/// - **discoverer** (one process at a time): walks the sources and queues each release with
///   its discovery number, exactly as the source stage does in one process;
/// - **worker** (every process): leases releases, runs the page and attachment stages with
///   its own extraction workers, and completes them (a completion is fenced by owner and
///   attempt);
/// - **writer** (one process at a time): takes finished items in discovery order and decides
///   duplicates and writes, one transaction per batch committed with its cursor.
///
/// Roles are held through the database and pass to another process when their holder dies.
/// A process leaves when the harvest is finished; the writer then materialises the output
/// directory, so the result does not depend on which process did what.
extension Pipeline {
    /// Tunables of a shared run.
    public struct ClusterSettings: Sendable {
        /// How often a process that holds no role asks for one.
        public var rolePoll: Duration = .milliseconds(200)
        /// How often an idle worker or writer looks for work.
        public var idlePoll: Duration = .milliseconds(100)
        /// How many finished items the writer commits in one transaction.
        public var writerBatch = 64
        public init() {}
    }

    public func run(coordinator: any HarvestCoordinator, settings: ClusterSettings = .init()) async throws -> RunSummary {
        let output = OutputDirectory(root: config.output)
        let member = Self.memberName()
        let session = try await coordinator.join(key: Self.harvestKey(config), member: member)
        let runID = session.runID
        try? await session.ledger.beginRun(runID, at: Self.timestamp(Date()))
        let startedAt = Date()
        let clock = ContinuousClock()
        let start = clock.now
        let log = RunLog(logger: logger)
        // Scratch space of this process only: several processes may share a machine and an
        // output path, so nothing of theirs goes into the output directory until the export.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("trawl-\(member)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let pool: ExtractionWorkerPool?
        if config.extraction.isolated {
            let folder = scratch.appendingPathComponent("workers")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            pool = ExtractionWorkerPool(settings: config.extraction, scratch: folder)
        } else {
            pool = nil
        }
        let spill = scratch.appendingPathComponent("attachments")
        try FileManager.default.createDirectory(at: spill, withIntermediateDirectories: true)
        let store = AttachmentStore(spillDirectory: spill, extraction: ExtractionService(settings: config.extraction, pool: pool, ledger: session.ledger))
        if config.sources.contains(where: { $0.kind == .http && $0.http.warc }) {
            logger.warning("http.warc is not written by cluster members: run the harvest on one machine to archive it as WARC")
        }
        let fetchers = makeFetchers(ledger: session.ledger, runID: runID) { session.hostGate(concurrency: $0, delay: $1) }
        let context = RunContext(ledger: session.ledger, records: session.records, runID: runID, fetchers: fetchers,
                                 progress: QueueVerdicts(queue: session.queue, poll: settings.idlePoll))
        logger.info("joined harvest", metadata: ["run": "\(runID)", "member": "\(member)"])
        let wrote = WroteFlag()
        let tally = WorkTally()
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await self.discoverRole(session: session, log: log, context: context, settings: settings) }
                group.addTask { try await self.workRole(session: session, store: store, log: log, context: context, settings: settings, tally: tally) }
                group.addTask {
                    if try await self.writerRole(session: session, output: output, log: log, settings: settings) { await wrote.set() }
                }
                try await group.waitForAll()
            }
        } catch {
            await pool?.shutdown()
            for f in fetchers.values { await f.shutdown() }
            await session.leave()
            throw error
        }
        logger.info("roles ended; shutting down", metadata: ["member": "\(member)"])
        await pool?.shutdown()
        for f in fetchers.values { await f.shutdown() }
        var summary = await makeSummary(runID: runID, output: output, startedAt: startedAt, elapsed: clock.now - start, log: log, store: store)
        summary.shared = RunSummary.SharedPart(member: member, releasesWorked: await tally.worked,
                                               completionsRefused: await tally.refused, exported: await wrote.value)
        if await wrote.value {
            try writeSummary(summary, to: output)
            try? await session.ledger.finishRun(runID, at: summary.finished)
        }
        await session.leave()
        let wroteEnd = await wrote.value
        logger.info("left harvest", metadata: ["run": "\(runID)", "member": "\(member)", "wrote": "\(wroteEnd)"])
        return summary
    }

    // MARK: Roles

    /// Takes the discoverer role when nobody holds it and discovery is not finished: so a
    /// discoverer that dies is replaced, and the new one queues only what is missing.
    private func discoverRole(session: any HarvestSession, log: RunLog, context: RunContext, settings: ClusterSettings) async throws {
        let queue = session.queue
        while !Task.isCancelled {
            if try await queue.discoveredCount() != nil { return }
            guard let role = try await session.tryDiscoverer() else {
                try await Task.sleep(for: settings.rolePoll)
                continue
            }
            do {
                if try await queue.discoveredCount() != nil { await role.release(); return }
                let numbering = QueueNumbering(next: try await queue.nextSequence())
                await discover(log: log, context: context) { task in
                    await numbering.enqueue(task, into: queue)
                }
                if let failure = await numbering.failure { throw failure }
                if Task.isCancelled { await role.release(); return }
                let count = await numbering.next
                try await queue.finishDiscovery(count: count)
                logger.info("discovery finished", metadata: ["releases": "\(count)"])
            } catch {
                await role.release()
                throw error
            }
            await role.release()
            return
        }
    }

    /// Leases releases until the queue is drained, with `workers.pages` of them in flight;
    /// the leases held are renewed in the background.
    private func workRole(session: any HarvestSession, store: AttachmentStore, log: RunLog,
                          context: RunContext, settings: ClusterSettings, tally: WorkTally) async throws {
        let queue = session.queue
        let held = HeldLeases()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                // Renewal: a third of the lease period keeps a lease alive through one missed beat.
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    let leases = await held.all
                    if !leases.isEmpty { try? await queue.renew(leases) }
                }
            }
            group.addTask {
                await Self.workers(max(1, self.config.workers.pages)) {
                    var failures = 0
                    while !Task.isCancelled {
                        do {
                            guard let lease = try await queue.lease(limit: 1).first else {
                                if try await queue.drained() { return }
                                try? await Task.sleep(for: settings.idlePoll)
                                continue
                            }
                            failures = 0
                            await held.add(lease)
                            let data = await self.work(lease.release, store: store, log: log, context: context)
                            let accepted = try await queue.complete(lease, outcome: data.outcome, unchanged: data.unchanged)
                            await held.remove(lease)
                            await tally.count(accepted: accepted)
                            if !accepted {
                                self.logger.warning("late completion refused: the lease was taken over",
                                                    metadata: ["sequence": "\(lease.release.sequence)", "attempt": "\(lease.attempt)"])
                            }
                        } catch {
                            // The coordinator is unreachable: the leases held lapse and others
                            // take them; this process retries a few times, then gives up.
                            failures += 1
                            self.logger.error("work queue: \(error)")
                            if failures >= 5 { return }
                            try? await Task.sleep(for: .seconds(1))
                        }
                    }
                }
            }
            // Work ends when the queue is drained; renewals end with it.
            try await group.next()
            group.cancelAll()
            self.logger.info("queue drained: work done", metadata: ["member": "\(session.member)"])
        }
    }

    /// The page and attachment stages for one leased release; the outcome encoded for the writer.
    private func work(_ release: QueuedRelease, store: AttachmentStore, log: RunLog,
                      context: RunContext) async -> (outcome: Data, unchanged: Bool) {
        guard let task = release.task else {
            let error = ItemError(stage: .source, kind: "damaged_item", message: "\(release.url): the queued URL does not parse")
            return ((try? OutcomeCodec.encode(Outcome(task: ReleaseTask(sequence: release.sequence, source: release.source, url: URL(fileURLWithPath: "/"), canonicalURL: URL(fileURLWithPath: "/"), origin: .http), record: .failure(error)))) ?? Data(), false)
        }
        let (page, pageSeconds) = await measure { await self.scrape(task, context: context) }
        await log.busy("pages", seconds: pageSeconds)
        let (outcome, seconds) = await measure { await self.assemble(page, store: store, log: log, context: context) }
        await log.busy("attachments", seconds: seconds)
        do {
            return (try OutcomeCodec.encode(outcome), page.status == .unchanged)
        } catch {
            let failed = Outcome(task: task, record: .failure(ItemError(stage: .write, kind: "encode", message: "\(task.url.absoluteString): \(error)")))
            return ((try? OutcomeCodec.encode(failed)) ?? Data(), false)
        }
    }

    /// Waits for the writer role while the harvest is open; holding it, writes finished items
    /// in discovery order until every discovered item is written, then finishes the harvest
    /// and exports. Returns whether this process wrote the end of the harvest.
    private func writerRole(session: any HarvestSession, output: OutputDirectory, log: RunLog,
                            settings: ClusterSettings) async throws -> Bool {
        let queue = session.queue
        while !Task.isCancelled {
            if try await session.isFinished() { return false }
            guard let writer = try await session.tryWriter() else {
                try await Task.sleep(for: settings.rolePoll)
                continue
            }
            logger.info("writer role taken", metadata: ["member": "\(session.member)"])
            let sink = RecordSink(records: writer.records, ledger: writer.ledger, config: config, runID: session.runID, log: log)
            do {
                var cursor = try await writer.cursor()
                try await Self.transaction(writer, committing: cursor) { try await sink.recoverRewrites() }
                while !Task.isCancelled {
                    let batch = try await queue.finished(from: cursor, limit: settings.writerBatch)
                    guard let last = batch.last else {
                        if let count = try await queue.discoveredCount(), cursor >= count {
                            // Deletions are decided once every release was met (see RecordSink).
                            try await Self.transaction(writer, committing: cursor) { try await sink.finishDeletions() }
                            try await session.finish()
                            let exported = try await session.export(to: output)
                            logger.info("harvest finished", metadata: ["run": "\(session.runID)", "export": "\(exported)"])
                            await writer.release()
                            return true
                        }
                        _ = try await writer.cursor()  // keeps the writer's connection busy, not idle
                        try? await Task.sleep(for: settings.idlePoll)
                        continue
                    }
                    try await Self.transaction(writer, committing: last.sequence + 1) {
                        for item in batch {
                            let (_, seconds) = try await measure { try await sink.handle(try self.outcome(of: item)) }
                            await log.busy("write", seconds: seconds)
                        }
                    }
                    cursor = last.sequence + 1
                }
            } catch {
                await writer.release()
                throw error
            }
            await writer.release()
        }
        return false
    }

    /// One writer transaction: `body`'s writes and the cursor commit together, or none do.
    private static func transaction(_ writer: any WriterSession, committing cursor: Int, _ body: () async throws -> Void) async throws {
        try await writer.begin()
        do {
            try await body()
            try await writer.commit(cursor: cursor)
        } catch {
            await writer.rollback()
            throw error
        }
    }

    /// The writer's view of a finished item; a dead-lettered one fails with its reason.
    private func outcome(of item: FinishedRelease) throws -> Outcome {
        guard let task = item.release.task else {
            throw OutputError(path: item.release.url, reason: "queued URL does not parse")
        }
        guard let data = item.outcome else {
            return Outcome(task: task, record: .failure(ItemError(stage: .source, kind: "dead_letter",
                                                                  message: "\(task.url.absoluteString): \(item.deadReason ?? "given up")")))
        }
        return try OutcomeCodec.decode(data, task: task)
    }

    // MARK: Helpers

    /// A harvest is shared by the processes that run the same sources.
    static func harvestKey(_ config: PipelineConfig) -> String {
        config.sources.map(\.name).sorted().joined(separator: ",")
    }

    /// Unique per process across machines: host, pid, and a random suffix for pid reuse.
    static func memberName() -> String {
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, 255)
        let name = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return "\(name.isEmpty ? "host" : name)-\(getpid())-\(String(UInt32.random(in: 0 ... .max), radix: 16))"
    }
}

/// Numbers releases for the shared queue: a release already queued (by a discoverer that
/// died) keeps its number, and only new ones use up the next.
actor QueueNumbering {
    private(set) var next: Int
    private(set) var failure: (any Error)?

    init(next: Int) { self.next = next }

    /// The number the release holds in the queue: a new one, or the one a discoverer that
    /// died gave it (waiting for the next number instead hung the harvest for good); -1 when
    /// it could not be queued (the failure ends discovery with its reason).
    func enqueue(_ task: ReleaseTask, into queue: any WorkQueue) async -> Int {
        var task = task
        task.sequence = next
        do {
            let held = try await queue.enqueue(QueuedRelease(task))
            if held == next { next += 1 }
            return held
        } catch {
            if failure == nil { failure = error }
            return -1
        }
    }
}

/// Listing verdicts read from the queue: a release's verdict is its completion.
struct QueueVerdicts: ListingVerdicts {
    let queue: any WorkQueue
    let poll: Duration

    func report(_ sequence: Int, unchanged: Bool) async {}

    func wait(for sequences: [Int]) async -> [Bool] {
        // A release that could not be queued (-1) has no verdict to wait for: it is not known.
        let queued = sequences.filter { $0 >= 0 }
        guard !queued.isEmpty else { return sequences.map { _ in false } }
        while !Task.isCancelled {
            if let verdicts = try? await queue.verdicts(queued), verdicts.count == Set(queued).count {
                return sequences.map { verdicts[$0] ?? false }
            }
            try? await Task.sleep(for: poll)
        }
        return sequences.map { _ in false }
    }
}

/// The leases this process is working on (renewed together).
actor HeldLeases {
    private var leases: [Int: Int] = [:]
    func add(_ l: LeasedRelease) { leases[l.release.sequence] = l.attempt }
    func remove(_ l: LeasedRelease) { leases[l.release.sequence] = nil }
    var all: [(sequence: Int, attempt: Int)] { leases.map { ($0.key, $0.value) } }
}

actor WorkTally {
    private(set) var worked = 0
    private(set) var refused = 0
    func count(accepted: Bool) { if accepted { worked += 1 } else { refused += 1 } }
}

actor WroteFlag {
    private(set) var value = false
    func set() { value = true }
}
