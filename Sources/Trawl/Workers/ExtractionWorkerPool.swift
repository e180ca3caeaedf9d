import Foundation
import TrawlConcurrency
import TrawlDocuments

/// A pool of long-lived `trawl extraction-worker` processes that read attachments of every
/// format, one document per worker at a time. A crash, hang or memory blow-up inside a reader
/// (poppler, the Hancom and Office readers, Tesseract) costs that one document: the worker is
/// replaced at once and the caller gets a typed failure (timeout, memory, cpu, crash).
public actor ExtractionWorkerPool {
    private let executable: URL
    private let settings: ExtractionSettings
    private let scratch: URL
    private var idle: [WorkerProcess] = []
    private var started = 0
    private var waiting: [CheckedContinuation<WorkerProcess?, Never>] = []
    private var nextJob = 0
    private var closed = false
    public private(set) var replaced = 0

    /// `executable` is the `trawl` binary (it serves as its own worker).
    public init(executable: URL = ExtractionWorkerPool.currentExecutable, settings: ExtractionSettings, scratch: URL) {
        self.executable = executable
        self.settings = settings
        self.scratch = scratch
    }

    /// The running binary, found through /proc so that a relative argv[0] does not matter.
    public static var currentExecutable: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    }

    /// Extracts the file at `path`, of `format`, in a worker; `name` (its URL) is used in
    /// messages. It may OCR up to `ocrAllowance` pages; `ocrPages` says how many it did (all
    /// of the allowance when the worker died).
    func extract(path: String, name: String, format: DocumentFormat,
                 ocrAllowance: Int = 0) async -> (result: Result<ExtractionJobResult, WorkerFailure>, ocrPages: Int) {
        guard let worker = await checkOut() else {
            return (.failure(WorkerFailure(.crash, "\(name): no extraction worker could be started")), 0)
        }
        nextJob += 1
        let limits = settings.limits(for: format)
        var job = ExtractionJob(id: nextJob, path: path, format: format, name: name, passwords: settings.passwords,
                                pdfLimits: settings.pdf, documentLimits: settings.documentLimits, cpuSeconds: limits.cpuSeconds,
                                memoryMB: limits.memoryMB > settings.memoryMB ? limits.memoryMB : nil)
        if (format == .pdf || format == .image), settings.ocr.isOn, let tessdata = settings.tessdata {
            job.ocr = settings.ocr
            job.tessdata = tessdata
            job.ocrAllowance = ocrAllowance
        }
        let ready = job
        let outcome = await BlockingPool.run { worker.run(ready, timeout: limits.timeoutSeconds) }
        switch outcome {
        case .result(let result):
            checkIn(worker, healthy: true)
            return (.success(result), result.ocrPages)
        case .failed(let failure):
            checkIn(worker, healthy: false)
            return (.failure(failure), job.ocr == nil ? 0 : ocrAllowance)
        }
    }

    /// Stops every worker (idle ones; busy ones finish their document first).
    public func shutdown() async {
        closed = true
        let workers = idle
        idle = []
        for w in waiting { w.resume(returning: nil) }
        waiting = []
        await BlockingPool.run { for w in workers { w.stop() } }
    }

    private func checkOut() async -> WorkerProcess? {
        if closed { return nil }
        if let w = idle.popLast() { return w }
        if started < settings.workers {
            started += 1
            if let w = spawn() { return w }
            started -= 1
            return nil
        }
        return await withCheckedContinuation { waiting.append($0) }
    }

    private func checkIn(_ worker: WorkerProcess, healthy: Bool) {
        var next: WorkerProcess? = worker
        if !healthy || worker.jobsDone >= settings.recycleAfter || worker.raisedCap || !worker.isRunning {
            if !healthy { replaced += 1 }
            // Reaping can block for up to two seconds; it must not hold up the next document.
            let old = worker
            Task.detached { await BlockingPool.run { old.stop() } }
            next = closed ? nil : spawn()
            if next == nil {
                started -= 1
                // No replacement: a waiter must not wait for a check-in that may never come;
                // it is told at once that no worker could be started.
                if !waiting.isEmpty { waiting.removeFirst().resume(returning: nil) }
            }
        }
        guard let w = next else { return }
        if !waiting.isEmpty { waiting.removeFirst().resume(returning: w) } else { idle.append(w) }
    }

    private func spawn() -> WorkerProcess? {
        try? FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let log = scratch.appendingPathComponent("extraction-worker-\(UUID().uuidString).log")
        return try? WorkerProcess(executable: executable, settings: settings, errorLog: log)
    }
}
