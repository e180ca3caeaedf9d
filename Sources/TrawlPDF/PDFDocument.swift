import CTrawlLCMS
import CTrawlPoppler
import Foundation

/// One parsed PDF (poppler's core through CTrawlPoppler): everything Trawl reads from a file
/// comes from this one parse. Owns one C handle, closed exactly once. A document is used by
/// one thread at a time (poppler documents are not thread-safe); separate documents may be
/// read in parallel.
public final class PDFDocument {
    private let handle: OpaquePointer
    public let pageCount: Int

    /// Why a document did not open.
    enum OpenFailure: Error { case encrypted, memory, damaged(String) }

    /// Opens `data` with `password` (nil: none).
    init(data: Data, password: String?) throws(OpenFailure) {
        Poppler.setUp()
        var error: Int32 = 0
        let opened = data.withUnsafeBytes { raw in trawl_pdf_open(raw.baseAddress, raw.count, password, &error) }
        guard let opened else {
            // The reasons in the words poppler-glib gave them, which records already carry.
            switch UInt32(error) {
            case TRAWL_PDF_ENCRYPTED.rawValue: throw .encrypted
            case TRAWL_PDF_MEMORY.rawValue: throw .memory
            case TRAWL_PDF_BAD_CATALOG.rawValue: throw .damaged("Failed to read the document catalog")
            case TRAWL_PDF_DAMAGED.rawValue: throw .damaged("PDF document is damaged")
            default: throw .damaged("Failed to load document")
            }
        }
        handle = opened
        pageCount = Int(trawl_pdf_page_count(opened))
    }

    deinit { trawl_pdf_close(handle) }

    /// Poppler's colour transforms are made flat before the first document opens (see
    /// `Poppler.setUp`): text never needs a colour, and building the transforms was most of
    /// the work on PDF/A files. Process-wide, like lcms's plug-in registry; pages drawn for
    /// OCR switch them off while they are drawn.
    static func installFlatColour() -> Bool { trawl_lcms_use_flat_transforms() != 0 }

    /// Whether colour transforms are flat in this process (for tests and diagnostics).
    static var colourIsFlat: Bool { Poppler.setUp(); return trawl_lcms_transforms_are_flat() != 0 }

    var version: String? {
        var major: Int32 = 0, minor: Int32 = 0
        trawl_pdf_version(handle, &major, &minor)
        return major == 0 ? nil : "\(major).\(minor)"
    }

    var info: PDFInfo {
        PDFInfo(title: string("Title"), author: string("Author"), subject: string("Subject"),
                keywords: string("Keywords"), creator: string("Creator"), producer: string("Producer"),
                created: Self.take(trawl_pdf_info_date(handle, "CreationDate")),
                modified: Self.take(trawl_pdf_info_date(handle, "ModDate")))
    }

    var xmp: String? { Self.take(trawl_pdf_xmp(handle)) }

    private func string(_ key: String) -> String? { Self.take(trawl_pdf_info(handle, key)) }

    func pageExists(_ index: Int) -> Bool { trawl_pdf_page_exists(handle, Int32(index)) != 0 }

    /// Values of the page's filled form fields (their appearances are in the page text; the
    /// values are also listed on the record).
    func formFields(ofPage index: Int) -> [String] { Self.take(trawl_pdf_page_form_values(handle, Int32(index))) }

    /// Text of the page's free-text annotations (drawn on the page, so part of what a reader sees).
    func annotationTexts(ofPage index: Int) -> [String] { Self.take(trawl_pdf_page_free_texts(handle, Int32(index))) }

    /// The text of page `index` (0-based) as pdftotext writes it, without trailing line
    /// ends; nil if poppler could not draw the page.
    func text(ofPage index: Int) -> String? {
        var length = 0
        guard let bytes = trawl_pdf_page_text(handle, Int32(index), &length) else { return nil }
        defer { free(bytes) }
        var end = length
        while end > 0, bytes[end - 1] == 0x0A { end -= 1 }
        return bytes.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: end), as: UTF8.self)
        }
    }

    /// The document's embedded files — the EmbeddedFiles name tree and file-attachment
    /// annotations on its pages, as `pdfdetach -list` shows them — with their bytes. Files
    /// over `maxBytes` are listed without bytes (their streams are counted, never kept).
    func embeddedFiles(maxBytes: Int) -> [(name: String, size: Int, data: Data?)] {
        (0..<Int(trawl_pdf_embedded_count(handle))).map { i in
            let name = trawl_pdf_embedded_name(handle, Int32(i)).map { String(cString: $0) } ?? "embedded"
            let declared = Int(trawl_pdf_embedded_declared_size(handle, Int32(i)))
            guard declared <= maxBytes else { return (name, declared, nil) }
            var total = 0
            guard let bytes = trawl_pdf_embedded_read(handle, Int32(i), maxBytes, &total) else { return (name, total, nil) }
            defer { free(bytes) }
            return (name, total, Data(bytes: bytes, count: total))
        }
    }

    public enum RenderFailure: Error, Sendable { case damaged, memory }

    /// Page `index` (0-based) drawn as `pdftoppm -gray` draws it at `dpi`, or at the highest
    /// resolution that keeps it within `maxPixels` (the resolution used comes back with it).
    public func render(page index: Int, dpi: Double, maxPixels: Double) -> Result<(image: GrayImage, dpi: Double), RenderFailure> {
        var width: Int32 = 0, height: Int32 = 0, stride: Int32 = 0, used = 0.0, error: Int32 = 0
        guard let bytes = trawl_pdf_render_page(handle, Int32(index), dpi, maxPixels, &width, &height, &stride, &used, &error) else {
            return .failure(UInt32(error) == TRAWL_PDF_MEMORY.rawValue ? .memory : .damaged)
        }
        defer { free(bytes) }
        return .success((GrayImage(width: Int(width), height: Int(height), stride: Int(stride), copying: bytes), used))
    }

    /// Takes ownership of a malloc'd C string: copies it into Swift and frees it. Empty is nil.
    private static func take(_ s: UnsafeMutablePointer<CChar>?) -> String? {
        guard let s else { return nil }
        defer { free(s) }
        let value = String(cString: s)
        return value.isEmpty ? nil : value
    }

    private static func take(_ list: trawl_pdf_strings) -> [String] {
        var list = list
        defer { trawl_pdf_strings_free(&list) }
        return (0..<Int(list.count)).compactMap { list.items[$0].map { String(cString: $0) } }
    }
}

/// Process-wide poppler settings, applied once before any document opens: UTF-8 text, no
/// error printing, and flat colour transforms.
enum Poppler {
    private static let ready: Bool = {
        trawl_pdf_init()
        return PDFDocument.installFlatColour()
    }()

    static func setUp() { _ = ready }
}
