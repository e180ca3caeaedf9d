/// When and how attachments are OCRed (`pipeline.json` `ocr`).
public struct OCRSettings: Sendable, Codable, Equatable {
    public enum Mode: String, Sendable, Codable, CaseIterable {
        /// Never: scans keep `needs_ocr` and images stay unsupported.
        case off
        /// Pages without a text layer, or with a garbled one, and image attachments.
        case auto
        /// Every page of every PDF, text layer or not, and image attachments.
        case always
    }

    public var mode: Mode = .auto
    /// Tesseract language codes, joined with `+` for the engine; the first leads.
    public var languages = ["kor", "eng"]
    /// Resolution pages are drawn at.
    public var dpi = 300
    /// Pages (or TIFF frames) OCRed per attachment; the rest are reported as skipped.
    public var maxPagesPerDocument = 50
    /// Pages OCRed per run over all attachments (nil: no limit), so one huge scan cannot
    /// stall a cron harvest; what the budget left out is reported per attachment.
    public var maxPagesPerRun: Int? = 2_000
    /// Wall time for one page's recognition; past it the page is `ocr/timeout`.
    public var pageTimeoutSeconds = 60
    /// Largest image recognised, in pixels; a PDF page above it is drawn at a lower
    /// resolution, an image above it is `ocr/too_large` (decoding it could exhaust memory).
    public var maxPixels = 60_000_000
    /// Mean word confidence under which a page is flagged `low_confidence`.
    public var lowConfidence = 60.0
    /// A page's text layer counts as garbled at this share of unmapped glyphs (U+FFFD,
    /// private use, controls): the `garbled_ratio` quality measure, per page.
    public var garbledRatio = 0.3
    /// The folder holding `LANG.traineddata` (default: `TESSDATA_PREFIX`, then Debian's).
    public var tessdata: String?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case mode, languages, dpi, maxPagesPerDocument = "max_pages_per_document", maxPagesPerRun = "max_pages_per_run"
        case pageTimeoutSeconds = "page_timeout_seconds", maxPixels = "max_pixels", lowConfidence = "low_confidence"
        case garbledRatio = "garbled_ratio", tessdata
    }

    public var isOn: Bool { mode != .off }
}
