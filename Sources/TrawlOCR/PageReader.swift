import TrawlPDF

/// Reads one page image, choosing the page segmentation per page instead of hard-wiring one.
/// Tesseract's automatic layout is analysed first, alone: when its text lines hold little of
/// the page's ink (a dense list it cut apart, text it took for a picture), the page is read as
/// one block; otherwise with that layout, analysed once. When that reading is weak (mostly
/// noise, most ink unexplained, or mostly lone letters: the layout cut lines apart), a second
/// pass reads it as one block and the better wins. Most pages are therefore read once.
///
/// Tesseract is not told the resolution: as for an image file without one, it estimates it
/// from the text's x-height. Told the true 300 dpi, it dropped small text on some pages (F1
/// 0.877 against 0.768 on a patent page, measured with the tesseract tool's `--dpi 300`).
public struct PageReader: Sendable {
    public var deadline: Duration?
    public var lowConfidence: Double

    /// When the automatic layout's text lines hold less than this share of the page's ink, it
    /// has cut the page apart (a dense Korean list, a form it took for pictures): the page is
    /// read as one block instead. Measured on the accuracy script's pages: 0.08–0.47 where
    /// one block read better, 0.54–1.0 on pages the automatic layout read well.
    static let oneBlockBelowLayoutCoverage = 0.5
    /// Below this share of ink inside confidently recognised words, a page read with the
    /// automatic layout is read a second time as one block.
    static let secondPassBelowCoverage = 0.4
    /// From this share of words that are a single letter, a page read with the automatic
    /// layout is read a second time as one block. Tesseract's Korean model reads syllables
    /// apart where the layout broke lines into fragments; whole lines of text have few lone
    /// letters (English pages of the accuracy script: 0.00–0.14). Only a trigger: which
    /// reading wins is decided by `prefersSingleBlock`, as for the other triggers.
    static let secondPassFromLoneShare = 0.5
    /// The one-block reading wins when it explains clearly more of the page's ink with about
    /// as much confident text, finds more confident text outright, is clearly surer where the
    /// automatic reading is mostly noise (dot leaders and rules it took for words), or finds
    /// at least as much confident text at about the same confidence (a page the trigger
    /// already found suspect). The automatic layout keeps columns and table cells apart, so
    /// it keeps the page otherwise: on clean English pages the one-block reading is 3–10
    /// points less sure.
    static func prefersSingleBlock(auto: OCREngine.Reading, block: OCREngine.Reading) -> Bool {
        (block.inkCoverage >= auto.inkCoverage + 0.1 && block.confidentChars >= auto.confidentChars * 0.8)
            || block.confidentChars > auto.confidentChars * 1.1
            || (auto.confidence < 50 && block.confidence >= auto.confidence + 10)
            || (block.confidentChars >= auto.confidentChars && block.confidence >= auto.confidence - 1)
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
        var best = engine.readPage(image, oneBlockBelow: Self.oneBlockBelowLayoutCoverage, deadline: deadline)
        // The layout looked sound but its reading is weak: mostly noise, words that leave most
        // of the ink unexplained, or lines read as lone letters. A second pass as one block,
        // and the better one wins.
        if best.status == .ok, best.segmentation == .auto,
           best.words == 0 || best.confidence < 50 || best.inkCoverage < Self.secondPassBelowCoverage
            || Double(best.loneWords) >= Self.secondPassFromLoneShare * Double(best.words) {
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
