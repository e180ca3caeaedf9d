import CTrawlPoppler
import Foundation

/// Draws PDF pages as gray images for OCR, the way `pdftoppm -gray` does (poppler's Splash
/// device), with Trawl's flat colour transforms switched off while a page is drawn. Owns one
/// C handle, closed exactly once.
public final class PDFPageRenderer {
    private let handle: OpaquePointer
    public let pageCount: Int

    /// Opens `data`, trying no password and then each of `passwords`; nil when none opens it.
    public init?(data: Data, passwords: [String]) {
        Poppler.setUp()
        var opened: OpaquePointer?
        for password in [nil] + passwords.map(Optional.some) {
            var error: Int32 = 0
            opened = data.withUnsafeBytes { raw in trawl_pdf_text_open(raw.baseAddress, raw.count, password, &error) }
            if opened != nil || error != Int32(TRAWL_PDF_TEXT_ENCRYPTED.rawValue) { break }
        }
        guard let opened else { return nil }
        handle = opened
        pageCount = Int(trawl_pdf_text_page_count(opened))
    }

    deinit { trawl_pdf_text_close(handle) }

    public enum Failure: Error, Sendable { case damaged, memory }

    /// Page `index` (0-based) at `dpi`, or at the highest resolution that keeps it within
    /// `maxPixels` (the resolution used comes back with it).
    public func render(page index: Int, dpi: Double, maxPixels: Double) -> Result<(image: GrayImage, dpi: Double), Failure> {
        var width: Int32 = 0, height: Int32 = 0, stride: Int32 = 0, used = 0.0, error: Int32 = 0
        guard let bytes = trawl_pdf_render_page(handle, Int32(index), dpi, maxPixels, &width, &height, &stride, &used, &error) else {
            return .failure(error == Int32(TRAWL_PDF_TEXT_MEMORY.rawValue) ? .memory : .damaged)
        }
        defer { free(bytes) }
        return .success((GrayImage(width: Int(width), height: Int(height), stride: Int(stride), copying: bytes), used))
    }
}
