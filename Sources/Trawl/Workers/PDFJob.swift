import Foundation
import TrawlPDF

/// One document for a worker process: the file to read and the limits to apply.
struct PDFJob: Codable, Sendable {
    var id: Int
    var path: String
    /// The name errors use (the attachment's URL).
    var name: String
    var passwords: [String]
    var limits: PDFLimits
    /// CPU seconds this document may use before the kernel stops the worker (SIGXCPU).
    var cpuSeconds: Int
}

/// A worker's answer: an extraction or a typed error (damaged, encrypted, not a PDF…).
struct PDFJobResult: Codable, Sendable {
    var id: Int
    var extraction: PDFExtraction?
    var error: PDFError?
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

    public init() {}
}
