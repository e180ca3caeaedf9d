import Foundation

/// Draws PDF pages as gray images for OCR, the way `pdftoppm -gray` does (poppler's Splash
/// device), with Trawl's flat colour transforms switched off while a page is drawn. Wraps the
/// document text was read from, so a file that needs OCR is still parsed once.
public final class PDFPageRenderer {
    private let document: PDFDocument
    public var pageCount: Int { document.pageCount }

    public init(document: PDFDocument) { self.document = document }

    /// Opens `data`, trying no password and then each of `passwords`; nil when none opens it.
    public convenience init?(data: Data, passwords: [String]) {
        guard let document = try? PDFExtractor(passwords: passwords).open(data, name: "") else { return nil }
        self.init(document: document)
    }

    public typealias Failure = PDFDocument.RenderFailure

    /// Page `index` (0-based) at `dpi`, or at the highest resolution that keeps it within
    /// `maxPixels` (the resolution used comes back with it).
    public func render(page index: Int, dpi: Double, maxPixels: Double) -> Result<(image: GrayImage, dpi: Double), Failure> {
        document.render(page: index, dpi: dpi, maxPixels: maxPixels)
    }
}
