import ArgumentParser
import Foundation
import Logging
import Trawl
import TrawlOCR
import TrawlPostgres

@main
struct TrawlCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trawl",
        abstract: "Turn web release archives into clean, deduplicated JSON records.",
        discussion: """
        Trawl scrapes release pages with libxml2, extracts the files attached to them (PDF with \
        Poppler; HWP, HWPX, DOCX, XLSX, PPTX, ODF, RTF and ZIP bundles), normalises text, \
        metadata and dates, and writes one JSON record per release.

        Exit codes: 0 success (per-item errors are reported in the run summary, not fatal); \
        2 invalid configuration or arguments; 3 the output cannot be written; 4 another run \
        holds the output directory; 128+N stopped by signal N (SIGINT 130, SIGTERM 143).
        """,
        subcommands: [Run.self, Publish.self, Search.self, ServeCommand.self, Status.self, Export.self, Extract.self, Validate.self, Explain.self, Quarantine.self, Bench.self, ExtractionWorkerCommand.self])

    static func main() async {
        // Signals blocked by whoever started us (a Dispatch thread's mask is inherited) would
        // make SIGINT/SIGTERM and the workers' SIGXCPU wait forever.
        ExtractionWorker.acceptSignals()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand { try await asyncCommand.run() } else { try command.run() }
        } catch {
            exit(withError: error)
        }
    }
}

/// Tesseract's OpenMP threads fight over the cores that the other extraction workers use (a
/// page took 12.8 s with 4.2 s of system time instead of 1.5–7.7 s): recognition is made
/// parallel across workers, never inside one. libgomp reads `OMP_THREAD_LIMIT` when it is
/// loaded, before `main`, so a process that will run Tesseract itself and was started without
/// it sets it and starts itself again. Only such a process: the restart is a second start-up
/// of the binary (about 30 ms), and worker processes are given the variable by their parent.
enum OpenMPThreads {
    /// Called by a command that recognises text in its own process, before any other effect.
    static func limitToOne() {
        guard getenv("OMP_THREAD_LIMIT") == nil else { return }
        setenv("OMP_THREAD_LIMIT", "1", 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        // Not replaced (no /proc): recognition still works, only with OpenMP's own threads.
    }
}

struct LoggingOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Log every item (debug level).")
    var verbose = false

    @Flag(name: .shortAndLong, help: "Log only errors.")
    var quiet = false

    /// On a terminal, log lines go through the status line (they never run into the live
    /// progress line); elsewhere, swift-log's plain stderr handler.
    func bootstrap() -> Logger {
        let level: Logger.Level = verbose ? .debug : (quiet ? .error : .info)
        let terminal = isatty(STDERR_FILENO) == 1
        LoggingSystem.bootstrap { label in
            if terminal { return TerminalLogHandler(label: label, logLevel: level) }
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return Logger(label: "trawl")
    }

    /// Whether `run` and `publish` show a live progress line.
    var showsProgress: Bool { isatty(STDERR_FILENO) == 1 && !quiet }
}

enum ExitCodes {
    static let badConfig = ExitCode(2)
    static let output = ExitCode(3)
    /// Another run holds the output directory's lock.
    static let locked = ExitCode(4)
    /// The coordinator's database cannot be reached or prepared.
    static let coordinator = ExitCode(5)
    /// A sink could not be brought up to date by `trawl publish`.
    static let sink = ExitCode(6)
}

/// Turns signals into a callback (on a Dispatch queue, not in a signal handler) and
/// remembers the first one received.
final class SignalCatcher: @unchecked Sendable {
    // `sources` is written once in init; `first` is only touched on `queue`.
    private let queue = DispatchQueue(label: "trawl.signals")
    private var sources: [DispatchSourceSignal] = []
    private var first: Int32?

    init(signals: [Int32], handler: @escaping @Sendable (Int32) -> Void) {
        for sig in signals {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: queue)
            source.setEventHandler { [unowned self] in
                if self.first == nil { self.first = sig }
                handler(sig)
            }
            source.resume()
            sources.append(source)
        }
    }

    var received: Int32? { queue.sync { first } }

