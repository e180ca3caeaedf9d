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

    enum CodingKeys: String, CodingKey {
        case pages, pageCount = "page_count", version, info, xmp, encrypted
        case formFields = "form_fields", annotations
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
