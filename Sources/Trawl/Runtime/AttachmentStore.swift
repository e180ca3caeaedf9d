import Foundation
import TrawlDedup
import TrawlHTML

/// Extracts each attachment once per run, however many pages link it. A finished result is
/// spilled to disk and only its key stays in memory, so memory does not grow with the size of
/// the attachments already seen; a page that arrives while the first extraction is still
/// running waits for it instead of starting a second one.
actor AttachmentStore {
    private enum Entry {
        case running(Task<AttachmentRecord, Never>)
        case done(file: URL)
    }

    private var entries: [String: Entry] = [:]
    private let spillDirectory: URL
    private let extractor: AttachmentExtractor
    private(set) var extractedCount = 0
    private(set) var reusedCount = 0

    init(spillDirectory: URL, pdf: PDFService) {
        self.spillDirectory = spillDirectory
        self.extractor = AttachmentExtractor(pdf: pdf)
    }

    /// The attachment behind `link` (canonical URL `canonical`), as seen from one page.
    func attachment(link: PageLink, canonical: URL, layout: MirrorLayout, maxBytes: Int) async -> AttachmentRecord {
        let key = canonical.absoluteString
        let shared: AttachmentRecord
        switch entries[key] {
        case .running(let task)?:
            reusedCount += 1
            shared = await task.value
        case .done(let file)?:
            reusedCount += 1
            shared = Self.load(file) ?? AttachmentRecord(
                url: link.url.absoluteString, canonicalURL: key,
                error: ItemError(stage: .attachment, kind: "read", message: "\(key): cached extraction lost"))
        case nil:
            extractedCount += 1
            let extractor = self.extractor
            let task = Task<AttachmentRecord, Never> {
                await Self.fetchAndExtract(link: link, canonical: canonical, layout: layout, maxBytes: maxBytes, extractor: extractor)
            }
            entries[key] = .running(task)
            shared = await task.value
            let file = spillDirectory.appendingPathComponent(Fingerprint.sha256Hex(key) + ".json")
            if Self.save(shared, to: file) { entries[key] = .done(file: file) }
        }
        // The file is shared; the way this page links it is its own.
        var record = shared
        record.url = link.url.absoluteString
        record.linkText = link.text.isEmpty ? nil : link.text
        record.filename = AttachmentName.make(url: link.url, linkText: link.text)
        return record
    }

    private static func fetchAndExtract(link: PageLink, canonical: URL, layout: MirrorLayout, maxBytes: Int,
                                        extractor: AttachmentExtractor) async -> AttachmentRecord {
        let name = link.url.absoluteString
        let failed = { (kind: String, message: String) in
            AttachmentRecord(url: name, canonicalURL: canonical.absoluteString,
                             filename: AttachmentName.make(url: link.url, linkText: link.text),
                             linkText: link.text.isEmpty ? nil : link.text,
                             error: ItemError(stage: .attachment, kind: kind, message: message))
        }
        switch layout.resolve(link.url) {
        case .offSite:
            return failed("off_site", "\(name): not on the mirrored host, not fetched")
        case .missing:
            return failed("missing", "\(name): the mirror has no file for this attachment")
        case .file(let file):
            switch await BlockingPool.run({ BoundedFileReader.read(file, limit: maxBytes, name: name, stage: .attachment) }) {
            case .failure(let error): return failed(error.kind, error.message)
            case .success(let data):
                return await extractor.extract(data: data, file: file, url: link.url, canonicalURL: canonical, linkText: link.text)
            }
        }
    }

    private static func save(_ record: AttachmentRecord, to file: URL) -> Bool {
        guard let data = try? JSONEncoder().encode(record) else { return false }
        return (try? data.write(to: file)) != nil
    }

    private static func load(_ file: URL) -> AttachmentRecord? {
        guard let data = try? Data(contentsOf: file) else { return nil }
        return try? JSONDecoder().decode(AttachmentRecord.self, from: data)
    }
}
