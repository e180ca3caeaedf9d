import Foundation
import TrawlDocuments
import TrawlOCR
import TrawlPDF

/// A PDF's extraction, the same in a worker process and in-process: poppler's text and
/// metadata, then OCR of the pages that need it (when OCR is on).
enum PDFJobRun {
    static func answer(id: Int, _ data: Data, name: String, passwords: [String], limits: PDFLimits,
                       ocr: OCRSettings?, tessdata: String?, allowance: Int,
                       pageStarts: (@Sendable (Int) -> Void)? = nil) -> ExtractionJobResult {
        let (result, pages) = extract(data, name: name, passwords: passwords, limits: limits, ocr: ocr, tessdata: tessdata,
                                      allowance: allowance, pageStarts: pageStarts)
        switch result {
        case .success(let x): return ExtractionJobResult(id: id, pdf: x, ocrPages: pages)
        case .failure(let e): return ExtractionJobResult(id: id, pdfError: e, ocrPages: pages)
        }
    }

    static func extract(_ data: Data, name: String, passwords: [String], limits: PDFLimits,
                        ocr: OCRSettings?, tessdata: String?, allowance: Int,
                        pageStarts: (@Sendable (Int) -> Void)? = nil) -> (result: Result<PDFExtraction, PDFError>, ocrPages: Int) {
        do {
            // The document stays open for OCR, so a scanned file is parsed once.
            let (extracted, renderer) = try PDFExtractor(passwords: passwords, limits: limits).extractKeepingDocument(data, name: name)
            var x = extracted
            var pages = 0
            if let ocr, ocr.isOn, let tessdata {
                pages = PDFPageOCR(settings: ocr, tessdata: tessdata, passwords: passwords, pageStarts: pageStarts)
                    .apply(to: &x, renderer: renderer, name: name, allowance: allowance)
            }
            return (.success(x), pages)
        } catch let e as PDFError {
            return (.failure(e), 0)
        } catch {
            return (.failure(PDFError(code: .damaged, message: "\(name): \(error)")), 0)
        }
    }
}

/// A non-PDF attachment's extraction, the same in a worker process and in-process: the
/// format's extractor from the registry, or OCR for an image when OCR is on.
enum DocumentJob {
    struct Outcome {
        var result: Result<DocumentExtraction, DocumentError>
        var ocrPages: Int

        func jobResult(id: Int) -> ExtractionJobResult {
            switch result {
            case .success(let x): return ExtractionJobResult(id: id, document: x, ocrPages: ocrPages)
            case .failure(let e): return ExtractionJobResult(id: id, documentError: e, ocrPages: ocrPages)
            }
        }
    }

    static func extract(_ data: Data, name: String, format: DocumentFormat, context: ExtractionContext,
                        ocr: OCRSettings?, tessdata: String?, allowance: Int, pageStarts: (@Sendable (Int) -> Void)? = nil) -> Outcome {
        do {
            if format == .image, let ocr, ocr.isOn, let tessdata {
                let x = try ImageExtractor(settings: ocr, tessdata: tessdata, allowance: allowance, pageStarts: pageStarts).extract(data, name: name, context: context)
                return Outcome(result: .success(x), ocrPages: x.ocr?.recognisedPages ?? 0)
            }
            return Outcome(result: .success(try DocumentExtractors.extract(data, name: name, format: format, context: context)), ocrPages: 0)
        } catch let e as DocumentError {
            // An image that failed was still worked on: charge its allowance's first page.
            return Outcome(result: .failure(e), ocrPages: format == .image ? 1 : 0)
        } catch {
            return Outcome(result: .failure(DocumentError(.damaged, "\(name): \(error)")), ocrPages: 0)
        }
    }
}
