import Foundation
import TrawlHTML
import TrawlPDF

/// PDFs through poppler, behind the same seam as every other format; the full extraction
/// rides along in `pdf` so the record keeps its PDF block.
struct PDFDocumentExtractor: DocumentExtractor {
    func extract(_ data: Data, name: String, context: ExtractionContext) throws -> DocumentExtraction {
        do {
            let pdf = try PDFExtractor(passwords: context.passwords, limits: context.pdfLimits).extract(data, name: name)
            var x = DocumentExtraction(format: .pdf, text: pdf.text)
            x.pdf = pdf
            x.parts = pdf.pageCount
            x.encrypted = pdf.encrypted
            x.truncated = pdf.truncated
            return x
        } catch let e as PDFError {
            switch e.code {
            case .encrypted: throw DocumentError(.encrypted, e.message)
            case .empty: throw DocumentError(.empty, e.message)
            case .tooLarge: throw DocumentError(.tooLarge, e.message)
            default: throw DocumentError(.damaged, e.message)
            }
        }
    }
}

/// Plain text and CSV: UTF-8 (with or without a byte-order mark), UTF-16 with one, or the
/// legacy Korean code page.
struct PlainTextExtractor: DocumentExtractor {
    func extract(_ data: Data, name: String, context: ExtractionContext) throws -> DocumentExtraction {
        let text: String
        if data.starts(with: [0xFF, 0xFE]) { text = String(decoding: data.dropFirst(2).withUnsafeBytes { Array($0.bindMemory(to: UInt16.self)) }, as: UTF16.self) }
        else if let s = String(validating: data, as: UTF8.self) { text = s }
        else { text = CharsetDetector.decode(data, encoding: "CP949") ?? String(decoding: data, as: UTF8.self) }
        var x = DocumentExtraction(format: .text, text: text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text)
        x.parts = 1
        return x
    }
}