    deinit { for s in sources { s.cancel() } }
}

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ingest the archives a pipeline config names and write records.",
        discussion: """
        Reads CONFIG (default ./pipeline.json), crawls each source's listing pages to its \
        release pages, scrapes them, extracts their attachments once each, and writes \
        OUTPUT/records/<id>.json (one per release, written atomically) and \
        OUTPUT/runs/<run-id>.json (counts, errors by kind, timings). \
        With --coordinator postgres://…, every process started with the same sources shares \
        one harvest: they lease releases from the database, one of them writes, and that one \
        exports records and change feeds into OUTPUT when the harvest is finished.
        """)

    @Argument(help: "The pipeline configuration file.")
    var config = "pipeline.json"

    @OptionGroup var logging: LoggingOptions
    @OptionGroup var coordinator: CoordinatorOption

    func run() async throws {
        Allocator.returnLargeBuffersOnFree()
        let logger = logging.bootstrap()
        let loaded: PipelineConfig
        do {
            loaded = try ConfigLoader().load(URL(fileURLWithPath: config))
        } catch {
            FileHandle.standardError.write(Data("trawl: invalid configuration\n\(error)\n".utf8))
            throw ExitCodes.badConfig
        }
        if !loaded.extraction.isolated, loaded.extraction.ocr.isOn { OpenMPThreads.limitToOne() }
        for warning in loaded.warnings { logger.warning("\(warning)") }
        // A live progress line on a terminal; plain log lines when stderr is a file or pipe.
        var progress: (@Sendable (RunSummary.Counts, Double) -> Void)?
        let showsProgress = logging.showsProgress
        if showsProgress {
            progress = { @Sendable (counts: RunSummary.Counts, elapsed: Double) in
                StatusLine.shared.show(SummaryText.progress(counts, elapsed: elapsed))
            }
        }
        let pipeline = Pipeline(config: loaded, configPath: config, logger: logger, progress: progress)
        // With a coordinator, this process joins the harvest every process of the same
        // sources shares; without one, the run is embedded (SQLite ledger, files).
        let shared = coordinator.url == nil ? nil : try await coordinator.connect(logger: logger)
        let run = Task {
            if let shared { return try await pipeline.run(coordinator: shared) }
            return try await pipeline.run()
        }
        // SIGINT/SIGTERM stop the run gracefully: no new items are taken, items in flight
        // finish, every written file is whole, and the summary says the run was interrupted.
        let stop = SignalCatcher(signals: [SIGINT, SIGTERM]) { signal in
            logger.warning("received signal \(signal): finishing items in flight, then stopping")
            run.cancel()
        }
        defer { withExtendedLifetime(stop) {} }
        do {
            let summary = try await run.value
            StatusLine.shared.clear()
            print(SummaryText.render(summary))
            // Publishing follows a run that wrote the output (not a stopped one, not a process
            // of a shared harvest that left the writing to another).
            if stop.received == nil, summary.shared?.exported ?? true, !loaded.sinks.isEmpty {
                // Every publisher holds the publish lock: a `trawl publish` in progress (a
                // replay from the start, say) finishes first, then this run's feed follows.
                do {
                    let lock = try await RunLock.waiting(output: OutputDirectory(root: loaded.output), file: "publish.lock",
                                                         what: "publish", limit: .seconds(600))
                    let statuses = await SinkPublishing(config: loaded, logger: logger, showsProgress: showsProgress)
                        .publish(runID: summary.runID)
                    withExtendedLifetime(lock) {}
                    print(SinkPublishing.render(statuses))
                } catch {
                    logger.error("sinks not published: \(error); the next run or `trawl publish` catches up")
                }
            }
            if let signal = stop.received { throw ExitCode(128 + signal) }
        } catch let error as OutputError {
            FileHandle.standardError.write(Data("trawl: cannot write output: \(error)\n".utf8))
            throw ExitCodes.output
        } catch let error as RunLock.Held {
            FileHandle.standardError.write(Data("trawl: \(error)\n".utf8))
            throw ExitCodes.locked
        } catch let error as CoordinatorError {
            FileHandle.standardError.write(Data("trawl: \(error)\n".utf8))
            throw ExitCodes.coordinator
        }
        await shared?.shutdown()
    }
}

