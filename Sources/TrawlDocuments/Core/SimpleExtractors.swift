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
public struct PlainTextExtractor: DocumentExtractor {
    public init() {}

    public func extract(_ data: Data, name: String, context: ExtractionContext) throws -> DocumentExtraction {
        var x = DocumentExtraction(format: .text, text: Self.decode(data))
        x.parts = 1
        return x
    }

    /// The text of a plain-text file, without its byte-order mark.
    public static func decode(_ data: Data) -> String {
        let text: String
        if data.starts(with: [0xFF, 0xFE]) {
            let units = stride(from: data.startIndex + 2, to: data.endIndex - 1, by: 2).map { UInt16(data[$0]) | UInt16(data[$0 + 1]) << 8 }
            text = String(decoding: units, as: UTF16.self)
        } else if data.starts(with: [0xFE, 0xFF]) {
            let units = stride(from: data.startIndex + 2, to: data.endIndex - 1, by: 2).map { UInt16(data[$0]) << 8 | UInt16(data[$0 + 1]) }
            text = String(decoding: units, as: UTF16.self)
        } else if let s = String(validating: data, as: UTF8.self) {
            text = s
        } else {
            text = CharsetDetector.decode(data, encoding: "CP949") ?? String(decoding: data, as: UTF8.self)
        }
        return text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
    }
}
