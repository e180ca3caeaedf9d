import Foundation
import TrawlConcurrency
import TrawlDedup
import TrawlDocuments
import TrawlHTML

/// One line of `trawl extract`: a page record for HTML, a file record for anything else.
public struct ExtractedFile: Sendable, Encodable {
    public var input: String
    /// `page` (HTML, scraped with fallbacks) or `file` (PDF and other attachments).
    public var kind: String
    public var record: Record?
    public var file: AttachmentRecord?
    public var error: ItemError?
}

/// `trawl extract`: HTML pages or attachments of any format to JSON, without a pipeline config.
public struct FileExtractor: Sendable {
    public var maxBytes: Int
    public var extraction: ExtractionService

    public init(maxBytes: Int = 100 << 20, extraction: ExtractionService) {
        self.maxBytes = maxBytes
        self.extraction = extraction
    }

    /// Extracts `path`; `url` is the address it was served from (for links and ids).
    public func extract(path: String, url: URL?) async -> ExtractedFile {
        let fileURL = URL(fileURLWithPath: path)
        let address = url ?? fileURL
        let data: Data
        switch BoundedFileReader.read(fileURL, limit: maxBytes, name: path, stage: .source) {
        case .failure(let error): return ExtractedFile(input: path, kind: "file", error: error)
        case .success(let d): data = d
        }
        let canonical = URLCanonicalizer().canonicalize(address) ?? address
        let type = FormatSniffer.mediaType(of: data, filename: fileURL.lastPathComponent)
        if type == "text/html" || (["html", "htm"].contains(fileURL.pathExtension.lowercased()) && type.hasPrefix("text/")) {
            return await BlockingPool.run {
                do {
                    let page = try PageScraper().scrapeRelease(bytes: data, url: address, rules: ExtractionRules())
                    let task = ReleaseTask(sequence: 0, source: "extract", url: address, canonicalURL: canonical, origin: .file(.success(fileURL)))
                    let links = page.attachments.map {
                        AttachmentRecord(url: $0.url.absoluteString,
                                         canonicalURL: (URLCanonicalizer().canonicalize($0.url) ?? $0.url).absoluteString,
                                         filename: AttachmentName.make(url: $0.url, linkText: $0.text),
                                         linkText: $0.text.isEmpty ? nil : $0.text)
                    }
                    return ExtractedFile(input: path, kind: "page",
                                         record: RecordAssembler().record(task: task, page: page, attachments: links))
                } catch {
                    return ExtractedFile(input: path, kind: "page",
                                         error: ItemError(stage: .page, kind: "parse", message: "\(path): \(error)"))
                }
            }
        }
        let record = await AttachmentExtractor(extraction: extraction).extract(data: data, file: fileURL, url: address, canonicalURL: canonical, linkText: "")
        return ExtractedFile(input: path, kind: "file", file: record, error: record.error)
    }

    /// Files as given; a directory stands for the regular files below it, sorted.
    public static func expand(_ paths: [String]) -> [String] {
        paths.flatMap { path -> [String] in
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue,
                  let e = FileManager.default.enumerator(atPath: path) else { return [path] }
            return e.compactMap { $0 as? String }
                .map { (path as NSString).appendingPathComponent($0) }
                .filter { var d: ObjCBool = false; return FileManager.default.fileExists(atPath: $0, isDirectory: &d) && !d.boolValue }
                .sorted()
        }
    }

    public static func jsonLine(_ file: ExtractedFile) -> String {
        let data = (try? TrawlJSON.encoder(pretty: false).encode(file)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
