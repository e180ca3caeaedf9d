import Foundation
import TrawlDocuments
import TrawlOCR
import TrawlPDF

/// One document for a worker process: the file to read, its sniffed format (which picks the
/// extractor) and the limits to apply.
struct ExtractionJob: Codable, Sendable {
    var id: Int
    var path: String
    var format: DocumentFormat
    /// The name errors use (the attachment's URL).
    var name: String
    var passwords: [String]
    var pdfLimits: PDFLimits
    var documentLimits: DocumentLimits
    /// CPU seconds this document may use before the kernel stops the worker (SIGXCPU).
    var cpuSeconds: Int
    /// The address-space cap for this document, when its format's override raises it above
    /// the worker's own (the worker is replaced afterwards, so the raise never carries over).
    var memoryMB: Int?
    /// OCR settings and the tessdata folder resolved at startup (nil: OCR off), and the
    /// pages this document may OCR (the per-document limit and the run's budget).
    var ocr: OCRSettings?
    var tessdata: String?
    var ocrAllowance = 0
}

/// A worker's answer: a PDF's extraction, another format's, or the typed error the format's
/// reader gave (damaged, encrypted, not a PDF…).
struct ExtractionJobResult: Codable, Sendable {
    var id: Int
    var pdf: PDFExtraction?
    var pdfError: PDFError?
    var document: DocumentExtraction?
    var documentError: DocumentError?
    /// Pages (or image frames) OCR recognised: what the run's page budget is charged.
    var ocrPages = 0
}

/// Why a worker gave no answer for a document: it harmed the worker (ran out of time, memory
/// or CPU, or crashed it), or it did so in an earlier run and is quarantined. The format's
/// stage reports it (`pdf/timeout` for a PDF, `attachment/timeout` for any other format).
public struct WorkerFailure: Error, Sendable, Equatable {
    public enum Code: String, Sendable {
        case timeout, memory, cpu, crash, quarantined
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// Failures that mean "this input harms workers", as opposed to "this input is bad".
    var quarantinable: Bool { code != .quarantined }
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
