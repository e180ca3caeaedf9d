import Foundation
import TrawlConcurrency
import TrawlDedup
import TrawlDocuments
import TrawlHTML
import TrawlNormalize
import TrawlPDF

/// Turns an attachment's bytes into an `AttachmentRecord`: type, hash, text and metadata, for
/// every format. Failures are values on the record, never thrown: one bad file must not cost
/// its page. An attachment without text always says why (`error`).
public struct AttachmentExtractor: Sendable {
    public var extraction: ExtractionService

    public init(extraction: ExtractionService = ExtractionService(settings: ExtractionSettings(), pool: nil, ledger: nil)) {
        self.extraction = extraction
    }

    /// Describes and extracts one file. `file` is where its bytes are on disk, if they are
    /// (worker processes read them from there).
    public func extract(data: Data, file: URL? = nil, url: URL, canonicalURL: URL, linkText: String) async -> AttachmentRecord {
        let filename = AttachmentName.make(url: url, linkText: linkText)
        let format = FormatSniffer.sniff(data, filename: filename ?? url.lastPathComponent)
        var record = AttachmentRecord(url: url.absoluteString, canonicalURL: canonicalURL.absoluteString,
                                      filename: filename, linkText: linkText.isEmpty ? nil : linkText,
                                      mediaType: FormatSniffer.mediaType(of: data, filename: filename),
                                      bytes: data.count, sha256: Fingerprint.sha256Hex(data))
        record.format = format.rawValue
        let name = url.absoluteString
        let ext = filename.map { ($0 as NSString).pathExtension.lowercased() }
        if data.isEmpty {
            record.error = ItemError(stage: .attachment, kind: "empty", message: "\(name): empty file")
            return record
        }
        switch format {
        case .pdf:
            switch await extraction.extractPDF(data: data, path: file?.path, name: name, sha256: record.sha256 ?? Fingerprint.sha256Hex(data)) {
            case .success(let x): Self.apply(x, to: &record)
            case .failure(let e): record.error = ItemError(stage: .pdf, kind: e.code.rawValue, message: e.message)
            }
        case _ where ext == "pdf":
            let what = format == .html ? "an HTML page" : "not a PDF"
            record.error = ItemError(stage: .pdf, kind: "not_pdf", message: "\(name): named .pdf but the bytes are \(what) (no %PDF- header)")
        case .text:
            // UTF-8, UTF-16 with a byte-order mark, or the legacy Korean code page.
            record.text = TextNormalizer().normalize(PlainTextExtractor.decode(data))
            if record.text?.isEmpty != false { record.error = Self.noText(name, format: format) }
        case .html:
            // An HTML attachment (a "printable version", an annex page) is read like a page.
            let page = await BlockingPool.run { try? PageScraper().scrapeRelease(bytes: data, url: url, rules: ExtractionRules()) }
            record.text = page.map(\.text).flatMap { $0.isEmpty ? nil : $0 }
            if record.text == nil { record.error = Self.noText(name, format: format) }
        default:
            let readable = format == .image ? extraction.ocrEnabled : format.isExtractable && DocumentExtractors.extractor(for: format) != nil
            guard readable else {
                record.error = ItemError(stage: .attachment, kind: DocumentError.Code.unsupportedFormat.rawValue,
                                         message: "\(name): \(FormatSniffer.describe(format)) cannot be read by Trawl")
                return record
            }
            switch await extraction.extractDocument(data: data, path: file?.path, name: name,
                                             sha256: record.sha256 ?? Fingerprint.sha256Hex(data), format: format) {
            case .success(let x): Self.apply(x, to: &record)
            case .failure(let f): record.error = f.itemError
            }
        }
        return record
    }

    static func noText(_ name: String, format: DocumentFormat) -> ItemError {
        ItemError(stage: .attachment, kind: "no_text", message: "\(name): the \(format.rawValue) file holds no text")
    }

