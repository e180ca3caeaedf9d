import CPoppler
import CTrawlLCMS
import Foundation

/// The poppler-glib layer: one Swift owner per poppler object, each freed exactly once.
/// A document is used by one thread at a time (poppler documents are not thread-safe);
/// separate documents may be read in parallel.
final class PDFDocument {
    private let document: OpaquePointer

    /// Poppler's colour transforms are made flat before the first document opens (see
    /// `Poppler.setUp`): text never needs a colour, and building the transforms was most of
    /// the work on PDF/A files. Process-wide, like lcms's plug-in registry; nothing in
    /// Trawl renders a page.
    static func installFlatColour() -> Bool { trawl_lcms_use_flat_transforms() != 0 }

    /// Whether colour transforms are flat in this process (for tests and diagnostics).
    static var colourIsFlat: Bool { Poppler.setUp(); return trawl_lcms_transforms_are_flat() != 0 }

    init(data: Data, password: String?, name: String) throws {
        Poppler.setUp()
        let bytes = data.withUnsafeBytes { raw in g_bytes_new(raw.baseAddress, gsize(raw.count)) }
        defer { g_bytes_unref(bytes) }  // the document holds its own reference
        var error: UnsafeMutablePointer<GError>?
        guard let doc = poppler_document_new_from_bytes(bytes, password, &error) else {
            defer { if error != nil { g_error_free(error) } }
            let message = error.map { String(cString: $0.pointee.message) } ?? "unknown error"
            let encrypted = error.map {
                $0.pointee.domain == poppler_error_quark()
                    && $0.pointee.code == Int32(POPPLER_ERROR_ENCRYPTED.rawValue)
            } ?? false
            throw PDFError(code: encrypted ? .encrypted : .damaged,
                           message: encrypted ? "\(name): encrypted, a user password is required"
                                              : "\(name): cannot be read as PDF (\(message))")
        }
        document = doc
    }

    deinit { g_object_unref(UnsafeMutableRawPointer(document)) }

    var pageCount: Int { Int(poppler_document_get_n_pages(document)) }

    var version: String? {
        var major: guint = 0, minor: guint = 0
        poppler_document_get_pdf_version(document, &major, &minor)
        return major == 0 ? nil : "\(major).\(minor)"
    }

    var info: PDFInfo {
        PDFInfo(title: Self.take(poppler_document_get_title(document)),
                author: Self.take(poppler_document_get_author(document)),
                subject: Self.take(poppler_document_get_subject(document)),
                keywords: Self.take(poppler_document_get_keywords(document)),
                creator: Self.take(poppler_document_get_creator(document)),
                producer: Self.take(poppler_document_get_producer(document)),
                created: Self.iso8601(poppler_document_get_creation_date_time(document)),
                modified: Self.iso8601(poppler_document_get_modification_date_time(document)))
    }

    var xmp: String? { Self.take(poppler_document_get_metadata(document)) }

    /// The document's embedded files — the EmbeddedFiles name tree and file-attachment
    /// annotations on its pages, as `pdfdetach -list` shows them — with their bytes, saved
    /// through a temporary file (the simplest transfer poppler-glib offers). Files over
    /// `maxBytes` are listed without bytes.
    func embeddedFiles(maxBytes: Int) -> [(name: String, size: Int, data: Data?)] {
        var out: [(String, Int, Data?)] = []
        if poppler_document_has_attachments(document) != 0, let list = poppler_document_get_attachments(document) {
            defer { g_list_free_full(list) { g_object_unref($0) } }
            var node: UnsafeMutablePointer<GList>? = list
            while let n = node {
                defer { node = n.pointee.next }
                if let a = n.pointee.data?.assumingMemoryBound(to: PopplerAttachment.self) {
                    out.append(Self.read(a, maxBytes: maxBytes))
                }
            }
        }
        for i in 0..<pageCount {
            guard let page = poppler_document_get_page(document, Int32(i)) else { continue }
            defer { g_object_unref(UnsafeMutableRawPointer(page)) }
            guard let list = poppler_page_get_annot_mapping(page) else { continue }
            defer { poppler_page_free_annot_mapping(list) }
            var node: UnsafeMutablePointer<GList>? = list
            while let n = node {
                defer { node = n.pointee.next }
                guard let mapping = n.pointee.data?.assumingMemoryBound(to: PopplerAnnotMapping.self),
                      let annot = mapping.pointee.annot,
                      poppler_annot_get_annot_type(annot) == POPPLER_ANNOT_FILE_ATTACHMENT,
                      let a = poppler_annot_file_attachment_get_attachment(annot) else { continue }
                defer { g_object_unref(a) }
                out.append(Self.read(a, maxBytes: maxBytes))
            }
        }
        return out
    }

