import Foundation
import Testing
@testable import TrawlPDF

/// Pages drawn for OCR must look as `pdftoppm -gray` draws them, although this process runs
/// poppler with flat colour transforms for text (CTrawlLCMS): the renderer switches them off.
@Suite struct PDFRenderTests {
    /// Pages whose colours go through lcms (ICC colour spaces, output intents: with the flat
    /// transforms left on, each of the first five draws differently from pdftoppm), a Korean
    /// Hancom export, CMYK and gray images.
    static let pages = [
        "pdfs-real/opendataloader-pdf/PDFUA-Ref-2-08_BookChapter.pdf",
        "pdfs-real/pdfminer.six/nlp2004slides.pdf",
        "pdfs-real/pdfcpu/Acroforms2.pdf",
        "pdfs-real/opendataloader-pdf/PDFUA-Ref-2-10_Form.pdf",
        "pdfs-real/pdfminer.six/font-size-test.pdf",
        "pdfs-real/opendataloader-pdf/2125318_의사국 의안과_의안원문_hwp.pdf",
        "pdfs-real/py-pdf_sample-files/cmyk-image.pdf",
        "pdfs-real/py-pdf_sample-files/grayscale-image.pdf",
    ]

    @Test func pagesAreDrawnAsPdftoppmDrawsThem() throws {
        guard let root = Corpus.rootOrSkip("pagesAreDrawnAsPdftoppmDrawsThem") else { return }
        guard Corpus.toolExists("pdftoppm") else { print("SKIPPED pagesAreDrawnAsPdftoppmDrawsThem: pdftoppm is not installed"); return }
        // Text first, so the flat transforms are in force in this process, as in a worker.
        _ = try? PDFExtractor().extract(try Data(contentsOf: root.appendingPathComponent(Self.pages[0])), name: "warm-up")
        #expect(PDFDocument.colourIsFlat, "the flat colour transforms should be installed for text")
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("trawl-render-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        var compared = 0
        for page in Self.pages {
            let file = root.appendingPathComponent(page)
            guard let data = try? Data(contentsOf: file) else { print("SKIPPED \(page): absent"); continue }
            // As a worker draws a page for OCR: from the document its text was just read from.
            let renderer = try PDFExtractor().extractKeepingDocument(data, name: page).renderer
            let drawn = try renderer.render(page: 0, dpi: 100, maxPixels: 0).get()
            #expect(drawn.dpi == 100)
            let prefix = scratch.appendingPathComponent("p\(compared)").path
            let status = Corpus.run("pdftoppm", ["-gray", "-r", "100", "-f", "1", "-l", "1", "-singlefile", file.path, prefix])?.status
            #expect(status == 0, "\(page): pdftoppm failed")
            let reference = try [UInt8](Data(contentsOf: URL(fileURLWithPath: prefix + ".pgm")))
            let mine = drawn.image.pgm
            #expect(mine.count == reference.count, "\(page): \(drawn.image.width)×\(drawn.image.height) against pdftoppm's \(String(decoding: reference.prefix(20), as: UTF8.self).split(separator: "\n").dropFirst().first ?? "?")")
            if mine.count == reference.count {
                let differing = zip(mine, reference).filter { $0 != $1 }.count
                #expect(differing == 0, "\(page): \(differing) of \(mine.count) bytes differ from pdftoppm -gray")
            }
            // The flat transforms are back in force for the next document's text.
            #expect(PDFDocument.colourIsFlat, "\(page): rendering left the colour transforms switched off")
            compared += 1
        }
        #expect(compared >= 4)
    }
}