struct Extract: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Extract HTML pages or attachments of any format to JSON on stdout, one line per file, in input order.",
        discussion: """
        For debugging rules, scripting and benchmarks. HTML files are scraped with the \
        fallback rules (og:title/<title>, <main>/<article>, links that look like files); \
        other files are sniffed by their bytes and extracted (PDF, HWP, HWPX, Office, ODF, RTF, \
        ZIP) in a pool of worker processes, so a file that crashes or hangs its reader costs \
        only its own line. \
        A FILE that is a directory stands for the files in it (recursively, sorted). A file \
        that cannot be read gives a line with an "error" object; the others still print.
        """)

    @Argument(help: "HTML pages or attachments (PDF, HWP, HWPX, DOCX, XLSX, PPTX, ODT, ODS, ODP, RTF, ZIP), or directories of them.")
    var files: [String]

    @Option(help: "The URL a single file was served from (resolves links and ids).")
    var url: String?

    @Option(help: "Extraction worker processes (default: the number of cores).")
    var workers: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Seconds a file may take before its worker is killed.")
    var timeout: Int = 30

    @Option(name: .customLong("memory-mb"), help: "Address-space cap of an extraction worker, in MiB.")
    var memoryMB: Int = 2048

    @Option(name: .customLong("cpu-seconds"), help: "CPU seconds a file may use before its worker is stopped.")
    var cpuSeconds: Int = 60

    @Option(help: "`process` isolates every reader in worker processes; `none` runs them in this process.")
    var isolation: String = "process"

    @Option(help: "OCR: `off`, `auto` (pages without a good text layer, and images) or `always` (every page).")
    var ocr: String = "auto"

    @Option(name: .customLong("ocr-languages"), help: "Tesseract languages, comma-separated.")
    var ocrLanguages: String = "kor,eng"

    @Option(help: "Resolution OCR draws PDF pages at.")
    var dpi: Int = 300

    @Option(name: .customLong("ocr-max-pages"), help: "Pages OCRed per document.")
    var ocrMaxPages: Int = 50

    @Option(name: .customLong("page-timeout"), help: "Seconds OCR may spend on one page.")
    var pageTimeout: Int = 60

    func validate() throws {
        if OCRSettings.Mode(rawValue: ocr) == nil { throw ValidationError("--ocr must be 'off', 'auto' or 'always', got '\(ocr)'") }
        if !(50...1200).contains(dpi) { throw ValidationError("--dpi must be between 50 and 1200") }
        if files.isEmpty { throw ValidationError("give at least one FILE") }
        if url != nil && files.count > 1 { throw ValidationError("--url applies to a single FILE; got \(files.count) files") }
        if let url, URL(string: url)?.scheme == nil { throw ValidationError("--url must be an absolute URL, got '\(url)'") }
        if !["process", "none"].contains(isolation) { throw ValidationError("--isolation must be 'process' or 'none', got '\(isolation)'") }
        if workers < 1 { throw ValidationError("--workers must be at least 1") }
    }

    func run() async throws {
        if isolation == "none", OCRSettings.Mode(rawValue: ocr) != .off { OpenMPThreads.limitToOne() }
        Allocator.returnLargeBuffersOnFree()
        var settings = ExtractionSettings()
        settings.isolated = isolation == "process"
        settings.workers = workers
        settings.timeoutSeconds = Double(timeout)
        settings.memoryMB = memoryMB
        settings.cpuSeconds = cpuSeconds
        settings.ocr.mode = OCRSettings.Mode(rawValue: ocr) ?? .auto
        settings.ocr.languages = ocrLanguages.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        settings.ocr.dpi = dpi
        settings.ocr.maxPagesPerDocument = ocrMaxPages
        settings.ocr.maxPagesPerRun = nil
        settings.ocr.pageTimeoutSeconds = pageTimeout
        if settings.ocr.isOn {
            do { settings.tessdata = try TessData.locate(languages: settings.ocr.languages, configured: nil) } catch {
                throw ValidationError("\(error)")
            }
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("trawl-extract-\(getpid())")
        let pool = settings.isolated ? ExtractionWorkerPool(settings: settings, scratch: scratch) : nil
        let extractor = FileExtractor(extraction: ExtractionService(settings: settings, pool: pool, ledger: nil))
        let inputs = FileExtractor.expand(files)
        let address = url.flatMap(URL.init(string:))
        // A window of files in flight; lines are printed in input order as they complete.
        await withTaskGroup(of: (Int, String).self) { group in
            var next = 0, printed = 0
            var done: [Int: String] = [:]
            let window = max(2, workers * 2)
            func launch() {
                guard next < inputs.count else { return }
                let (index, path) = (next, inputs[next])
                next += 1
                group.addTask { (index, FileExtractor.jsonLine(await extractor.extract(path: path, url: address))) }
            }
            for _ in 0..<window { launch() }
            while let (index, line) = await group.next() {
                done[index] = line
                while let ready = done.removeValue(forKey: printed) { print(ready); printed += 1 }
                launch()
            }
        }
        if let pool { await pool.shutdown() }
        try? FileManager.default.removeItem(at: scratch)
    }
}

/// The worker side of extraction isolation (every format); started by `trawl run` and
/// `trawl extract`.
struct ExtractionWorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "extraction-worker", shouldDisplay: false)

    @Option(name: .customLong("memory-mb")) var memoryMB: Int = 2048
    /// The most a format's override may raise a document's cap to.
    @Option(name: .customLong("hard-memory-mb")) var hardMemoryMB: Int?

    func run() throws {
        OpenMPThreads.limitToOne()
        throw ExitCode(ExtractionWorker.run(memoryMB: memoryMB, hardMemoryMB: hardMemoryMB))
    }
}

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a pipeline config; errors name the JSON path and the reason.")

    @Argument(help: "The pipeline configuration file.")
    var config = "pipeline.json"

    func run() throws {
        do {
            let loaded = try ConfigLoader().load(URL(fileURLWithPath: config))
            for warning in loaded.warnings { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
            print("\(config): ok (\(loaded.sources.count) source\(loaded.sources.count == 1 ? "" : "s"), output \(loaded.output.path))")
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCodes.badConfig
        }
    }
}
