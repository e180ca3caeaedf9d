import TrawlNormalize

/// Everything Trawl reads from one PDF: text, structure and metadata.
public struct PDFExtraction: Sendable, Codable, Equatable {
    /// Text per page in reading order, form-field values and annotation text included.
    public var pages: [String]
    public var pageCount: Int
    /// `1.7`, `2.0`…
    public var version: String?
    public var info: PDFInfo
    /// The XMP metadata packet, when the document has one.
    public var xmp: String?
    /// The file carries an encryption dictionary (it may still open without a password).
    public var encrypted: Bool
    /// Values of filled form fields and text of annotations, also merged into `pages`.
    public var formFields: [String]
    public var annotations: [String]
    /// Pages or characters were cut at the configured limits.
    public var truncated: Bool = false
    public var quality = PDFQuality()
    /// Files embedded in the PDF (its attachments), extracted recursively up to a depth.
    public var embedded: [EmbeddedFile] = []
    /// Where each page's text came from, when OCR read any page (nil otherwise, so a PDF
    /// with a good text layer is extracted exactly as without OCR).
    public var ocr: OCRInfo?

    enum CodingKeys: String, CodingKey {
        case pages, pageCount = "page_count", version, info, xmp, encrypted
        case formFields = "form_fields", annotations, truncated, quality, embedded, ocr
    }

    /// Pages joined by form feeds, as `pdftotext` separates them.
    public var text: String { pages.joined(separator: "\n\u{0C}") }
}

/// The document Info dictionary. Dates are ISO 8601 with the offset the file states.
public struct PDFInfo: Sendable, Codable, Equatable {
    public var title: String?
    public var author: String?
    public var subject: String?
    public var keywords: String?
    public var creator: String?
    public var producer: String?
    public var created: String?
    public var modified: String?

    public init(title: String? = nil, author: String? = nil, subject: String? = nil,
                keywords: String? = nil, creator: String? = nil, producer: String? = nil,
                created: String? = nil, modified: String? = nil) {
        self.title = title; self.author = author; self.subject = subject; self.keywords = keywords
        self.creator = creator; self.producer = producer; self.created = created; self.modified = modified
    }
}

/// Signals that let an index filter junk: how much text there is and how much of it is noise.
public struct PDFQuality: Sendable, Codable, Equatable {
    /// Non-white-space characters per page.
    public var charsPerPage: Double = 0
    /// Pages with fewer than 10 non-white-space characters.
    public var emptyPages: Int = 0
    /// Most pages have no text layer: an image-only (scanned) document.
    public var needsOCR: Bool = false
    /// Share of characters that are U+FFFD, private-use or control characters: glyphs the
    /// PDF does not map to Unicode.
    public var garbledRatio: Double = 0

    enum CodingKeys: String, CodingKey {
        case charsPerPage = "chars_per_page", emptyPages = "empty_pages", needsOCR = "needs_ocr", garbledRatio = "garbled_ratio"
    }

    public init() {}

    public init(pages: [String]) {
        var total = 0, garbled = 0
        for page in pages {
            var count = 0
            for s in page.unicodeScalars where !s.isWhitespaceFast {
                count += 1
                switch s.value {
                case 0xFFFD, 0xE000...0xF8FF, 0xF0000...0x10FFFF, 0x00...0x1F, 0x7F...0x9F: garbled += 1
                default: break
                }
            }
            total += count
            if count < 10 { emptyPages += 1 }
        }
        charsPerPage = pages.isEmpty ? 0 : (Double(total) / Double(pages.count) * 10).rounded() / 10
        needsOCR = !pages.isEmpty && emptyPages * 2 > pages.count && charsPerPage < 50
        garbledRatio = total == 0 ? 0 : (Double(garbled) / Double(total) * 10000).rounded() / 10000
    }
}

/// A file embedded in a PDF.
public struct EmbeddedFile: Sendable, Codable, Equatable {
    public var name: String
    public var bytes: Int
    public var sha256: String
    /// The embedded file's own extraction when it is a PDF (within the depth limit).
    public var pdf: PDFExtraction?
    public var error: PDFError?
}
