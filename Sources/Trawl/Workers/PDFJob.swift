import Foundation
import TrawlDocuments
import TrawlOCR
import TrawlPDF

/// One document for a worker process: the file to read, its sniffed format (which picks the
/// extractor) and the limits to apply.
struct PDFJob: Codable, Sendable {
    var id: Int
    var path: String
    var format: DocumentFormat = .pdf
    /// The name errors use (the attachment's URL).
    var name: String
    var passwords: [String]
    var limits: PDFLimits
    /// CPU seconds this document may use before the kernel stops the worker (SIGXCPU).
    var cpuSeconds: Int
    var documentLimits = DocumentLimits()
    /// OCR settings and the tessdata folder resolved at startup (nil: OCR off), and the
    /// pages this document may OCR (the per-document limit and the run's budget).
    var ocr: OCRSettings?
    var tessdata: String?
    var ocrAllowance = 0
}

/// A worker's answer: an extraction or a typed error (damaged, encrypted, not a PDF…). PDF
/// jobs answer in `extraction`/`error`, other formats in `document`/`documentError`.
struct PDFJobResult: Codable, Sendable {
    var id: Int
    var extraction: PDFExtraction?
    var error: PDFError?
    var document: DocumentExtraction?
    var documentError: DocumentError?
    /// Pages (or image frames) OCR recognised: what the run's page budget is charged.
    var ocrPages = 0
}

/// Limits and pool settings for PDF extraction in worker processes (`pipeline.json` `pdf`).
public struct PDFWorkerSettings: Sendable, Equatable {
    /// `process` (the default) isolates poppler in worker processes; `none` runs it in the
    /// main process (faster to debug, but one crash ends the run).
    public var isolated = true
    public var workers = 2
    public var timeoutSeconds = 30.0
    public var memoryMB = 2048
    public var cpuSeconds = 60
    /// Workers are replaced after this many documents, to return fragmented memory.
    public var recycleAfter = 200
    public var limits = PDFLimits()
    public var passwords: [String] = []
    /// Caps on decompression, entries and records for non-PDF formats.
    public var documentLimits = DocumentLimits()
    /// Scanned pages and image attachments (`pipeline.json` `ocr`), and where the language
    /// data is (resolved at startup by `OCRSettings.resolveTessData`).
    public var ocr = OCRSettings()
    public var tessdata: String?

    public init() {}

}

/// The time one OCR page adds to a document's limits, and the progress line that asks the
/// parent for it. Granted when a page starts, so a document that hangs before OCR (or has
/// nothing to OCR) keeps the plain limits however large its page allowance.
enum OCRPageGrant {
    /// Tesseract stops itself at `page_timeout_seconds`; the slack (half as much again, and
    /// 15 s) covers drawing the page and the layout analysis, which cannot be interrupted,
    /// on a busy machine. The kill is the backstop, not the page limit.
    static func seconds(_ ocr: OCRSettings) -> Int { ocr.pageTimeoutSeconds * 3 / 2 + 15 }

    static let prefix = Data(#"{"ocr_page_starts":"#.utf8)

    static func line(job: Int, page: Int) -> Data { Data(#"{"ocr_page_starts":\#(page),"id":\#(job)}"#.utf8 + [0x0A]) }

    /// The job id and page of a progress line, nil for any other line.
    static func parse(_ line: Data) -> (job: Int, page: Int)? {
        guard line.starts(with: prefix), let id = line.range(of: Data(#","id":"#.utf8)) else { return nil }
        func number(_ from: Data.Index) -> Int? {
            Int(String(decoding: line[from...].prefix { $0 >= 0x30 && $0 <= 0x39 }, as: UTF8.self))
        }
        guard let page = number(line.startIndex + prefix.count), let job = number(id.upperBound) else { return nil }
        return (job, page)
    }
}
