import Foundation
import TrawlDocuments
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
}

/// A worker's answer: an extraction or a typed error (damaged, encrypted, not a PDF…). PDF
/// jobs answer in `extraction`/`error`, other formats in `document`/`documentError`.
struct PDFJobResult: Codable, Sendable {
    var id: Int
    var extraction: PDFExtraction?
    var error: PDFError?
    var document: DocumentExtraction?
    var documentError: DocumentError?
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

    public init() {}
}
