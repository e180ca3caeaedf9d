import Foundation
import TrawlPDF

/// OCR for the pages of a PDF that need it. In `auto` mode a page is read when it has no
/// text layer (under 10 characters) or a garbled one (unmapped glyphs at or above
/// `garbled_ratio`); in `always`, every page. Pages with good text are left exactly as the
/// text layer gave them, and a PDF where no page needs OCR is not touched at all.
public struct PDFPageOCR: Sendable {
    public var settings: OCRSettings
    public var tessdata: String
    public var passwords: [String]
    /// Called before each page is drawn and read (a worker extends its time limits by one
    /// page's allowance there).
    public var pageStarts: (@Sendable (Int) -> Void)?

    public init(settings: OCRSettings, tessdata: String, passwords: [String], pageStarts: (@Sendable (Int) -> Void)? = nil) {
        self.settings = settings
        self.tessdata = tessdata
        self.passwords = passwords
        self.pageStarts = pageStarts
    }

    /// Why page text needs OCR, or nil when the text layer is good.
    public func reason(for page: String) -> String? {
        if settings.mode == .always { return "always" }
        let quality = PDFQuality(pages: [page])
        if quality.emptyPages == 1 { return "no_text_layer" }
        if quality.garbledRatio >= settings.garbledRatio { return "garbled_text_layer" }
        return nil
    }

    /// OCRs the pages of `x` that need it, at most `allowance` of them, replacing their text;
    /// returns how many pages were recognised (what the run's budget is charged).
    @discardableResult
    public func apply(to x: inout PDFExtraction, data: Data, name: String, allowance: Int) -> Int {
        apply(to: &x, renderer: PDFPageRenderer(data: data, passwords: passwords), name: name, allowance: allowance)
    }

    /// As `apply(to:data:…)`, drawing pages from the document the text came from (see
    /// `PDFExtractor.extractKeepingDocument`), so the file is not parsed again. The
    /// renderer is only asked for when some page needs OCR.
    @discardableResult
    public func apply(to x: inout PDFExtraction, renderer open: @autoclosure () -> PDFPageRenderer?, name: String, allowance: Int) -> Int {
        guard settings.isOn else { return 0 }
        let wanted = x.pages.indices.compactMap { i in reason(for: x.pages[i]).map { (i, $0) } }
        guard !wanted.isEmpty else { return 0 }
        var info = OCRInfo(engine: OCREngine.version, languages: [], mode: settings.mode.rawValue,
                           pages: x.pages.indices.map { OCRPageInfo(page: $0 + 1, source: .text) })
        let budget = min(allowance, settings.maxPagesPerDocument)
        let reader = PageReader(deadline: .seconds(settings.pageTimeoutSeconds), lowConfidence: settings.lowConfidence)
        var used = 0
        let renderer = open()
        do {
            try OCREngines.with(languages: settings.languages, tessdata: tessdata) { engine in
                info.languages = engine.languages
                for (n, (index, why)) in wanted.enumerated() {
                    guard n < budget else {
                        let skipped = n < settings.maxPagesPerDocument ? "run_budget" : "max_pages_per_document"
                        info.pages[index] = OCRPageInfo(page: index + 1, source: .skipped, reason: skipped)
                        continue
                    }
                    guard let renderer else {
                        info.pages[index] = OCRPageInfo(page: index + 1, source: .skipped, reason: "ocr/render_failed")
                        continue
                    }
                    pageStarts?(index + 1)
                    switch renderer.render(page: index, dpi: Double(settings.dpi), maxPixels: Double(settings.maxPixels)) {
                    case .failure(let f):
                        info.pages[index] = OCRPageInfo(page: index + 1, source: .skipped, reason: f == .memory ? "ocr/too_large" : "ocr/render_failed")
                    case .success(let (image, dpi)):
                        used += 1
                        let page = reader.read(image, engine: engine, number: index + 1, reason: why)
                        var pageInfo = page.info
                        pageInfo.dpi = Int(dpi)
                        info.pages[index] = pageInfo
                        // A text layer is replaced only by some text; an empty one by whatever OCR read.
                        if page.failure == nil, !page.text.isEmpty || why == "no_text_layer" { x.pages[index] = page.text }
                    }
                }
            }
        } catch {
            for (index, _) in wanted { info.pages[index] = OCRPageInfo(page: index + 1, source: .skipped, reason: "ocr/engine") }
        }
        x.quality = PDFQuality(pages: x.pages)
        x.ocr = info
        return used
    }
}
