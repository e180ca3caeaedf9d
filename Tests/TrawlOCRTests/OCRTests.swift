import Foundation
import Testing
import TrawlDocuments
import TrawlPDF
@testable import TrawlOCR

/// Tesseract through Trawl's engine on pages drawn from the Fixtures' text PDF, whose words
/// are known: images, multi-page TIFFs, the page allowance, the deadline and hostile images.
@Suite struct OCRTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixturePDF = root.appendingPathComponent("Fixtures/extra/budget-plan-reexport.pdf")

    static var tessdata: String? { try? TessData.locate(languages: ["kor", "eng"], configured: nil) }

    static func page(dpi: Double = 300) throws -> GrayImage {
        let renderer = try #require(PDFPageRenderer(data: try Data(contentsOf: fixturePDF), passwords: []))
        return try renderer.render(page: 0, dpi: dpi, maxPixels: 0).get().image
    }

    static func words(_ s: String) -> Set<String> {
        Set(s.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init))
    }

    @Test func aDrawnPageIsReadWithItsConfidence() throws {
        guard let tessdata = Self.tessdata else { print("SKIPPED: no Korean/English tessdata"); return }
        let image = try Self.page()
        let page = try OCREngines.with(languages: ["kor", "eng"], tessdata: tessdata) { engine in
            PageReader(deadline: .seconds(60), lowConfidence: 60).read(image, engine: engine, number: 1, reason: "test")
        }
        // Words of the page's text layer (pdftotext).
        let truth = Self.words("budget semiconductors batteries quantum trillion programmes")
        let read = Self.words(page.text)
        #expect(truth.isSubset(of: read), "missing \(truth.subtracting(read)) in: \(page.text.prefix(300))")
        #expect(page.failure == nil)
        #expect(page.info.source == .ocr)
        #expect((page.info.confidence ?? 0) > 80, "confidence \(page.info.confidence ?? -1)")
        #expect(page.info.lowConfidence == false)
        #expect(page.info.width == image.width && page.info.height == image.height)
    }

    @Test func multiPageTIFFFramesAreReadWithinTheAllowance() throws {
        guard let tessdata = Self.tessdata else { print("SKIPPED: no Korean/English tessdata"); return }
        let image = try Self.page(dpi: 200)
        let tiff = TIFF.file(pages: [image, image, image])
        var settings = OCRSettings()
        settings.maxPagesPerDocument = 5
        // Two frames allowed (what the run's budget left): the third is reported, not read.
        let x = try ImageExtractor(settings: settings, tessdata: tessdata, allowance: 2)
            .extract(tiff, name: "scan.tiff", context: ExtractionContext())
        #expect(x.parts == 3)
        let pages = try #require(x.ocr?.pages)
        #expect(pages.map(\.source) == [.ocr, .ocr, .skipped])
        #expect(pages[2].reason == "run_budget")
        #expect(pages[0].width == image.width && pages[0].height == image.height)
        #expect(x.text.components(separatedBy: "\u{0C}").count == 2)
        #expect(Self.words(x.text).contains("semiconductors"), "\(x.text.prefix(300))")
        #expect(x.ocr?.languages.map(\.code) == ["kor", "eng"])
        #expect(x.ocr?.languages.allSatisfy { ($0.data ?? "").contains(":") } == true, "\(x.ocr?.languages ?? [])")
        #expect(x.ocr?.engine.hasPrefix("tesseract ") == true)
    }

    @Test func hostileImagesAreTypedErrors() throws {
        guard let tessdata = Self.tessdata else { print("SKIPPED: no Korean/English tessdata"); return }
        let extractor = ImageExtractor(settings: OCRSettings(), tessdata: tessdata, allowance: 10)
        func code(_ data: Data) -> DocumentError.Code? {
            do { _ = try extractor.extract(data, name: "img", context: ExtractionContext()); return nil } catch let e as DocumentError {
                #expect(e.message.hasPrefix("img: "), "\(e.message)")
                return e.code
            } catch { return nil }
        }
        // Not an image at all; a PNG signature followed by garbage; a TIFF that claims 20000×20000.
        #expect(code(Data("hello, not an image at all".utf8)) == .imageDamaged)
        #expect(code(Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 0x41, count: 200))) == .imageDamaged)
        #expect(code(TIFF.claiming(width: 20_000, height: 20_000)) == .ocrTooLarge)
    }

    @Test func aPageOverItsDeadlineIsATimeout() throws {
        guard let tessdata = Self.tessdata else { print("SKIPPED: no Korean/English tessdata"); return }
        let image = try Self.page()
        // Recognition checks the deadline between words; a millisecond has passed long before.
        let page = try OCREngines.with(languages: ["kor", "eng"], tessdata: tessdata) { engine in
            PageReader(deadline: .milliseconds(1), lowConfidence: 60).read(image, engine: engine, number: 1, reason: "test")
        }
        #expect(page.failure == "ocr/timeout")
        #expect(page.info.source == .skipped)
        #expect(page.text.isEmpty)
    }

    @Test func scannedPDFPagesAreOCREdAndGoodOnesLeftAlone() throws {
        guard let tessdata = Self.tessdata else { print("SKIPPED: no Korean/English tessdata"); return }
        let data = try Data(contentsOf: Self.fixturePDF)
        let ocr = PDFPageOCR(settings: OCRSettings(), tessdata: tessdata, passwords: [])
        var good = try PDFExtractor().extract(data, name: "good.pdf")
        let before = good
        #expect(ocr.apply(to: &good, data: data, name: "good.pdf", allowance: 10) == 0)
        #expect(good == before, "a PDF with a good text layer must not change in auto mode")

        // The same document with its text layer gone: page 1 is read by OCR.
        var scanned = before
        scanned.pages = scanned.pages.map { _ in "" }
        let used = ocr.apply(to: &scanned, data: data, name: "scan.pdf", allowance: 10)
        #expect(used == scanned.pages.count)
        let info = try #require(scanned.ocr)
        #expect(info.pages.first?.source == .ocr)
        #expect(info.pages.first?.reason == "no_text_layer")
        #expect(info.pages.first?.dpi == 300)
        #expect(Self.words(scanned.pages[0]).contains("semiconductors"))
        #expect(scanned.quality.needsOCR == false)

        // No allowance left: the page is reported as skipped, its (empty) text kept.
        var starved = before
        starved.pages = starved.pages.map { _ in "" }
        #expect(ocr.apply(to: &starved, data: data, name: "scan.pdf", allowance: 0) == 0)
        #expect(starved.ocr?.pages.first?.source == .skipped)
        #expect(starved.ocr?.pages.first?.reason == "run_budget")
        #expect(starved.pages[0].isEmpty)
    }

    @Test func missingLanguageDataIsOneClearError() {
        do {
            _ = try TessData.locate(languages: ["kor", "zzz"], configured: nil)
            Issue.record("a language without data was accepted")
        } catch {
            let message = "\(error)"
            #expect(message.contains("zzz.traineddata"), "\(message)")
            #expect(!message.contains("kor.traineddata") || Self.tessdata == nil, "\(message)")
            #expect(message.contains("tesseract-ocr-zzz"), "\(message)")
        }
    }
}
