import Foundation
import TrawlPDF

/// One release page with its attachments nested: the unit Trawl writes and an index ingests.
/// Published as JSON Schema in `schema/record.schema.json`.
public struct Record: Sendable, Codable, Equatable {
    public static let schemaVersion = 1

    public var schemaVersion = Record.schemaVersion
    /// Stable across runs: derived from the canonical URL.
    public var id: String
    public var source: String
    public var url: String
    public var canonicalURL: String
    public var title: String?
    /// ISO 8601 date (or date-time) of publication.
    public var published: String?
    /// When the page says it was last updated (never confused with `published`).
    public var updated: String?
    public var siteName: String?
    public var language: String?
    public var fields: [String: String]
    public var text: String
    public var attachments: [AttachmentRecord]
    /// SHA-256 of the normalised title and text: equal for re-posted copies.
    public var contentSHA256: String
    /// The id of the original when this record repeats its content (exactly or nearly).
    public var duplicateOf: String?
    /// Estimated Jaccard similarity to `duplicate_of` (1 for an exact copy).
    public var similarity: Double?
    /// URLs of the records that repeat this one (on the original only).
    public var duplicateURLs: [String] = []
    /// Where each value came from (`xpath:…`, `meta:og:title`, `fallback:…`).
    public var provenance: [String: String]
    public var encoding: String

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", id, source, url, canonicalURL = "canonical_url", title
        case published, updated, siteName = "site_name", language, fields, text, attachments, contentSHA256 = "content_sha256"
        case duplicateOf = "duplicate_of", similarity, duplicateURLs = "duplicate_urls", provenance, encoding
    }

    public init(id: String, source: String, url: String, canonicalURL: String, title: String?,
                published: String?, language: String?, fields: [String: String], text: String,
                attachments: [AttachmentRecord], contentSHA256: String, duplicateOf: String?,
                provenance: [String: String], encoding: String) {
        self.id = id; self.source = source; self.url = url; self.canonicalURL = canonicalURL
        self.title = title; self.published = published; self.language = language
        self.fields = fields; self.text = text; self.attachments = attachments
        self.contentSHA256 = contentSHA256; self.duplicateOf = duplicateOf
        self.provenance = provenance; self.encoding = encoding
    }

    // Absent values are written as explicit nulls so that every record has the same keys.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schemaVersion, forKey: .schemaVersion)
        try c.encode(id, forKey: .id)
        try c.encode(source, forKey: .source)
        try c.encode(url, forKey: .url)
        try c.encode(canonicalURL, forKey: .canonicalURL)
        try c.encode(title, forKey: .title)
        try c.encode(published, forKey: .published)
        try c.encode(updated, forKey: .updated)
        try c.encode(siteName, forKey: .siteName)
        try c.encode(language, forKey: .language)
        try c.encode(fields, forKey: .fields)
        try c.encode(text, forKey: .text)
        try c.encode(attachments, forKey: .attachments)
        try c.encode(contentSHA256, forKey: .contentSHA256)
        try c.encode(duplicateOf, forKey: .duplicateOf)
        try c.encode(similarity, forKey: .similarity)
        try c.encode(duplicateURLs, forKey: .duplicateURLs)
        try c.encode(provenance, forKey: .provenance)
        try c.encode(encoding, forKey: .encoding)
    }
}

/// A file linked from a release page.
public struct AttachmentRecord: Sendable, Codable, Equatable {
    public var url: String
    public var canonicalURL: String
    /// A display name (from the link text or the URL), never used as a path.
    public var filename: String?
    public var linkText: String?
    public var mediaType: String?
    /// The sniffed format (`pdf`, `hwp`, `hwpx`, `docx`, `xlsx`, `pptx`, `odt`, `ods`, `odp`,
    /// `rtf`, `zip`, `text`, `html`, `image`, `doc`…), which picked the extractor.
    public var format: String?
    public var bytes: Int?
    public var sha256: String?
    public var pdf: PDFMetadata?
    /// What every format reports: metadata, parts, encryption, quality, comments.
    public var document: DocumentInfo?
    /// Normalised text; PDF pages are separated by a form feed (U+000C).
    public var text: String?
    public var error: ItemError?
    /// The earlier file this one repeats: the same bytes at another URL (similarity 1), or a
    /// PDF whose text is a near-duplicate (a re-export).
    public var duplicateOf: AttachmentDuplicate?
    /// Files embedded in this one (a PDF's attachments, a ZIP bundle's members), extracted
    /// the same way.
    public var embedded: [AttachmentRecord] = []
    /// Where each page's text came from when OCR read any of it: engine, language data,
    /// per page the source (`text` layer, `ocr`, `skipped`), confidence and segmentation.
    /// Absent when OCR did not run, so such records are unchanged by OCR being on.
    public var ocr: OCRInfo?

