import CTrawlPoppler
import Foundation

/// Page text as pdftotext makes it (poppler's TextOutputDev through CTrawlPoppler): the
/// content stream and the annotation appearances a reader sees, filled form fields
/// included, in TextOutputDev's reading order. Owns one C handle, closed exactly once.
final class PDFTextReader {
    private let handle: OpaquePointer

    /// Fails (nil) only where poppler-glib has just opened the same bytes, so the caller
    /// falls back to glib's page text rather than losing the document.
    init?(data: Data, password: String?) {
        Poppler.setUp()
        var error: Int32 = 0
        let opened = data.withUnsafeBytes { raw in
            trawl_pdf_text_open(raw.baseAddress, raw.count, password, &error)
        }
        guard let opened else { return nil }
        handle = opened
    }

    deinit { trawl_pdf_text_close(handle) }

    var pageCount: Int { Int(trawl_pdf_text_page_count(handle)) }

    /// The text of page `index` (0-based) without trailing line ends; nil if poppler could
    /// not draw the page.
    func text(ofPage index: Int) -> String? {
        var length = 0
        guard let bytes = trawl_pdf_text_page(handle, Int32(index), &length) else { return nil }
        defer { free(bytes) }
        var end = length
        while end > 0, bytes[end - 1] == 0x0A { end -= 1 }
        return bytes.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: end), as: UTF8.self)
        }
    }
}

/// Process-wide poppler settings, applied once before any document of either interface
/// opens: UTF-8 text, no error printing, and flat colour transforms.
enum Poppler {
    private static let ready: Bool = {
        trawl_pdf_text_init()
        return PDFDocument.installFlatColour()
    }()

    static func setUp() { _ = ready }
}
