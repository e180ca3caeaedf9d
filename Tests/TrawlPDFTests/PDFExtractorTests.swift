import Foundation
import Testing
@testable import TrawlPDF

@Suite struct PDFExtractorTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/archive/www.msit.example/bbs")

    func fixture(_ id: String) throws -> Data {
        try Data(contentsOf: Self.fixtures.appendingPathComponent("download.do?atchFileId=\(id)&fileSn=1"))
    }

    @Test func readsKoreanTextAndMetadata() throws {
        let x = try PDFExtractor().extract(fixture("FILE_000000000812006"), name: "ko.pdf")
        #expect(x.pageCount == 1)
        #expect(x.version == "1.5")
        #expect(x.pages[0].contains("정부는 2027년까지 총 8,262억 원을 투자한다."))
        #expect(x.info.title == "인공지능 반도체 산업 육성 전략")
        #expect(x.info.author == "과학기술정보통신부")
        #expect(x.info.creator == "Trawl fixture generator")
        // The offset the file states is kept, not converted to local time.
        #expect(x.info.created == "2024-01-25T10:00:00+09:00")
        #expect(!x.encrypted)
    }

    /// Poppler's colour transforms are flat once a document has been opened (colour never
    /// reaches text), and text is unaffected by it.
    @Test func colourManagementIsFlatDuringExtraction() throws {
        let x = try PDFExtractor().extract(fixture("FILE_000000000812006"), name: "ko.pdf")
        #expect(PDFDocument.colourIsFlat, "the lcms flat-intent plug-in is not in force")
        #expect(x.pages[0].contains("정부는 2027년까지 총 8,262억 원을 투자한다."))
    }

    @Test func byteSearchFindsNeedlesAnywhereAndOnlyWhole() {
        func has(_ needle: String, _ hay: String) -> Bool { PDFExtractor.contains(Array(needle.utf8), in: Data(hay.utf8)) }
        #expect(has("/Encrypt", "/Encrypt 5 0 R"))
        #expect(has("/Encrypt", "trailer<</Size 9/Encrypt 5 0 R>>"))
        #expect(has("/Encrypt", "x//Encrypt"))
        #expect(!has("/Encrypt", "/Encryp"))
        #expect(!has("/Encrypt", ""))
        #expect(PDFExtractor.hasPDFHeader(Data("junk %PDF-1.7".utf8)))
        #expect(!PDFExtractor.hasPDFHeader(Data((String(repeating: " ", count: 1024) + "%PDF-1.7").utf8)))
        // A match that straddles a slice's start must not count.
        let data = Data("%PDF-1.4 /Encrypt".utf8)
        #expect(PDFExtractor.contains(Array("/Encrypt".utf8), in: data.dropFirst(9)))
        #expect(!PDFExtractor.contains(Array("/Encrypt".utf8), in: data.dropFirst(10)))
    }

    @Test func pagesStaySeparate() throws {
        let x = try PDFExtractor().extract(fixture("FILE_000000000812001"), name: "en.pdf")
        #expect(x.pages.count == 2)
        #expect(x.pages[1].hasPrefix("Areas for long-term cooperation"))
        #expect(x.text.contains("\u{0C}"))
    }

    @Test func badInputGivesTypedErrors() throws {
        #expect(throws: PDFError(code: .empty, message: "e.pdf: empty file")) { try PDFExtractor().extract(Data(), name: "e.pdf") }
        do {
            _ = try PDFExtractor().extract(Data("<html>not a pdf</html>".utf8), name: "h.pdf")
            Issue.record("an HTML page was accepted as PDF")
        } catch let e as PDFError {
            #expect(e.code == .notPDF && e.message.hasPrefix("h.pdf:"))
        }
        do {
            _ = try PDFExtractor().extract(fixture("FILE_000000000812005"), name: "corrupt.pdf")
            Issue.record("the corrupt fixture PDF opened")
        } catch let e as PDFError {
            #expect(e.code == .damaged && e.message.contains("corrupt.pdf"))
        }
    }

    /// Filled form fields are drawn on the page, so their values are part of its text where
    /// pdftotext prints them. 인천 is the value of a field whose appearance was never drawn
    /// (poppler renders the box empty): it follows the page's drawn text instead of being lost.
    @Test func filledFormFieldsAreInThePageText() throws {
        guard let root = Corpus.rootOrSkip("filledFormFieldsAreInThePageText") else { return }
        let file = root.appendingPathComponent("pdfs-real/pdfcpu/korean.pdf")
        try #require(FileManager.default.fileExists(atPath: file.path), "corpus file missing: \(file.path)")
        let x = try PDFExtractor().extract(Data(contentsOf: file), name: "korean.pdf")
        try #require(x.pages.count == 2, "korean.pdf: expected 2 pages, got \(x.pages.count)")
        for value in ["재키", "암사슴", "2000.12.31", "인천"] {
            #expect(x.pages[1].contains(value), "page 2 of korean.pdf lacks the field value \(value)")
            #expect(x.formFields.contains(value), "korean.pdf's form fields lack \(value)")
        }
        let drawn = try #require(x.pages[1].range(of: "testdata/json/form/demo/korean.json"), "page 2 lacks its footer")
        let appended = try #require(x.pages[1].range(of: "인천"))
        #expect(appended.lowerBound > drawn.upperBound, "the undrawn value 인천 should follow the drawn text")
        #expect(!x.pages[0].contains("재키"), "page 1 of korean.pdf has page 2's field value")
    }

    @Test func userPasswordFilesReportEncrypted() throws {
        guard let root = Corpus.rootOrSkip("userPasswordFilesReportEncrypted") else { return }
        let file = root.appendingPathComponent("pdfs-real/py-pdf_sample-files/libreoffice-writer-password.pdf")
        try #require(FileManager.default.fileExists(atPath: file.path), "corpus file missing: \(file.path)")
        do {
            _ = try PDFExtractor().extract(Data(contentsOf: file), name: "pw.pdf")
            Issue.record("a user-password PDF opened without its password")
        } catch let e as PDFError {
            #expect(e.code == .encrypted)
        }
        // With the password from the corpus manifest it opens.
        let opened = try PDFExtractor(password: "openpassword").extract(Data(contentsOf: file), name: "pw.pdf")
        #expect(opened.encrypted && opened.pageCount == 1)
    }
}