    enum CodingKeys: String, CodingKey {
        case url, canonicalURL = "canonical_url", filename, linkText = "link_text"
        case mediaType = "media_type", format, bytes, sha256, pdf, document, text, ocr, error, duplicateOf = "duplicate_of", embedded
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        url = try c.decode(String.self, forKey: .url)
        canonicalURL = try c.decode(String.self, forKey: .canonicalURL)
        filename = try c.decodeIfPresent(String.self, forKey: .filename)
        linkText = try c.decodeIfPresent(String.self, forKey: .linkText)
        mediaType = try c.decodeIfPresent(String.self, forKey: .mediaType)
        format = try c.decodeIfPresent(String.self, forKey: .format)
        document = try c.decodeIfPresent(DocumentInfo.self, forKey: .document)
        bytes = try c.decodeIfPresent(Int.self, forKey: .bytes)
        sha256 = try c.decodeIfPresent(String.self, forKey: .sha256)
        pdf = try c.decodeIfPresent(PDFMetadata.self, forKey: .pdf)
        text = try c.decodeIfPresent(String.self, forKey: .text)
        ocr = try c.decodeIfPresent(OCRInfo.self, forKey: .ocr)
        error = try c.decodeIfPresent(ItemError.self, forKey: .error)
        duplicateOf = try c.decodeIfPresent(AttachmentDuplicate.self, forKey: .duplicateOf)
        embedded = try c.decodeIfPresent([AttachmentRecord].self, forKey: .embedded) ?? []
    }

    public init(url: String, canonicalURL: String, filename: String? = nil, linkText: String? = nil,
                mediaType: String? = nil, bytes: Int? = nil, sha256: String? = nil,
                pdf: PDFMetadata? = nil, text: String? = nil, error: ItemError? = nil) {
        self.url = url; self.canonicalURL = canonicalURL; self.filename = filename
        self.linkText = linkText; self.mediaType = mediaType; self.bytes = bytes
        self.sha256 = sha256; self.pdf = pdf; self.text = text; self.error = error
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(url, forKey: .url)
        try c.encode(canonicalURL, forKey: .canonicalURL)
        try c.encode(filename, forKey: .filename)
        try c.encode(linkText, forKey: .linkText)
        try c.encode(mediaType, forKey: .mediaType)
        try c.encode(format, forKey: .format)
        try c.encode(bytes, forKey: .bytes)
        try c.encode(sha256, forKey: .sha256)
        try c.encode(pdf, forKey: .pdf)
        try c.encode(document, forKey: .document)
        try c.encode(text, forKey: .text)
        try c.encodeIfPresent(ocr, forKey: .ocr)
        try c.encode(error, forKey: .error)
        try c.encode(duplicateOf, forKey: .duplicateOf)
        try c.encode(embedded, forKey: .embedded)
    }
}

public struct AttachmentDuplicate: Sendable, Codable, Equatable {
    public var sha256: String
    public var url: String
    public var similarity: Double
}