    /// Copies a non-PDF extraction onto the record: normalised text, cleaned metadata, quality,
    /// and a ZIP bundle's members as embedded attachments of their own.
    static func apply(_ x: DocumentExtraction, to record: inout AttachmentRecord) {
        let normalizer = TextNormalizer()
        record.format = x.format.rawValue
        record.mediaType = x.format.mediaType
        if let p = x.pdf {
            apply(p, to: &record)
            return
        }
        defer { if let ocr = x.ocr { Self.apply(ocr, to: &record) } }
        let parts = x.text.components(separatedBy: "\u{0C}").map(normalizer.normalize).filter { !$0.isEmpty }
        let text = parts.joined(separator: "\n\u{0C}\n")
        record.text = text.isEmpty ? nil : text
        let meta = DocumentMetadataCleaner.clean(x.metadata)
        let quality = PDFQuality(pages: [text])
        record.document = DocumentInfo(title: meta.title, author: meta.author, subject: meta.subject, keywords: meta.keywords,
                                       created: meta.created, modified: meta.modified, application: meta.application,
                                       parts: x.parts, encrypted: x.encrypted, distribution: x.distribution, truncated: x.truncated,
                                       comments: x.comments.map(normalizer.normalize).filter { !$0.isEmpty }, warnings: x.warnings,
                                       quality: DocumentQuality(text: text, garbledRatio: quality.garbledRatio))
        record.embedded = x.members.map { member in
            let url = record.url + "#member/" + (member.name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? "file")
            // The display name is the member's own name; its folders stay in the URL fragment.
            var inner = AttachmentRecord(url: url, canonicalURL: url, filename: AttachmentName.clean(member.name.split(separator: "/").last.map(String.init) ?? member.name),
                                         mediaType: member.format.mediaType, bytes: member.bytes,
                                         sha256: member.sha256.isEmpty ? nil : member.sha256)
            inner.format = member.format.rawValue
            if let m = member.extraction { apply(m, to: &inner) }
            if let e = member.error {
                inner.error = ItemError(stage: .attachment, kind: e.code.rawValue, message: e.message)
            } else if inner.text == nil && inner.error == nil {
                inner.error = noText(url, format: member.format)
            }
            return inner
        }
        if record.text == nil && record.error == nil {
            // A bundle without text says why through its members: their first failure's kind,
            // and each member's reason in the message.
            let failed = record.embedded.compactMap { m in m.error.map { (m.filename ?? m.url, $0) } }
            if x.format == .zip, let first = failed.first {
                let reasons = failed.prefix(5).map { "\($0.0): \($0.1.kind)" }.joined(separator: "; ")
                record.error = ItemError(stage: .attachment, kind: first.1.kind,
                                         message: "\(record.url): none of its \(record.embedded.count) members yielded text (\(reasons))")
            } else {
                record.error = noText(record.url, format: x.format)
            }
        }
    }

    /// Copies an extraction (made here or by a worker process) onto the record, embedded
    /// files included, with text and metadata normalised.
    static func apply(_ x: PDFExtraction, to record: inout AttachmentRecord) {
        let normalizer = TextNormalizer()
        record.format = DocumentFormat.pdf.rawValue
        // Junk Info values (tool defaults, impossible dates) are dropped; the title and dates
        // come from Info, XMP or the first page, whichever is trustworthy, with provenance.
        let meta = PDFMetadataCleaner().clean(x)
        record.pdf = PDFMetadata(pages: x.pageCount, version: x.version, encrypted: x.encrypted,
                                 title: meta.info.title, author: meta.info.author,
                                 subject: x.info.subject.map(normalizer.normalizeInline),
                                 keywords: x.info.keywords.map(normalizer.normalizeInline),
                                 creator: x.info.creator.map(normalizer.normalizeInline),
                                 producer: x.info.producer.map(normalizer.normalizeInline),
                                 created: meta.info.created, modified: meta.info.modified, xmp: x.xmp,
                                 formFields: x.formFields.count, annotations: x.annotations.count,
                                 truncated: x.truncated, quality: x.quality, provenance: meta.provenance)
        // Paragraphs rebuilt from lines, running headers and page numbers dropped, then the
        // usual normalisation; pages stay separated by a form feed.
        record.text = PDFTextCleaner().recordText(pages: x.pages)
        if let ocr = x.ocr { apply(ocr, to: &record) }
        let text = record.text ?? ""
        record.document = DocumentInfo(title: meta.info.title, author: meta.info.author,
                                       subject: x.info.subject.map(normalizer.normalizeInline),
                                       keywords: x.info.keywords.map(normalizer.normalizeInline),
                                       created: meta.info.created, modified: meta.info.modified,
                                       application: x.info.creator.map(normalizer.normalizeInline),
                                       parts: x.pageCount, encrypted: x.encrypted, distribution: nil, truncated: x.truncated,
                                       comments: x.annotations.map(normalizer.normalizeInline).filter { !$0.isEmpty }, warnings: [],
                                       quality: DocumentQuality(text: text, garbledRatio: x.quality.garbledRatio))
        record.embedded = x.embedded.map { file in
            let url = record.url + "#embedded/" + (file.name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? "file")
            var inner = AttachmentRecord(url: url, canonicalURL: url, filename: AttachmentName.clean(file.name),
                                         mediaType: file.pdf != nil ? "application/pdf" : nil,
                                         bytes: file.bytes, sha256: file.sha256.isEmpty ? nil : file.sha256)
            if let pdf = file.pdf { apply(pdf, to: &inner) }
            if let e = file.error { inner.error = ItemError(stage: .pdf, kind: e.code.rawValue, message: e.message) }
            return inner
        }
    }
}

