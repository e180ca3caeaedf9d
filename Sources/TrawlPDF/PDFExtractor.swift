import CTrawlPoppler
import Foundation
import TrawlDedup
import TrawlNormalize

/// Reads text and metadata from PDF bytes with poppler, one parse per document.
///
/// The calls block for as long as poppler takes; callers run them off the cooperative pool.
public struct PDFExtractor: Sendable {
    /// Passwords to try, in order, when a file needs a user password.
    public var passwords: [String]
    public var limits: PDFLimits

    public init(password: String? = nil, passwords: [String] = [], limits: PDFLimits = PDFLimits()) {
        self.passwords = (password.map { [$0] } ?? []) + passwords
        self.limits = limits
    }

    /// Extracts `data`; `name` (a URL or path) is used in error messages.
    public func extract(_ data: Data, name: String) throws -> PDFExtraction {
        try extract(data, name: name, depth: 0).extraction
    }

    /// Extracts `data` and returns the open document with it, so that pages can be drawn
    /// (for OCR) without parsing the file a second time.
    public func extractKeepingDocument(_ data: Data, name: String) throws -> (extraction: PDFExtraction, renderer: PDFPageRenderer) {
        let (extraction, document) = try extract(data, name: name, depth: 0)
        return (extraction, PDFPageRenderer(document: document))
    }

    /// The document, opened without a password or with the first configured one that works.
    func open(_ data: Data, name: String) throws -> PDFDocument {
        func attempt(_ password: String?) throws -> PDFDocument? {
            do {
                return try PDFDocument(data: data, password: password)
            } catch .encrypted {
                return nil
            } catch .memory {
                throw PDFError(code: .damaged, message: "\(name): cannot be read as PDF (out of memory)")
            } catch .damaged(let reason) {
                throw PDFError(code: .damaged, message: "\(name): cannot be read as PDF (\(reason))")
            }
        }
        if let document = try attempt(nil) { return document }
        for password in passwords {
            if let document = try? attempt(password) { return document }
        }
        throw PDFError(code: .encrypted, message: passwords.isEmpty ? "\(name): encrypted, a user password is required"
                       : "\(name): encrypted, and none of the \(passwords.count) configured passwords opens it")
    }

    private func extract(_ data: Data, name: String, depth: Int) throws -> (extraction: PDFExtraction, document: PDFDocument) {
        guard !data.isEmpty else { throw PDFError(code: .empty, message: "\(name): empty file") }
        guard Self.hasPDFHeader(data) else {
            throw PDFError(code: .notPDF, message: "\(name): not a PDF (no %PDF- header in the first 1024 bytes)")
        }
        let document = try open(data, name: name)
        var pages: [String] = []
        var fields: [String] = []
        var annotations: [String] = []
        var truncated = document.pageCount > limits.maxPages
        var chars = 0
        for i in 0..<min(document.pageCount, limits.maxPages) {
            if chars >= limits.maxChars { truncated = true; break }
            guard document.pageExists(i) else { pages.append(""); continue }
            let pageFields = document.formFields(ofPage: i)
            let pageAnnotations = document.annotationTexts(ofPage: i)
            var text = document.text(ofPage: i) ?? ""
            // A note, or a filled field, whose appearance draws no text (the producer did
            // not regenerate it) still says something: it follows the drawn text.
            // Drawn values may wrap across lines, so white space is not compared.
            let values = pageFields.flatMap { $0.split(separator: "\n").map(String.init) }
            if !(pageAnnotations.isEmpty && values.isEmpty) {
                var extra: [String] = []
                let drawn = Self.collapsingWhiteSpace(text)
                for value in pageAnnotations + values {
                    let v = Self.collapsingWhiteSpace(value)
                    if !v.isEmpty, !drawn.contains(v), !extra.contains(value) { extra.append(value) }
                }
                text = ([text] + extra).filter { !$0.isEmpty }.joined(separator: "\n")
            }
            if chars + text.count > limits.maxChars {
                text = String(text.prefix(limits.maxChars - chars))
                truncated = true
            }
            chars += text.count
            pages.append(text)
            fields += pageFields
            annotations += pageAnnotations
        }
        var extraction = PDFExtraction(pages: pages, pageCount: document.pageCount, version: document.version,
                                       info: document.info, xmp: document.xmp, encrypted: Self.hasEncryptDictionary(data),
                                       formFields: fields, annotations: annotations)
        extraction.truncated = truncated
        extraction.quality = PDFQuality(pages: pages)
        extraction.embedded = embedded(in: document, name: name, depth: depth)
        return (extraction, document)
    }

    /// Embedded files, each extracted in turn when it is a PDF and the depth allows.
    private func embedded(in document: PDFDocument, name: String, depth: Int) -> [EmbeddedFile] {
        document.embeddedFiles(maxBytes: limits.maxEmbeddedBytes).map { file in
            let inner = "\(name)#embedded/\(file.name)"
            guard let data = file.data else {
                return EmbeddedFile(name: file.name, bytes: file.size, sha256: "", pdf: nil,
                                    error: PDFError(code: .tooLarge, message: "\(inner): \(file.size) bytes, over the limit of \(limits.maxEmbeddedBytes) for embedded files"))
            }
            var entry = EmbeddedFile(name: file.name, bytes: data.count, sha256: Fingerprint.sha256Hex(data), pdf: nil, error: nil)
            if Self.hasPDFHeader(data), depth < limits.maxEmbeddedDepth {
                do { entry.pdf = try extract(data, name: inner, depth: depth + 1).extraction } catch let e as PDFError { entry.error = e } catch {}
            }
            return entry
        }
    }

    /// `s` with every run of white space made one space, and none at either end.
    static func collapsingWhiteSpace(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for u in s.unicodeScalars {
            if u.isWhitespaceFast { pendingSpace = !out.isEmpty; continue }
            if pendingSpace { out.append(" "); pendingSpace = false }
            out.append(u)
        }
        return String(out)
    }

    /// PDF readers accept the header anywhere in the first 1024 bytes.
    public static func hasPDFHeader(_ data: Data) -> Bool {
        contains(Array("%PDF-".utf8), in: data.prefix(1024))
    }

    /// The trailer of an encrypted file names an `/Encrypt` dictionary, which is never itself
    /// encrypted or compressed, so a byte search finds it.
    static func hasEncryptDictionary(_ data: Data) -> Bool {
        contains(Array("/Encrypt".utf8), in: data)
    }

    /// A plain byte search (glibc's `memmem`): Foundation's `Data.range(of:)` is several
    /// times slower on Linux, and this one runs over every byte of every PDF.
    static func contains(_ needle: [UInt8], in data: Data) -> Bool {
        guard !needle.isEmpty, data.count >= needle.count else { return false }
        return data.withUnsafeBytes { hay in
            needle.withUnsafeBytes { n in trawl_pdf_bytes_contain(hay.baseAddress, hay.count, n.baseAddress, n.count) != 0 }
        }
    }
}