    private static func read(_ attachment: UnsafeMutablePointer<PopplerAttachment>, maxBytes: Int) -> (String, Int, Data?) {
        let name = poppler_attachment_get_name(attachment).map { String(cString: $0) } ?? "embedded"
        // The declared size is optional in the file (poppler reports -1 as a huge gsize).
        let declared = Int(truncatingIfNeeded: poppler_attachment_get_size(attachment))
        guard declared <= maxBytes else { return (name, declared, nil) }
        let file = FileManager.default.temporaryDirectory
            .appendingPathComponent("trawl-embedded-\(getpid())-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        var error: UnsafeMutablePointer<GError>?
        if poppler_attachment_save(attachment, file.path, &error) != 0, let data = try? Data(contentsOf: file) {
            return (name, data.count, data.count <= maxBytes ? data : nil)
        }
        if error != nil { g_error_free(error) }
        return (name, max(declared, 0), nil)
    }

    func withPage<T>(_ index: Int, _ body: (PDFPage) -> T) -> T? {
        guard let page = poppler_document_get_page(document, Int32(index)) else { return nil }
        let wrapper = PDFPage(page: page)
        return withExtendedLifetime(self) { body(wrapper) }
    }

    /// Takes ownership of a glib string: copies it into Swift and frees it.
    static func take(_ s: UnsafeMutablePointer<gchar>?) -> String? {
        guard let s else { return nil }
        defer { g_free(s) }
        let value = String(cString: s)
        return value.isEmpty ? nil : value
    }

    private static func iso8601(_ dt: OpaquePointer?) -> String? {
        guard let dt else { return nil }
        defer { g_date_time_unref(dt) }
        guard var s = take(g_date_time_format_iso8601(dt)) else { return nil }
        // GLib writes whole-hour offsets as `+09`; records use the extended form `+09:00`.
        let tail = s.suffix(3)
        if let sign = tail.first, sign == "+" || sign == "-", tail.dropFirst().allSatisfy(\.isNumber) { s += ":00" }
        return s
    }
}

/// One page, owned and released with `g_object_unref`.
final class PDFPage {
    private let page: OpaquePointer

    fileprivate init(page: OpaquePointer) { self.page = page }
    deinit { g_object_unref(UnsafeMutableRawPointer(page)) }

    /// poppler-glib's page text: the fallback when the pdftotext-style reader cannot open a
    /// document that glib could.
    var text: String { PDFDocument.take(poppler_page_get_text(page)) ?? "" }

    /// Values of the page's filled form fields (their appearances are in the page text; the
    /// values are also listed on the record).
    var formFields: [String] {
        guard let list = poppler_page_get_form_field_mapping(page) else { return [] }
        defer { poppler_page_free_form_field_mapping(list) }
        var values: [String] = []
        var node: UnsafeMutablePointer<GList>? = list
        while let n = node {
            defer { node = n.pointee.next }
            guard let mapping = n.pointee.data?.assumingMemoryBound(to: PopplerFormFieldMapping.self),
                  let field = mapping.pointee.field else { continue }
            if let v = Self.value(of: field) { values.append(v) }
        }
        return values
    }

    /// Text of free-text annotations (drawn on the page, so part of what a reader sees).
    var annotationTexts: [String] {
        guard let list = poppler_page_get_annot_mapping(page) else { return [] }
        defer { poppler_page_free_annot_mapping(list) }
        var texts: [String] = []
        var node: UnsafeMutablePointer<GList>? = list
        while let n = node {
            defer { node = n.pointee.next }
            guard let mapping = n.pointee.data?.assumingMemoryBound(to: PopplerAnnotMapping.self),
                  let annot = mapping.pointee.annot else { continue }
            if poppler_annot_get_annot_type(annot) == POPPLER_ANNOT_FREE_TEXT,
               let contents = PDFDocument.take(poppler_annot_get_contents(annot)) {
                texts.append(contents)
            }
        }
        return texts
    }

    private static func value(of field: OpaquePointer) -> String? {
        switch poppler_form_field_get_field_type(field) {
        case POPPLER_FORM_FIELD_TEXT:
            return PDFDocument.take(poppler_form_field_text_get_text(field))
        case POPPLER_FORM_FIELD_CHOICE:
            let n = poppler_form_field_choice_get_n_items(field)
            // A list box draws all its items (a combo box only its value).
            if poppler_form_field_choice_get_choice_type(field) == POPPLER_FORM_CHOICE_LIST {
                let items = (0..<max(n, 0)).compactMap { PDFDocument.take(poppler_form_field_choice_get_item(field, $0)) }
                return items.isEmpty ? nil : items.joined(separator: "\n")
            }
            let selected = (0..<max(n, 0)).filter { poppler_form_field_choice_is_item_selected(field, $0) != 0 }
                .compactMap { PDFDocument.take(poppler_form_field_choice_get_item(field, $0)) }
            if !selected.isEmpty { return selected.joined(separator: ", ") }
            return PDFDocument.take(poppler_form_field_choice_get_text(field))
        default:
            return nil
        }
    }
}
