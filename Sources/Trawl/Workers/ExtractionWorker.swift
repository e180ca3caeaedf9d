import Foundation
import TrawlDocuments
import TrawlOCR
import TrawlPDF

/// The child side of the worker protocol (`trawl extraction-worker`): reads one JSON job per
/// line on stdin, extracts the file with its format's reader (poppler for PDFs), writes one
/// JSON result per line on stdout. It caps its own address space at start (a job whose
/// format is allowed more raises the soft cap under the hard one) and its CPU time per
/// document, so the kernel stops a runaway document; the parent enforces wall-clock time and notices any death. Before each
/// page it OCRs, it grants itself one page's CPU time and tells the parent (a progress line),
/// which grants one page's wall time: a document's limits grow with the pages it really
/// reads, never with the pages it might.
public enum ExtractionWorker {
    /// `memoryMB` is the cap documents run under; `hardMemoryMB` the most any format's
    /// override may raise it to.
    public static func run(memoryMB: Int, hardMemoryMB: Int? = nil) -> Int32 {
        acceptSignals()
        if memoryMB > 0 {
            let hard = max(memoryMB, hardMemoryMB ?? memoryMB)
            var limit = rlimit(rlim_cur: rlim_t(memoryMB) << 20, rlim_max: rlim_t(hard) << 20)
            setrlimit(Int32(RLIMIT_AS.rawValue), &limit)
        }
        let hooks = ProcessInfo.processInfo.environment["TRAWL_WORKER_TEST_HOOKS"] == "1"
        let decoder = JSONDecoder()
        let encoder = JSONEncoder()
        while let line = readLine(strippingNewline: true) {
            guard let job = try? decoder.decode(ExtractionJob.self, from: Data(line.utf8)) else { continue }
            capCPU(seconds: job.cpuSeconds)
            if let raised = job.memoryMB { capMemory(mb: raised) }
            let result = process(job, hooks: hooks)
            guard var data = try? encoder.encode(result) else { continue }
            data.append(0x0A)
            FileHandle.standardOutput.write(data)
        }
        return 0
    }

    static func process(_ job: ExtractionJob, hooks: Bool) -> ExtractionJobResult {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: job.path)) } catch {
            let message = "\(job.name): cannot read \(job.path)"
            return job.format == .pdf ? ExtractionJobResult(id: job.id, pdfError: PDFError(code: .damaged, message: message))
                : ExtractionJobResult(id: job.id, documentError: DocumentError(.damaged, message))
        }
        if hooks { TestHooks.trigger(data) }
        let pageStarts = job.ocr.map { ocr in
            { @Sendable (page: Int) in
                capCPU(seconds: OCRPageGrant.seconds(ocr))
                FileHandle.standardOutput.write(OCRPageGrant.line(job: job.id, page: page))
            }
        }
        if job.format != .pdf {
            var limits = job.documentLimits
            limits.maxChars = job.pdfLimits.maxChars
            let context = ExtractionContext(limits: limits, pdfLimits: job.pdfLimits, passwords: job.passwords)
            return DocumentJob.extract(data, name: job.name, format: job.format, context: context,
                                       ocr: job.ocr, tessdata: job.tessdata, allowance: job.ocrAllowance, pageStarts: pageStarts)
                .jobResult(id: job.id)
        }
        return PDFJobRun.answer(id: job.id, data, name: job.name, passwords: job.passwords, limits: job.pdfLimits,
                                ocr: job.ocr, tessdata: job.tessdata, allowance: job.ocrAllowance, pageStarts: pageStarts)
    }

    /// A process started from a Dispatch thread inherits its mask, which blocks nearly every
    /// signal (Foundation's `Process` does not reset it): the kernel's SIGXCPU would then stay
    /// pending forever and the CPU cap would never stop a runaway document.
    public static func acceptSignals() {
        var none = sigset_t()
        sigemptyset(&none)
        pthread_sigmask(SIG_SETMASK, &none, nil)
    }

    /// RLIMIT_CPU counts the whole process, so the soft limit is moved to "used so far +
    /// this document's allowance" before each document.
    static func capCPU(seconds: Int) {
        guard seconds > 0 else { return }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let used = Int(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + 1
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_CPU.rawValue), &limit)
        limit.rlim_cur = rlim_t(used + seconds)
        if limit.rlim_max != rlim_t.max && limit.rlim_cur > limit.rlim_max { limit.rlim_cur = limit.rlim_max }
        setrlimit(Int32(RLIMIT_CPU.rawValue), &limit)
    }

    /// Raises the address-space cap for one document whose format is allowed more (up to the
    /// hard limit set at start).
    static func capMemory(mb: Int) {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_AS.rawValue), &limit)
        limit.rlim_cur = min(rlim_t(mb) << 20, limit.rlim_max)
        setrlimit(Int32(RLIMIT_AS.rawValue), &limit)
    }

    /// Misbehaviour on demand, for the supervisor's tests only: enabled by the environment
    /// variable TRAWL_WORKER_TEST_HOOKS=1 and triggered by a file's first bytes.
    enum TestHooks {
        static func trigger(_ data: Data) {
            let head = String(decoding: data.prefix(32), as: UTF8.self)
            if head.hasPrefix("%PDF-TRAWL-TEST-CRASH") || head.hasPrefix("{\\rtf-TRAWL-TEST-CRASH") { signal(SIGSEGV, SIG_DFL); raise(SIGSEGV) }
            if head.hasPrefix("%PDF-TRAWL-TEST-HANG") { while true { sleep(60) } }
            if head.hasPrefix("%PDF-TRAWL-TEST-SPIN") { var x: UInt64 = 1; while true { x = x &* 6364136223846793005 &+ 1; if x == 0 { print(x) } } }
            if head.hasPrefix("%PDF-TRAWL-TEST-ALLOC") {
                // Reserve address space without touching it: the cap is reached at once and
                // costs no CPU, so the CPU cap cannot fire first on a loaded machine.
                var hoard: [[UInt8]] = []
                while true { hoard.append([UInt8](unsafeUninitializedCapacity: 256 << 20) { _, count in count = 0 }) }
            }
        }
    }
}
