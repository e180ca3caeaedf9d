import Foundation

/// One child `trawl extraction-worker` process and its pipes. It is used by one job at a time (the
/// pool checks it out), which is the invariant behind `@unchecked Sendable`: the handles are
/// never touched by two threads at once.
final class WorkerProcess: @unchecked Sendable {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private let errorLog: URL
    private var buffer = Data()
    private(set) var jobsDone = 0
    /// A job raised this worker's memory cap above the pool's: it is replaced after the job.
    private(set) var raisedCap = false

    init(executable: URL, settings: ExtractionSettings, errorLog: URL) throws {
        self.errorLog = errorLog
        _ = FileManager.default.createFile(atPath: errorLog.path, contents: nil)
        process.executableURL = executable
        process.arguments = ["extraction-worker", "--memory-mb", String(settings.memoryMB),
                             "--hard-memory-mb", String(settings.largestMemoryMB)]
        // A crashing worker should die at once, not spend a second printing a backtrace.
        var environment = ProcessInfo.processInfo.environment
        environment["SWIFT_BACKTRACE"] = "enable=no"
        // Tesseract's OpenMP threads fight over the cores the other workers use: recognition
        // is parallel across workers, not inside one.
        environment["OMP_THREAD_LIMIT"] = "1"
        process.environment = environment
        process.standardInput = input
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: errorLog)
        try process.run()
    }

    var isRunning: Bool { process.isRunning }

    enum Outcome {
        case result(ExtractionJobResult)
        /// The worker died or was killed; it must be replaced.
        case failed(WorkerFailure)
    }

    /// Sends a job and waits for its answer until `timeout`, extended by one OCR page's time
    /// for each page the worker says it starts (at most the job's page allowance). Blocks the
    /// calling thread.
    func run(_ job: ExtractionJob, timeout: Double) -> Outcome {
        jobsDone += 1
        if job.memoryMB != nil { raisedCap = true }
        guard var line = try? JSONEncoder().encode(job) else {
            return .failed(WorkerFailure(.crash, "\(job.name): cannot encode the job"))
        }
        line.append(0x0A)
        do { try input.fileHandleForWriting.write(contentsOf: line) } catch {
            return .failed(died(job: job, timedOut: false))
        }
        var deadline = Date().addingTimeInterval(timeout)
        var ocrPages = 0, ocrPage = 0
        let fd = output.fileHandleForReading.fileDescriptor
        // Only bytes that arrived since the last look are searched for the end of the line:
        // a long document's answer comes in many pipe-sized chunks.
        var searchFrom = buffer.startIndex
        while true {
            if let newline = buffer[searchFrom...].firstIndex(of: 0x0A) {
                let message = buffer[buffer.startIndex..<newline]
                if let progress = OCRPageGrant.parse(message) {
                    buffer = Data(buffer[buffer.index(after: newline)...])
                    searchFrom = buffer.startIndex
                    if progress.job == job.id, let ocr = job.ocr, ocrPages < job.ocrAllowance {
                        ocrPages += 1
                        ocrPage = progress.page
                        deadline = Date().addingTimeInterval(Double(OCRPageGrant.seconds(ocr)))
                    }
                    continue
                }
                let result = try? JSONDecoder().decode(ExtractionJobResult.self, from: message)
                buffer = Data(buffer[buffer.index(after: newline)...])
                searchFrom = buffer.startIndex
                if let result, result.id == job.id { return .result(result) }
                continue
            }
            searchFrom = buffer.endIndex
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 {
                kill(process.processIdentifier, SIGKILL)
                return .failed(died(job: job, timedOut: true, timeout: timeout, ocrPage: ocrPage))
            }
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, Int32(min(remaining * 1000, 1000)) + 1)
            if ready > 0 {
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { return .failed(died(job: job, timedOut: false)) }  // EOF: the worker is gone
                buffer.append(chunk)
            } else if ready < 0 && errno != EINTR {
                kill(process.processIdentifier, SIGKILL)
                return .failed(died(job: job, timedOut: false))
            }
        }
    }

    /// Reaps the worker and says why it stopped.
    private func died(job: ExtractionJob, timedOut: Bool, timeout: Double = 0, ocrPage: Int = 0) -> WorkerFailure {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        let log = (try? String(contentsOf: errorLog, encoding: .utf8)).map { String($0.suffix(4000)).lowercased() } ?? ""
        let status = process.terminationStatus
        let signalled = process.terminationReason == .uncaughtSignal
        if timedOut, ocrPage > 0, let ocr = job.ocr {
            return WorkerFailure(.timeout, "\(job.name): OCR of page \(ocrPage) took longer than \(OCRPageGrant.seconds(ocr)) s; the worker was killed")
        }
        if timedOut {
            return WorkerFailure(.timeout, "\(job.name): extraction took longer than \(Int(timeout)) s; the worker was killed")
        }
        if signalled && status == SIGXCPU {
            return WorkerFailure(.cpu, "\(job.name): used more than \(job.cpuSeconds) s of CPU time; the worker was stopped (SIGXCPU)")
        }
        if log.contains("alloc") || log.contains("out of memory") || log.contains("memory exhausted") || log.contains("bad_alloc") {
            return WorkerFailure(.memory, "\(job.name): the worker ran out of its memory cap (\(signalled ? "signal \(status)" : "exit \(status)"))")
        }
        let how = signalled ? "signal \(status)\(Self.signalName(status).map { " (\($0))" } ?? "")" : "exit status \(status)"
        return WorkerFailure(.crash, "\(job.name): the extraction worker died with \(how)")
    }

    func stop() {
        try? input.fileHandleForWriting.close()
        if process.isRunning {
            // Closing stdin ends the worker's loop; kill only if it does not exit promptly.
            let deadline = Date().addingTimeInterval(2)
            while process.isRunning && Date() < deadline { usleep(10_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: errorLog)
    }

    static func signalName(_ signal: Int32) -> String? {
        [SIGSEGV: "SIGSEGV", SIGABRT: "SIGABRT", SIGBUS: "SIGBUS", SIGILL: "SIGILL", SIGFPE: "SIGFPE",
         SIGKILL: "SIGKILL", SIGTRAP: "SIGTRAP", SIGXCPU: "SIGXCPU", SIGTERM: "SIGTERM"][signal]
    }
}
