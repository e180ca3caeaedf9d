import TrawlPDF

/// Reads one page image, choosing the page segmentation per page instead of hard-wiring one:
/// Tesseract's automatic layout analysis first; when its words leave much of the page's ink
/// uncovered (a dense list it split apart, text it took for a picture), a second pass reads
/// the page as one block, and the pass that read more text, weighted by confidence, wins.
///
/// Tesseract is not told the resolution: as for an image file without one, it estimates it
/// from the text's x-height. Told the true 300 dpi, it dropped small text on some pages (F1
/// 0.877 against 0.768 on a patent page, measured with the tesseract tool's `--dpi 300`).
public struct PageReader: Sendable {
    public var deadline: Duration?
    public var lowConfidence: Double

    /// Below this share of ink inside recognised words, the page is read a second time.
    static let secondPassBelowCoverage = 0.9
    /// The one-block reading wins when it explains clearly more of the page's ink with about
    /// as much confident text, finds more confident text outright, or is clearly surer where
    /// the automatic reading is mostly noise (dot leaders and rules it took for words). The
    /// automatic layout keeps columns and table cells apart, so it keeps the page otherwise.
    static func prefersSingleBlock(auto: OCREngine.Reading, block: OCREngine.Reading) -> Bool {
        (block.inkCoverage >= auto.inkCoverage + 0.1 && block.confidentChars >= auto.confidentChars * 0.8)
            || block.confidentChars > auto.confidentChars * 1.1
            || (auto.confidence < 50 && block.confidence >= auto.confidence + 10)
    }

    public init(deadline: Duration?, lowConfidence: Double) {
        self.deadline = deadline
        self.lowConfidence = lowConfidence
    }

    public struct Page: Sendable {
        public var text: String
        public var info: OCRPageInfo
        /// `ocr/timeout`, `ocr/failed` when no text could be read.
        public var failure: String?
    }

    public func read(_ image: GrayImage, engine: OCREngine, number: Int, reason: String) -> Page {
        let clock = ContinuousClock()
        let start = clock.now
        var best = engine.read(image, dpi: 0, segmentation: .auto, deadline: deadline)
        if best.status == .ok, best.words == 0 || best.inkCoverage < Self.secondPassBelowCoverage {
            let left = deadline.map { $0 - (clock.now - start) }
            if left.map({ $0 > .zero }) ?? true {
                let block = engine.read(image, dpi: 0, segmentation: .singleBlock, deadline: left)
                if block.status == .ok, Self.prefersSingleBlock(auto: best, block: block) { best = block }
            }
        }
        var info = OCRPageInfo(page: number, source: .ocr, reason: reason)
        info.width = image.width
        info.height = image.height
        switch best.status {
        case .timeout:
            info.source = .skipped
            info.reason = "ocr/timeout"
            return Page(text: "", info: info, failure: "ocr/timeout")
        case .failed:
            info.source = .skipped
            info.reason = "ocr/failed"
            return Page(text: "", info: info, failure: "ocr/failed")
        case .ok:
            info.confidence = (best.confidence * 10).rounded() / 10
            info.words = best.words
            info.lowConfidence = best.confidence < lowConfidence
            info.segmentation = best.segmentation.rawValue
            return Page(text: Self.trimmed(best.text), info: info, failure: nil)
        }
    }

    /// Tesseract ends pages with blank lines; pages are joined by the caller.
    static func trimmed(_ s: String) -> String {
        var scalars = Substring(s).unicodeScalars
        while let last = scalars.last, last == "\n" || last == " " || last == "\u{0C}" { scalars.removeLast() }
        return String(scalars)
    }
}
