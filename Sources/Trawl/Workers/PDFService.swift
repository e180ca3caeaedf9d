import Foundation
import TrawlDedup
import TrawlDocuments
import TrawlLedger
import TrawlOCR
import TrawlPDF

/// Why a non-PDF attachment has no extraction: the document is bad (damaged, encrypted,
/// unsupported, too large), or it harmed the worker reading it (timeout, memory, CPU, crash).
public enum ExtractionFailure: Error, Sendable {
    case document(DocumentError)
    case worker(PDFError)

    /// `stage/kind` as the record and the summary report it.
    public var itemError: ItemError {
        switch self {
        case .document(let e): return ItemError(stage: .attachment, kind: e.code.rawValue, message: e.message)
        case .worker(let e): return ItemError(stage: .attachment, kind: e.code.rawValue, message: e.message)
        }
    }
}

/// Where PDFs are extracted: in worker processes (the default) or in this process, with the
/// quarantine consulted before and updated after.
public struct PDFService: Sendable {
    public let settings: PDFWorkerSettings
    public let pool: PDFWorkerPool?
    public let ledger: (any LedgerStore)?
    /// OCR pages this run may still spend (shared by every document).
    public let ocrBudget: OCRBudget

    public init(settings: PDFWorkerSettings, pool: PDFWorkerPool?, ledger: (any LedgerStore)?) {
        self.settings = settings
        self.pool = pool
        self.ledger = ledger
        self.ocrBudget = OCRBudget(total: settings.ocr.maxPagesPerRun)
    }

    /// OCR runs: the mode is on and the language data was found at startup.
    public var ocrEnabled: Bool { settings.ocr.isOn && settings.tessdata != nil }

    /// Reserves this document's OCR pages, runs `body` with the allowance, and settles.
    private func withOCRAllowance<T>(if wanted: Bool = true, _ body: (Int) async -> (T, Int)) async -> T {
        let charged = wanted && ocrEnabled
        let allowance = charged ? await ocrBudget.reserve(upTo: settings.ocr.maxPagesPerDocument) : 0
        let (value, used) = await body(allowance)
        if charged { await ocrBudget.settle(reserved: allowance, used: used) }
        return value
    }

    /// Failures that mean "this input harms workers", as opposed to "this input is bad".
    static let quarantinable: Set<PDFError.Code> = [.timeout, .memory, .cpu, .crash]

    /// Extracts `data` (also at `path`, if known); `name` is its URL or path.
    public func extract(data: Data, path: String?, name: String, sha256: String) async -> Result<PDFExtraction, PDFError> {
        if let ledger, let q = try? await ledger.quarantined(sha256) {
            return .failure(PDFError(code: .quarantined,
                                     message: "\(name): quarantined since \(q.since) (\(q.reason): \(q.message)); clear with `trawl quarantine clear \(sha256)`"))
        }
        let result: Result<PDFExtraction, PDFError>
        if let pool {
            var file = path
            var temporary: URL?
            if file == nil {
                let t = FileManager.default.temporaryDirectory.appendingPathComponent("trawl-pdf-\(UUID().uuidString).pdf")
                try? data.write(to: t)
                temporary = t
                file = t.path
            }
            let path = file!
            result = await withOCRAllowance { allowance in await pool.extract(path: path, name: name, ocrAllowance: allowance) }
            if let temporary { try? FileManager.default.removeItem(at: temporary) }
        } else {
            let settings = settings, ocr = ocrEnabled ? settings.ocr : nil
            result = await withOCRAllowance { allowance in
                await BlockingPool.run {
                    PDFJobRun.extract(data, name: name, passwords: settings.passwords, limits: settings.limits,
                                      ocr: ocr, tessdata: settings.tessdata, allowance: allowance)
                }
            }
        }
        if case .failure(let e) = result, Self.quarantinable.contains(e.code), let ledger {
            try? await ledger.quarantine(.init(sha256: sha256, reason: e.code.rawValue, message: e.message, url: name,
                                         since: Date().formatted(.iso8601)))
        }
        return result
    }

    /// Extracts a non-PDF attachment (HWP, HWPX, Office, ODF, RTF, ZIP, an image with OCR) the same way: in a
    /// worker process unless isolation is off, with the quarantine before and after.
    public func extractDocument(data: Data, path: String?, name: String, sha256: String,
                                format: DocumentFormat) async -> Result<DocumentExtraction, ExtractionFailure> {
        if let ledger, let q = try? await ledger.quarantined(sha256) {
            return .failure(.worker(PDFError(code: .quarantined,
                                              message: "\(name): quarantined since \(q.since) (\(q.reason): \(q.message)); clear with `trawl quarantine clear \(sha256)`")))
        }
        let result: Result<DocumentExtraction, ExtractionFailure>
        if let pool {
            var file = path
            var temporary: URL?
            if file == nil {
                // Named by a random id, never by anything from the input.
                let t = FileManager.default.temporaryDirectory.appendingPathComponent("trawl-doc-\(UUID().uuidString)")
                try? data.write(to: t)
                temporary = t
                file = t.path
            }
            let path = file!
            result = await withOCRAllowance(if: format == .image) { allowance in
                await pool.extractDocument(path: path, name: name, format: format, ocrAllowance: format == .image ? allowance : 0)
            }
            if let temporary { try? FileManager.default.removeItem(at: temporary) }
        } else {
            var limits = settings.documentLimits
            limits.maxChars = settings.limits.maxChars
            let context = ExtractionContext(limits: limits, pdfLimits: settings.limits, passwords: settings.passwords)
            let ocr = ocrEnabled ? settings.ocr : nil, tessdata = settings.tessdata
            result = await withOCRAllowance(if: format == .image) { allowance in
                await BlockingPool.run {
                    let outcome = DocumentJob.extract(data, name: name, format: format, context: context,
                                                      ocr: ocr, tessdata: tessdata, allowance: format == .image ? allowance : 0)
                    return (outcome.result.mapError { ExtractionFailure.document($0) }, outcome.ocrPages)
                }
            }
        }
        if case .failure(.worker(let e)) = result, Self.quarantinable.contains(e.code), let ledger {
            try? await ledger.quarantine(.init(sha256: sha256, reason: e.code.rawValue, message: e.message, url: name,
                                         since: Date().formatted(.iso8601)))
        }
        return result
    }
}
