import Foundation
import TrawlDocuments
import TrawlOCR
import TrawlPDF

/// How attachments of every format are extracted (`pipeline.json` `extraction`, with the
/// format-specific keys of `pdf`, `documents` and `ocr`): in a pool of worker processes or in
/// this one, each document under a wall-clock, CPU and memory cap.
public struct ExtractionSettings: Sendable, Equatable {
    /// The caps one document runs under; a format may have its own (`extraction.formats`).
    public struct ProcessLimits: Sendable, Equatable {
        public var timeoutSeconds: Double
        public var memoryMB: Int
        public var cpuSeconds: Int
    }

    /// A format's overrides of the pool's caps; nil keeps the pool's.
    public struct FormatOverride: Sendable, Equatable {
        public var timeoutSeconds: Double?
        public var memoryMB: Int?
        public var cpuSeconds: Int?
        public init(timeoutSeconds: Double? = nil, memoryMB: Int? = nil, cpuSeconds: Int? = nil) {
            self.timeoutSeconds = timeoutSeconds; self.memoryMB = memoryMB; self.cpuSeconds = cpuSeconds
        }
    }

    /// `process` (the default) isolates every extractor in worker processes; `none` runs them
    /// in the main process (faster to debug, but one crash ends the run).
    public var isolated = true
    public var workers = 2
    public var timeoutSeconds = 30.0
    public var memoryMB = 2048
    public var cpuSeconds = 60
    /// Workers are replaced after this many documents, to return fragmented memory.
    public var recycleAfter = 200
    /// Per-format caps (`extraction.formats.hwp.memory_mb`…).
    public var formats: [DocumentFormat: FormatOverride] = [:]
    /// PDF-only limits (`pdf.max_pages`, `max_chars`, embedded files).
    public var pdf = PDFLimits()
    /// Passwords tried on encrypted PDFs and HWPX packages.
    public var passwords: [String] = []
    /// Caps on decompression, entries and records for non-PDF formats.
    public var documentLimits = DocumentLimits()
    /// Scanned pages and image attachments (`pipeline.json` `ocr`), and where the language
    /// data is (resolved at startup by `OCRSettings.resolveTessData`).
    public var ocr = OCRSettings()
    public var tessdata: String?

    public init() {}

    /// The caps for one document of `format`.
    public func limits(for format: DocumentFormat) -> ProcessLimits {
        let o = formats[format]
        return ProcessLimits(timeoutSeconds: o?.timeoutSeconds ?? timeoutSeconds,
                             memoryMB: o?.memoryMB ?? memoryMB, cpuSeconds: o?.cpuSeconds ?? cpuSeconds)
    }

    /// The largest address-space cap any format may need: a worker's hard limit, under which
    /// a document's own cap is set.
    var largestMemoryMB: Int { formats.values.compactMap(\.memoryMB).reduce(memoryMB, max) }
}
