import Foundation
import TrawlDocuments
import TrawlPDF

/// Image attachments (scanned annexes, photographed notices): every frame OCRed like a
/// page, within the attachment's page allowance. An image whose every frame fails is an
/// error naming why (`image/damaged`, `ocr/too_large`, `ocr/timeout`); frames that fail
/// beside readable ones are reported on their page entry.
public struct ImageExtractor: DocumentExtractor {
    public var settings: OCRSettings
    public var tessdata: String
    /// Frames this attachment may OCR (the per-document limit and what the run's budget left).
    public var allowance: Int
    /// Called before each frame is decoded and read (see `PDFPageOCR.pageStarts`).
    public var pageStarts: (@Sendable (Int) -> Void)?

    public init(settings: OCRSettings, tessdata: String, allowance: Int, pageStarts: (@Sendable (Int) -> Void)? = nil) {
        self.settings = settings
        self.tessdata = tessdata
        self.allowance = allowance
        self.pageStarts = pageStarts
    }

    /// Frames counted at most, so a TIFF of a million empty pages costs no time.
    static let frameCountLimit = 10_000

    public func extract(_ data: Data, name: String, context: ExtractionContext) throws -> DocumentExtraction {
        let decoder = ImageDecoder(data: data)
        let frames = decoder.frames(upTo: Self.frameCountLimit)
        guard frames > 0 else { throw DocumentError(.imageDamaged, "\(name): not an image Trawl can decode (unknown or damaged header)") }
        let reader = PageReader(deadline: .seconds(settings.pageTimeoutSeconds), lowConfidence: settings.lowConfidence)
        var info = OCRInfo(engine: OCREngine.version, languages: [], mode: settings.mode.rawValue)
        var texts: [String] = []
        var failures: [(page: Int, kind: String, message: String)] = []
        let budget = min(allowance, settings.maxPagesPerDocument)
        try OCREngines.with(languages: settings.languages, tessdata: tessdata) { engine in
            info.languages = engine.languages
            for frame in 0..<frames {
                let number = frame + 1
                guard frame < budget else {
                    let why = frame < settings.maxPagesPerDocument ? "run_budget" : "max_pages_per_document"
                    info.pages.append(OCRPageInfo(page: number, source: .skipped, reason: why))
                    continue
                }
                guard let size = decoder.size(ofFrame: frame) else {
                    failures.append((number, "image/damaged", "frame \(number): unreadable header"))
                    info.pages.append(OCRPageInfo(page: number, source: .skipped, reason: "image/damaged"))
                    continue
                }
                if size.width * size.height > settings.maxPixels {
                    failures.append((number, "ocr/too_large", "frame \(number) is \(size.width)×\(size.height) pixels, over ocr.max_pixels (\(settings.maxPixels))"))
                    var page = OCRPageInfo(page: number, source: .skipped, reason: "ocr/too_large")
                    page.width = size.width
                    page.height = size.height
                    info.pages.append(page)
                    continue
                }
                pageStarts?(number)
                switch decoder.gray(frame: frame) {
                case .failure(let f):
                    let kind = f == .memory ? "ocr/too_large" : "image/damaged"
                    failures.append((number, kind, "frame \(number): " + (f == .memory ? "out of memory decoding it" : "its pixels cannot be decoded")))
                    info.pages.append(OCRPageInfo(page: number, source: .skipped, reason: kind))
                case .success(let image):
                    let page = reader.read(image, engine: engine, number: number, reason: "image")
                    if let failure = page.failure { failures.append((number, failure, "frame \(number): recognition " + (failure == "ocr/timeout" ? "ran past ocr.page_timeout_seconds (\(settings.pageTimeoutSeconds) s)" : "failed"))) }
                    info.pages.append(page.info)
                    if !page.text.isEmpty { texts.append(page.text) }
                }
            }
        }
        if texts.isEmpty, let first = failures.first {
            let code: DocumentError.Code = switch first.kind {
            case "ocr/timeout": .ocrTimeout
            case "ocr/too_large": .ocrTooLarge
            case "image/damaged": .imageDamaged
            default: .damaged
            }
            throw DocumentError(code, "\(name): \(first.message)")
        }
        var x = DocumentExtraction(format: .image, text: texts.joined(separator: "\n\u{0C}"))
        x.parts = frames
        x.warnings = failures.map { "\($0.kind): \($0.message)" }
        x.ocr = info
        return x
    }
}
