import Foundation

/// Reads text and metadata from PDF bytes with poppler-glib.
///
/// The calls block for as long as poppler takes; callers run them off the cooperative pool.
public struct PDFExtractor: Sendable {
    public var password: String?

    public init(password: String? = nil) {
        self.password = password
    }

    /// Extracts `data`; `name` (a URL or path) is used in error messages.
    public func extract(_ data: Data, name: String) throws -> PDFExtraction {
        guard !data.isEmpty else { throw PDFError(code: .empty, message: "\(name): empty file") }
        guard Self.hasPDFHeader(data) else {
            throw PDFError(code: .notPDF, message: "\(name): not a PDF (no %PDF- header in the first 1024 bytes)")
        }
        let document = try PDFDocument(data: data, password: password, name: name)
        var pages: [String] = []
        var fields: [String] = []
        var annotations: [String] = []
        for i in 0..<document.pageCount {
            let page = document.withPage(i) { page -> (String, [String], [String]) in
                let pageFields = page.formFields
                let annots = page.annotationTexts
                var text = Self.readingOrderText(page)
                if !pageFields.isEmpty {
                    text = PageTextAssembler.assemble(text: text, layout: page.textLayout, fields: pageFields)
                }
                let extra = annots.filter { !text.contains($0) }
                return (([text] + extra).filter { !$0.isEmpty }.joined(separator: "\n"),
                        pageFields.map(\.text), annots)
            }
            guard let (text, pageFields, pageAnnotations) = page else { pages.append(""); continue }
            pages.append(text)
            fields += pageFields
            annotations += pageAnnotations
        }
        return PDFExtraction(pages: pages, pageCount: document.pageCount, version: document.version,
                             info: document.info, xmp: document.xmp, encrypted: Self.hasEncryptDictionary(data),
                             formFields: fields, annotations: annotations)
    }

    /// Poppler's selection runs from the first corner to the second in reading order; on a
    /// right-to-left page the whole page is only covered when the selection starts at the
    /// top right, so RTL pages are read both ways and the fuller reading wins.
    static func readingOrderText(_ page: PDFPage) -> String {
        let ltr = page.text
        guard ltr.unicodeScalars.contains(where: isRightToLeft) else { return ltr }
        let (w, h) = page.size
        let rtl = page.selectedText(x1: w, y1: 0, x2: 0, y2: h)
        func weight(_ s: String) -> Int { s.unicodeScalars.count { !$0.properties.isWhitespace } }
        return weight(rtl) > weight(ltr) ? rtl : ltr
    }

    static func isRightToLeft(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x0590...0x08FF, 0xFB1D...0xFDFF, 0xFE70...0xFEFF, 0x10800...0x10FFF: true
        default: false
        }
    }

    /// PDF readers accept the header anywhere in the first 1024 bytes.
    public static func hasPDFHeader(_ data: Data) -> Bool {
        data.prefix(1024).range(of: Data("%PDF-".utf8)) != nil
    }

    /// The trailer of an encrypted file names an `/Encrypt` dictionary, which is never itself
    /// encrypted or compressed, so a byte search finds it.
    static func hasEncryptDictionary(_ data: Data) -> Bool {
        data.range(of: Data("/Encrypt".utf8)) != nil
    }
}
