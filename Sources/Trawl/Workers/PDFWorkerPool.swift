import Foundation
import TrawlDocuments
import TrawlPDF

/// A pool of long-lived `trawl pdf-worker` processes, one document per worker at a time. A
/// crash, hang or memory blow-up inside poppler costs that one document: the worker is
/// replaced at once and the caller gets a typed error (timeout, memory, cpu, crash).
public actor PDFWorkerPool {
    private let executable: URL
    private let settings: PDFWorkerSettings
    private let scratch: URL
    private var idle: [WorkerProcess] = []
    private var started = 0
    private var waiting: [CheckedContinuation<WorkerProcess?, Never>] = []
    private var nextJob = 0
    private var closed = false
    public private(set) var replaced = 0

    /// `executable` is the `trawl` binary (it serves as its own worker).
    public init(executable: URL = PDFWorkerPool.currentExecutable, settings: PDFWorkerSettings, scratch: URL) {
        self.executable = executable
        self.settings = settings
        self.scratch = scratch
    }

    /// The running binary, found through /proc so that a relative argv[0] does not matter.
    public static var currentExecutable: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    }

    /// Extracts the PDF at `path` in a worker; `name` (its URL) is used in messages. It may
    /// OCR up to `ocrAllowance` pages; `ocrPages` says how many it did (all of the allowance
    /// when the worker died).
    public func extract(path: String, name: String, ocrAllowance: Int = 0) async -> (result: Result<PDFExtraction, PDFError>, ocrPages: Int) {
        guard let worker = await checkOut() else {
            return (.failure(PDFError(code: .crash, message: "\(name): no PDF worker could be started")), 0)
        }
        nextJob += 1
        var job = PDFJob(id: nextJob, path: path, name: name, passwords: settings.passwords,
                         limits: settings.limits, cpuSeconds: settings.cpuSeconds)
        addOCR(to: &job, allowance: ocrAllowance)
        let timeout = settings.timeoutSeconds
        let ready = job
        let outcome = await BlockingPool.run { worker.run(ready, timeout: timeout) }
        switch outcome {
        case .result(let result):
            checkIn(worker, healthy: true)
            if let x = result.extraction { return (.success(x), result.ocrPages) }
            return (.failure(result.error ?? PDFError(code: .damaged, message: "\(name): the worker returned nothing")), result.ocrPages)
        case .failed(let error):
            checkIn(worker, healthy: false)
            return (.failure(error), ocrAllowance)
        }
    }

    private func addOCR(to job: inout PDFJob, allowance: Int) {
        guard settings.ocr.isOn, let tessdata = settings.tessdata else { return }
        job.ocr = settings.ocr
        job.tessdata = tessdata
        job.ocrAllowance = allowance
    }

    /// Extracts a non-PDF attachment at `path` in a worker. A worker's death (timeout,
    /// memory, CPU, crash) comes back as a `PDFError` with that code, like a PDF's.
    public func extractDocument(path: String, name: String, format: DocumentFormat,
                                ocrAllowance: Int = 0) async -> (result: Result<DocumentExtraction, ExtractionFailure>, ocrPages: Int) {
        guard let worker = await checkOut() else {
            return (.failure(.worker(PDFError(code: .crash, message: "\(name): no extraction worker could be started"))), 0)
        }
        nextJob += 1
        var job = PDFJob(id: nextJob, path: path, format: format, name: name, passwords: settings.passwords,
                         limits: settings.limits, cpuSeconds: settings.cpuSeconds, documentLimits: settings.documentLimits)
        if format == .image { addOCR(to: &job, allowance: ocrAllowance) }
        let timeout = settings.timeoutSeconds
        let ready = job
        let outcome = await BlockingPool.run { worker.run(ready, timeout: timeout) }
        switch outcome {
        case .result(let result):
            checkIn(worker, healthy: true)
            if let x = result.document { return (.success(x), result.ocrPages) }
            return (.failure(.document(result.documentError ?? DocumentError(.damaged, "\(name): the worker returned nothing"))), result.ocrPages)
        case .failed(let error):
            checkIn(worker, healthy: false)
            return (.failure(.worker(error)), format == .image ? ocrAllowance : 0)
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
        if !healthy || worker.jobsDone >= settings.recycleAfter || !worker.isRunning {
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
        let log = scratch.appendingPathComponent("pdf-worker-\(UUID().uuidString).log")
        return try? WorkerProcess(executable: executable, settings: settings, errorLog: log)
    }
}
