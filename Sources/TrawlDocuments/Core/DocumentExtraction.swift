import TrawlPDF

/// Everything Trawl reads from one attachment, whatever its format.
public struct DocumentExtraction: Sendable, Codable, Equatable {
    public var format: DocumentFormat
    /// The text in reading order: body, tables (cells as paragraphs), text boxes, headers,
    /// footers and notes. Sections, sheets and slides are separated by a form feed (U+000C).
    public var text: String
    /// Comments and annotations, kept apart from the text.
    public var comments: [String] = []
    public var metadata = DocumentMetadata()
    /// Sections (HWP/HWPX/DOCX), sheets, slides or PDF pages.
    public var parts = 0
    /// The document is encrypted; it opened because the key is public (a Hancom distribution
    /// document) or no password was needed to read it.
    public var encrypted = false
    /// Hancom's distribution (배포용) flag: read-only for Hancom's viewer, readable here.
    public var distribution: Bool?
    /// Text was cut at `max_chars`.
    public var truncated = false
    /// Problems that did not stop the extraction (a damaged section, a member too large…).
    public var warnings: [String] = []
    /// A PDF's full extraction (metadata, quality, embedded files), when the format is PDF.
    public var pdf: PDFExtraction?
    /// The members of a ZIP bundle, each extracted as an attachment of its own.
    public var members: [DocumentMember] = []
    /// What OCR read (images), when it ran.
    public var ocr: OCRInfo?

    public init(format: DocumentFormat, text: String) {
        self.format = format
        self.text = text
    }
}

/// Title, author and dates as the document states them (dates ISO 8601).
public struct DocumentMetadata: Sendable, Codable, Equatable {
    public var title: String?
    public var author: String?
    public var subject: String?
    public var keywords: String?
    public var created: String?
    public var modified: String?
    /// The program that wrote the file.
    public var application: String?

    public init() {}
    public var isEmpty: Bool { self == DocumentMetadata() }
}

/// One file inside a ZIP bundle.
public struct DocumentMember: Sendable, Codable, Equatable {
    /// The member's path in the archive, decoded for display (never used as a file name).
    public var name: String
    public var bytes: Int
    public var sha256: String
    public var format: DocumentFormat
    public var extraction: DocumentExtraction?
    public var error: DocumentError?
}
