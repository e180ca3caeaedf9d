import Foundation
import TrawlPDF

/// One format's reader. Extractors are pure functions of the bytes and the limits: they run
/// inside the supervised worker processes, which cap memory and time around them.
public protocol DocumentExtractor: Sendable {
    /// Reads `data`; `name` (the attachment's URL or path) is used in messages.
    func extract(_ data: Data, name: String, context: ExtractionContext) throws -> DocumentExtraction
}

/// Limits and shared state for one attachment's extraction, passed down into bundles.
public struct ExtractionContext: Sendable {
    public var limits: DocumentLimits
    public var pdfLimits: PDFLimits
    public var passwords: [String]
    /// How many ZIP bundles deep this document sits.
    public var depth = 0
    /// Decompressed bytes still allowed for this attachment (shared by nested bundles).
    public let budget: ByteBudget

    public init(limits: DocumentLimits = DocumentLimits(), pdfLimits: PDFLimits = PDFLimits(), passwords: [String] = []) {
        self.limits = limits
        self.pdfLimits = pdfLimits
        self.passwords = passwords
        self.budget = ByteBudget(limits.maxTotalBytes)
    }
}

/// The decompressed bytes one attachment may still produce. One extraction runs on one
/// thread at a time, which is the invariant behind `@unchecked Sendable`.
public final class ByteBudget: @unchecked Sendable {
    public private(set) var remaining: Int
    init(_ total: Int) { remaining = total }

    /// Takes `bytes` from the budget, or throws `too_large` naming `what`.
    func spend(_ bytes: Int, on what: String) throws {
        guard bytes <= remaining else {
            throw DocumentError(.tooLarge, "\(what): the attachment expands beyond its limit of decompressed bytes")
        }
        remaining -= bytes
    }
}

/// Picks the extractor for a sniffed format.
public enum DocumentExtractors {
    public static func extractor(for format: DocumentFormat) -> (any DocumentExtractor)? {
        switch format {
        case .pdf: return PDFDocumentExtractor()
        case .hwp: return HWPExtractor()
        case .hwpx: return HWPXExtractor()
        case .docx: return DOCXExtractor()
        case .xlsx: return XLSXExtractor()
        case .pptx: return PPTXExtractor()
        case .odt, .ods, .odp: return ODFExtractor()
        case .rtf: return RTFExtractor()
        case .zip: return ZIPBundleExtractor()
        case .text: return PlainTextExtractor()
        case .hwp3, .doc, .xls, .ppt, .encryptedOffice, .image, .html, .unknown: return nil
        }
    }

    /// Extensions of formats that are ZIP containers: such a file that is no ZIP is damaged.
    static let containerExtensions: Set<String> = ["docx", "xlsx", "pptx", "odt", "ods", "odp", "hwpx"]

    /// Sniffs and extracts, refining a ZIP's format from its entries. A format without a
    /// reader is an `unsupported_format` error that says what the file is.
    public static func extract(_ data: Data, name: String, format hint: DocumentFormat? = nil,
                               context: ExtractionContext) throws -> DocumentExtraction {
        if data.isEmpty { throw DocumentError(.empty, "\(name): empty file") }
        var format = hint ?? FormatSniffer.sniff(data, filename: name)
        if format == .zip || format == .docx || format == .xlsx || format == .pptx || format == .hwpx
            || format == .odt || format == .ods || format == .odp {
            format = try ZipArchive.open(data, name: name).containerFormat ?? .zip
        }
        if format == .encryptedOffice {
            throw DocumentError(.encrypted, "\(name): a password-protected Office document (its package is encrypted)")
        }
        let ext = (name as NSString).pathExtension.lowercased()
        if format == .unknown || format == .text, Self.containerExtensions.contains(ext) {
            throw DocumentError(.damaged, "\(name): named .\(ext) but the bytes are not a ZIP container")
        }
        guard let extractor = extractor(for: format) else {
            throw DocumentError(.unsupportedFormat, "\(name): \(FormatSniffer.describe(format)) cannot be read by Trawl")
        }
        var x = try extractor.extract(data, name: name, context: context)
        x.format = format
        if x.text.utf8.count > context.limits.maxChars && x.text.unicodeScalars.count > context.limits.maxChars {
            x.text = String(String.UnicodeScalarView(x.text.unicodeScalars.prefix(context.limits.maxChars)))
            x.truncated = true
        }
        return x
    }
}
