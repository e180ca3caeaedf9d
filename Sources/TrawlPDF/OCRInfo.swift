/// What OCR did to an attachment, for the record: the engine and its language data, and for
/// every page where its text came from (the text layer or OCR), how sure OCR was, and what
/// was skipped or failed and why. Shared by PDFs (pages) and images (frames).
public struct OCRInfo: Sendable, Codable, Equatable {
    /// `tesseract 5.3.0`.
    public var engine: String
    public var languages: [OCRLanguage]
    /// `auto` or `always`.
    public var mode: String
    public var pages: [OCRPageInfo]

    public init(engine: String, languages: [OCRLanguage], mode: String, pages: [OCRPageInfo] = []) {
        self.engine = engine
        self.languages = languages
        self.mode = mode
        self.pages = pages
    }

    /// Pages whose text came from OCR.
    public var recognisedPages: Int { pages.filter { $0.source == .ocr }.count }
    /// Pages that needed OCR and did not get it (budget) or failed.
    public var skippedPages: Int { pages.filter { $0.source == .skipped }.count }
}

/// A language's data as Tesseract loaded it.
public struct OCRLanguage: Sendable, Codable, Equatable {
    /// `kor`, `eng`.
    public var code: String
    /// The version string stored in its `.traineddata`.
    public var data: String?

    public init(code: String, data: String?) { self.code = code; self.data = data }
}

/// One page (or image frame) and where its text came from.
public struct OCRPageInfo: Sendable, Codable, Equatable {
    public enum Source: String, Sendable, Codable {
        /// The PDF's own text layer, kept as it was.
        case text
        /// Recognised by OCR.
        case ocr
        /// Needed OCR but did not get it: `reason` says why.
        case skipped
    }

    /// 1-based.
    public var page: Int
    public var source: Source
    /// Why the page was OCRed (`no_text_layer`, `garbled_text_layer`, `always`, `image`) or
    /// skipped (`max_pages_per_document`, `run_budget`, `ocr/timeout`, `ocr/too_large`…).
    public var reason: String?
    /// Mean word confidence, 0–100.
    public var confidence: Double?
    public var words: Int?
    /// Below the configured threshold: kept, but an index may weigh it down.
    public var lowConfidence: Bool?
    /// The page segmentation chosen (`auto` or `single_block`).
    public var segmentation: String?
    /// Pixel size of what was recognised, and the resolution a PDF page was drawn at.
    public var width: Int?
    public var height: Int?
    public var dpi: Int?

    enum CodingKeys: String, CodingKey {
        case page, source, reason, confidence, words, lowConfidence = "low_confidence", segmentation, width, height, dpi
    }

    public init(page: Int, source: Source, reason: String? = nil) {
        self.page = page
        self.source = source
        self.reason = reason
    }
}
