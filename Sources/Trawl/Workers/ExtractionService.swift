import Foundation
import TrawlConcurrency
import TrawlDedup
import TrawlDocuments
import TrawlLedger
import TrawlOCR
import TrawlPDF

/// Why a non-PDF attachment has no extraction: the document is bad (damaged, encrypted,
/// unsupported, too large), or it harmed the worker reading it (timeout, memory, CPU, crash).
public enum ExtractionFailure: Error, Sendable {
    case document(DocumentError)
    case worker(WorkerFailure)

    /// `stage/kind` as the record and the summary report it.
    public var itemError: ItemError {
        switch self {
        case .document(let e): return ItemError(stage: .attachment, kind: e.code.rawValue, message: e.message)
        case .worker(let e): return ItemError(stage: .attachment, kind: e.code.rawValue, message: e.message)
        }
    }
}

/// Where attachments are extracted: in worker processes (the default) or in this process,
/// with the quarantine consulted before and updated after, and the run's OCR page budget
/// charged for what each document recognised.
public struct ExtractionService: Sendable {
    public let settings: ExtractionSettings
    public let pool: ExtractionWorkerPool?
    public let ledger: (any LedgerStore)?
    /// OCR pages this run may still spend (shared by every document).
    public let ocrBudget: OCRBudget

    public init(settings: ExtractionSettings, pool: ExtractionWorkerPool?, ledger: (any LedgerStore)?) {
        self.settings = settings
        self.pool = pool
        self.ledger = ledger
        self.ocrBudget = OCRBudget(total: settings.ocr.maxPagesPerRun)
    }

    /// OCR runs: the mode is on and the language data was found at startup.
    public var ocrEnabled: Bool { settings.ocr.isOn && settings.tessdata != nil }

    /// Extracts a PDF (`data`, also at `path` if known); `name` is its URL or path.
    public func extractPDF(data: Data, path: String?, name: String, sha256: String) async -> Result<PDFExtraction, PDFError> {
        let settings = settings, ocr = ocrEnabled ? settings.ocr : nil
        let result = await run(data: data, path: path, name: name, sha256: sha256, format: .pdf) { allowance in
            PDFJobRun.answer(id: 0, data, name: name, passwords: settings.passwords, limits: settings.pdf,
                             ocr: ocr, tessdata: settings.tessdata, allowance: allowance)
        }
        switch result {
        case .success(let answer):
            if let x = answer.pdf { return .success(x) }
            return .failure(answer.pdfError ?? PDFError(code: .damaged, message: "\(name): the worker returned nothing"))
        case .failure(let f):
            // A worker's death is reported as the PDF stage's (`pdf/timeout`…), as it always was.
            return .failure(PDFError(code: PDFError.Code(rawValue: f.code.rawValue) ?? .crash, message: f.message))
        }
    }

    /// Extracts any other attachment (HWP, HWPX, Office, ODF, RTF, ZIP, an image with OCR).
    public func extractDocument(data: Data, path: String?, name: String, sha256: String,
                                format: DocumentFormat) async -> Result<DocumentExtraction, ExtractionFailure> {
        var limits = settings.documentLimits
        limits.maxChars = settings.pdf.maxChars
        let context = ExtractionContext(limits: limits, pdfLimits: settings.pdf, passwords: settings.passwords)
        let ocr = ocrEnabled ? settings.ocr : nil, tessdata = settings.tessdata
        let result = await run(data: data, path: path, name: name, sha256: sha256, format: format) { allowance in
            DocumentJob.extract(data, name: name, format: format, context: context,
                                ocr: ocr, tessdata: tessdata, allowance: format == .image ? allowance : 0).jobResult(id: 0)
        }
        switch result {
        case .success(let answer):
            if let x = answer.document { return .success(x) }
            return .failure(.document(answer.documentError ?? DocumentError(.damaged, "\(name): the worker returned nothing")))
        case .failure(let f):
            return .failure(.worker(f))
        }
    }

    /// The path every format takes: the quarantine, the OCR allowance, a worker (or this
    /// process, running `inProcess`), and the quarantine again when the input harmed a worker.
    private func run(data: Data, path: String?, name: String, sha256: String, format: DocumentFormat,
                     inProcess: @escaping @Sendable (Int) -> ExtractionJobResult) async -> Result<ExtractionJobResult, WorkerFailure> {
        if let ledger, let q = try? await ledger.quarantined(sha256) {
            return .failure(WorkerFailure(.quarantined, "\(name): quarantined since \(q.since) (\(q.reason): \(q.message)); clear with `trawl quarantine clear \(sha256)`"))
        }
        // Only PDF pages and images are read by OCR; only they are charged to the budget.
        let charged = (format == .pdf || format == .image) && ocrEnabled
        let allowance = charged ? await ocrBudget.reserve(upTo: settings.ocr.maxPagesPerDocument) : 0
        let result: Result<ExtractionJobResult, WorkerFailure>
        let used: Int
        if let pool {
            var file = path
            var temporary: URL?
            if file == nil {
                // Named by a random id, never by anything from the input.
                let t = FileManager.default.temporaryDirectory.appendingPathComponent("trawl-extract-\(UUID().uuidString)")
                try? data.write(to: t)
                temporary = t
                file = t.path
            }
            (result, used) = await pool.extract(path: file!, name: name, format: format, ocrAllowance: allowance)
            if let temporary { try? FileManager.default.removeItem(at: temporary) }
        } else {
            let answer = await BlockingPool.run { inProcess(allowance) }
            (result, used) = (.success(answer), answer.ocrPages)
        }
        if charged { await ocrBudget.settle(reserved: allowance, used: used) }
        if case .failure(let f) = result, f.quarantinable, let ledger {
            try? await ledger.quarantine(.init(sha256: sha256, reason: f.code.rawValue, message: f.message, url: name,
                                               since: Date().formatted(.iso8601)))
        }
        return result
    }
}