extension AttachmentExtractor {
    /// Puts OCR's provenance on the record. A page OCR failed on (timeout, too large, not
    /// decodable) is the attachment's error even when other pages gave text, so the run's
    /// summary counts it; pages left out by a budget are reported on their page entry only.
    static func apply(_ ocr: OCRInfo, to record: inout AttachmentRecord) {
        record.ocr = ocr
        let failed = ocr.pages.filter { $0.source == .skipped && ($0.reason?.contains("/") ?? false) }
        guard let first = failed.first, record.error == nil, let kind = first.reason else { return }
        let pages = failed.map { String($0.page) }.joined(separator: ", ")
        let what = kind == "ocr/timeout" ? "recognition ran past its time limit" : kind == "ocr/too_large" ? "the image is over ocr.max_pixels"
            : kind == "image/damaged" ? "the image cannot be decoded" : "the page could not be recognised"
        record.error = ItemError(stage: .attachment, kind: kind,
                                 message: "\(record.url): OCR failed on page\(failed.count == 1 ? "" : "s") \(pages) of \(ocr.pages.count) (\(what))")
    }
}

/// Document metadata as PDF metadata is cleaned: white space normalised, empty values and
/// impossible dates dropped.
enum DocumentMetadataCleaner {
    static func clean(_ m: DocumentMetadata) -> DocumentMetadata {
        let n = TextNormalizer()
        func text(_ s: String?) -> String? {
            guard let s else { return nil }
            let t = n.normalizeInline(s)
            return t.isEmpty ? nil : t
        }
        var out = DocumentMetadata()
        out.title = text(m.title)
        out.author = text(m.author)
        out.subject = text(m.subject)
        out.keywords = text(m.keywords)
        out.application = text(m.application)
        out.created = date(m.created)
        out.modified = date(m.modified)
        return out
    }

    /// ISO 8601 dates between 1980 and next year are kept (trimmed of fractions of a second);
    /// Office's "never saved" 1601/1899 placeholders and garbage are not.
    static func date(_ s: String?) -> String? {
        guard let s = s?.trimmingCharacters(in: .whitespaces), s.count >= 10 else { return nil }
        let scalars = Array(s.unicodeScalars)
        guard let year = Int(String(String.UnicodeScalarView(scalars[0..<4]))), scalars[4] == "-", scalars[7] == "-",
              let month = Int(String(String.UnicodeScalarView(scalars[5..<7]))), let day = Int(String(String.UnicodeScalarView(scalars[8..<10]))),
              (1980...Calendar(identifier: .gregorian).component(.year, from: Date()) + 1).contains(year),
              (1...12).contains(month), (1...31).contains(day) else { return nil }
        var out = s
        if let dot = out.firstIndex(of: "."), out.distance(from: out.startIndex, to: dot) == 19 {
            let rest = out[dot...].drop { $0 == "." || $0.isNumber }
            out = String(out[..<dot]) + rest
        }
        return out
    }
}

extension DocumentQuality {
    /// The quality of `text`: its non-white-space characters, and the garbled share measured
    /// by the extractor's quality flags.
    init(text: String, garbledRatio: Double) {
        self.init(chars: text.unicodeScalars.lazy.filter { !$0.isWhitespaceFast }.count, garbledRatio: garbledRatio)
    }
}
