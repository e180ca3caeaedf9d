import Foundation
import Testing
@testable import TrawlPDF
import TrawlSiteServer

/// The one-parse document layer (CTrawlPoppler) reads metadata, forms, notes and embedded
/// files as poppler-glib read them before, so records did not change when glib went.
@Suite struct PDFDocumentTests {
    /// A one-page PDF with the given extra objects (numbered from 4), page entries and
    /// catalog and Info entries.
    static func pdf(info: String = "", catalog: String = "", page: String = "", objects: [String] = []) -> Data {
        let all = ["<< /Type /Catalog /Pages 2 0 R \(catalog) >>",
                   "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                   "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 300] \(page) >>"] + objects + ["<< \(info) >>"]
        return MinimalPDF.write(objects: all, version: "1.7", trailer: "/Info \(all.count) 0 R ")
    }

    @Test func infoStringsAreDecodedAsPDFTextStrings() throws {
        // UTF-16BE with its mark ("보도"), PDFDocEncoding (0x93 is "fi"), and UTF-16LE.
        let data = Self.pdf(info: "/Title <FEFFBCF4B3C4> /Author (Caf\\351 \\223ne) /Subject <FFFE48006900>")
        let x = try PDFExtractor().extract(data, name: "info.pdf")
        #expect(x.info.title == "보도")
        #expect(x.info.author == "Café ﬁne")
        #expect(x.info.subject == "Hi")
        #expect(x.version == "1.7")
    }

    @Test func brokenUTF16GivesNoValueRatherThanGarbage() throws {
        // An unpaired surrogate, and an odd byte after the mark.
        let data = Self.pdf(info: "/Title <FEFFD800> /Author <FEFF0041 00>")
        let x = try PDFExtractor().extract(data, name: "broken.pdf")
        #expect(x.info.title == nil)
        #expect(x.info.author == nil)
    }

    @Test(arguments: [
        ("D:20240125100000+09'00'", "2024-01-25T10:00:00+09:00"),
        ("D:20240125100000+05'30'", "2024-01-25T10:00:00+05:30"),
        ("D:20240125100000-03'00'", "2024-01-25T10:00:00-03:00"),
        ("D:20240125100000Z", "2024-01-25T10:00:00Z"),
        ("D:20240125100000+00'00'", "2024-01-25T10:00:00Z"),
        ("D:20240125", "2024-01-25T00:00:00Z"),
        ("D:2024", "2024-01-01T00:00:00Z"),
    ])
    func infoDatesKeepTheirOffset(raw: String, iso: String) throws {
        let x = try PDFExtractor().extract(Self.pdf(info: "/CreationDate (\(raw))"), name: "date.pdf")
        #expect(x.info.created == iso, "\(raw)")
    }

    @Test(arguments: ["D:20241345100000Z", "D:20230229100000Z", "D:20240125250000Z", "not a date", ""])
    func impossibleDatesHaveNoValue(raw: String) throws {
        let x = try PDFExtractor().extract(Self.pdf(info: "/ModDate (\(raw))"), name: "date.pdf")
        #expect(x.info.modified == nil, "\(raw)")
    }

    @Test func notesAndFieldValuesWithoutAppearancesFollowThePageText() throws {
        // Two free-text notes and two filled text fields, none with an appearance stream.
        let data = Self.pdf(catalog: "/AcroForm << /Fields [6 0 R 7 0 R] >>",
                            page: "/Annots [4 0 R 5 0 R 6 0 R 7 0 R]",
                            objects: [
                                "<< /Type /Annot /Subtype /FreeText /Rect [10 10 100 30] /Contents (first note) /DA (/Helv 12 Tf) >>",
                                "<< /Type /Annot /Subtype /FreeText /Rect [10 40 100 60] /Contents (second note) /DA (/Helv 12 Tf) >>",
                                "<< /Type /Annot /Subtype /Widget /FT /Tx /T (a) /V (value A) /Rect [10 70 100 90] /P 3 0 R >>",
                                "<< /Type /Annot /Subtype /Widget /FT /Tx /T (b) /V (value B) /Rect [10 100 100 120] /P 3 0 R >>",
                            ])
        let x = try PDFExtractor().extract(data, name: "notes.pdf")
        // Notes in the page's order; fields last first, as poppler-glib listed them.
        #expect(x.annotations == ["first note", "second note"])
        #expect(x.formFields == ["value B", "value A"])
        // poppler draws the notes (as pdftotext prints them, top line first); the values,
        // which draw nothing, follow.
        #expect(x.pages == ["second note\nfirst note\nvalue B\nvalue A"])
    }

    @Test func embeddedFilesAreReadWithinTheirLimit() throws {
        let stream = "<< /Type /EmbeddedFile /Length 11 >>\nstream\nhello world\nendstream"
        let data = Self.pdf(catalog: "/Names << /EmbeddedFiles << /Names [(notes.txt) 5 0 R] >> >>",
                            objects: [stream, "<< /Type /Filespec /F (notes.txt) /EF << /F 4 0 R >> >>"])
        let x = try PDFExtractor().extract(data, name: "bundle.pdf")
        #expect(x.embedded.map(\.name) == ["notes.txt"])
        #expect(x.embedded.first?.bytes == 11)
        #expect(x.embedded.first?.sha256 == "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9")
        // Over the limit: listed with its size, without its bytes.
        var small = PDFLimits()
        small.maxEmbeddedBytes = 5
        let y = try PDFExtractor(limits: small).extract(data, name: "bundle.pdf")
        #expect(y.embedded.first?.bytes == 11)
        #expect(y.embedded.first?.sha256 == "")
        #expect(y.embedded.first?.error?.code == .tooLarge)
    }

    @Test func ocrDrawsFromTheDocumentTheTextCameFrom() throws {
        let (x, renderer) = try PDFExtractor().extractKeepingDocument(Self.pdf(), name: "blank.pdf")
        #expect(x.pageCount == 1 && renderer.pageCount == 1)
        let page = try renderer.render(page: 0, dpi: 72, maxPixels: 0).get()
        #expect(page.image.width == 300 && page.image.height == 300)
    }

    @Test func failuresKeepTheirWords() {
        // A file whose catalog is missing: the reason poppler gives, as before.
        let broken = Data("%PDF-1.4\n1 0 obj\n<< >>\nendobj\ntrailer\n<< /Root 9 0 R >>\n%%EOF\n".utf8)
        #expect {
            try PDFExtractor().extract(broken, name: "broken.pdf")
        } throws: { error in
            guard let e = error as? PDFError else { return false }
            return e.code == .damaged && e.message.hasPrefix("broken.pdf: cannot be read as PDF (")
        }
    }
}