/// What any attachment's extractor reported, in one shape for every format.
public struct DocumentInfo: Sendable, Codable, Equatable {
    public var title: String?
    public var author: String?
    public var subject: String?
    public var keywords: String?
    public var created: String?
    public var modified: String?
    /// The program that wrote the file.
    public var application: String?
    /// Pages (PDF), sections (HWP, HWPX), sheets, slides or bundle members.
    public var parts: Int
    /// The file is encrypted (and was read: a public key, or no password needed).
    public var encrypted: Bool
    /// Hancom's distribution (배포용) flag, for HWP and HWPX; null for other formats.
    public var distribution: Bool?
    /// Text was cut at `max_chars`.
    public var truncated: Bool
    /// Comments and annotations, kept apart from `text`.
    public var comments: [String]
    /// Problems that did not stop the extraction (a damaged section…).
    public var warnings: [String]
    public var quality: DocumentQuality

    enum CodingKeys: String, CodingKey {
        case title, author, subject, keywords, created, modified, application, parts, encrypted, distribution
        case truncated, comments, warnings, quality
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(title, forKey: .title)
        try c.encode(author, forKey: .author)
        try c.encode(subject, forKey: .subject)
        try c.encode(keywords, forKey: .keywords)
        try c.encode(created, forKey: .created)
        try c.encode(modified, forKey: .modified)
        try c.encode(application, forKey: .application)
        try c.encode(parts, forKey: .parts)
        try c.encode(encrypted, forKey: .encrypted)
        try c.encode(distribution, forKey: .distribution)
        try c.encode(truncated, forKey: .truncated)
        try c.encode(comments, forKey: .comments)
        try c.encode(warnings, forKey: .warnings)
        try c.encode(quality, forKey: .quality)
    }
}

/// Signals that let an index filter junk, for every format.
public struct DocumentQuality: Sendable, Codable, Equatable {
    /// Non-white-space characters of text.
    public var chars: Int
    /// Share of characters that are U+FFFD, private-use or control characters.
    public var garbledRatio: Double

    enum CodingKeys: String, CodingKey { case chars, garbledRatio = "garbled_ratio" }
}

/// What poppler reported about a PDF attachment.
public struct PDFMetadata: Sendable, Codable, Equatable {
    public var pages: Int
    public var version: String?
    public var encrypted: Bool
    public var title: String?
    public var author: String?
    public var subject: String?
    public var keywords: String?
    public var creator: String?
    public var producer: String?
    public var created: String?
    public var modified: String?
    public var xmp: String?
    public var formFields: Int
    public var annotations: Int
    /// Pages or characters were cut at the configured limits.
    public var truncated: Bool
    public var quality: PDFQuality
    /// Where title, author and dates came from: `info`, `xmp` or `first-page`.
    public var provenance: [String: String] = [:]

    enum CodingKeys: String, CodingKey {
        case pages, version, encrypted, title, author, subject, keywords, creator, producer
        case created, modified, xmp, formFields = "form_fields", annotations, truncated, quality, provenance
    }
}

/// A per-item failure: which stage, what kind, and a message naming the input.
public struct ItemError: Sendable, Codable, Equatable, Error, CustomStringConvertible {
    public enum Stage: String, Sendable, Codable { case source, fetch, page, attachment, pdf, write }

    public var stage: Stage
    /// A stable, machine-readable kind: `missing`, `too_large`, `not_pdf`, `damaged`,
    /// `encrypted`, `empty`, `parse`, `off_site`, `read`.
    public var kind: String
    public var message: String

    public init(stage: Stage, kind: String, message: String) {
        self.stage = stage; self.kind = kind; self.message = message
    }

    public var description: String { "\(stage.rawValue)/\(kind): \(message)" }

    /// The kind of an item cut short by a stopping run: not a failure, left for the next run.
    public static let cancelled = "cancelled"
    public var isCancellation: Bool { kind == Self.cancelled }

    /// A failure of the site or the network that may be gone on the next run (a timeout, a
    /// dropped connection, 408, 429, 5xx, an unreachable robots.txt): never a reason to change
    /// or delete what earlier runs wrote, and a reason to ask again next time.
    public var isTransient: Bool {
        guard stage == .fetch else { return false }
        if ["timeout", "connection", "retry_after", "robots", Self.cancelled].contains(kind) { return true }
        guard kind.hasPrefix("status_"), let status = Int(kind.dropFirst(7)) else { return false }
        return status == 408 || status == 429 || (500...599).contains(status)
    }
}
