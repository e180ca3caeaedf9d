import Foundation
import TrawlDedup
import TrawlNormalize
import TrawlPDF

/// Turns an attachment's bytes into an `AttachmentRecord`: type, hash, PDF text and metadata.
/// Failures are values on the record, never thrown: one bad file must not cost its page.
public struct AttachmentExtractor: Sendable {
    public var pdf: PDFService

    public init(pdf: PDFService = PDFService(settings: PDFWorkerSettings(), pool: nil, ledger: nil)) {
        self.pdf = pdf
    }

    /// Describes and extracts one file. `file` is where its bytes are on disk, if they are
    /// (worker processes read PDFs from there).
    public func extract(data: Data, file: URL? = nil, url: URL, canonicalURL: URL, linkText: String) async -> AttachmentRecord {
        let filename = AttachmentName.make(url: url, linkText: linkText)
        var record = AttachmentRecord(url: url.absoluteString, canonicalURL: canonicalURL.absoluteString,
                                      filename: filename, linkText: linkText.isEmpty ? nil : linkText,
                                      mediaType: MediaSniffer.mediaType(of: data, filename: filename),
                                      bytes: data.count, sha256: Fingerprint.sha256Hex(data))
        let name = url.absoluteString
        let ext = filename.map { ($0 as NSString).pathExtension.lowercased() }
        if data.isEmpty {
            record.error = ItemError(stage: .attachment, kind: "empty", message: "\(name): empty file")
            return record
        }
        switch record.mediaType {
        case "application/pdf":
            switch await pdf.extract(data: data, path: file?.path, name: name, sha256: record.sha256 ?? Fingerprint.sha256Hex(data)) {
            case .success(let x): Self.apply(x, to: &record)
            case .failure(let e): record.error = ItemError(stage: .pdf, kind: e.code.rawValue, message: e.message)
            }
        case "text/plain", "text/csv":
            record.text = TextNormalizer().normalize(String(decoding: data, as: UTF8.self))
        default:
            if ext == "pdf" {
                let what = record.mediaType == "text/html" ? "an HTML page" : "not a PDF"
                record.error = ItemError(stage: .pdf, kind: "not_pdf", message: "\(name): named .pdf but the bytes are \(what) (no %PDF- header)")
            }
        }
        return record
    }

    /// Copies an extraction (made here or by a worker process) onto the record, embedded
    /// files included, with text and metadata normalised.
    static func apply(_ x: PDFExtraction, to record: inout AttachmentRecord) {
        let normalizer = TextNormalizer()
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
        record.text = PDFTextCleaner().clean(pages: x.pages).map(normalizer.normalize).joined(separator: "\n\u{0C}\n")
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
