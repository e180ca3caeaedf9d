import Foundation
import TrawlDedup
import TrawlHTML
import TrawlNormalize

/// Builds the record of one release page from what was scraped and its attachments.
struct RecordAssembler: Sendable {
    /// The text near-duplicates are judged on: what a reader sees of the release.
    static func signatureText(of record: Record) -> String {
        (record.title ?? "") + "\n" + record.text
    }

    func record(task: ReleaseTask, page: ScrapedPage, attachments: [AttachmentRecord]) -> Record {
        let id = Fingerprint.recordID(canonicalURL: task.canonicalURL)
        // Re-posts are recognised by what a reader sees: the title and the body.
        let content = (page.title ?? "") + "\n" + page.text
        var record = Record(id: id, source: task.source, url: task.url.absoluteString,
                      canonicalURL: task.canonicalURL.absoluteString, title: page.title,
                      published: page.published, language: page.language, fields: page.fields,
                      text: page.text, attachments: attachments,
                      contentSHA256: Fingerprint.sha256Hex(content), duplicateOf: nil,
                      provenance: page.provenance, encoding: page.encoding.encoding)
        record.updated = page.updated
        record.siteName = page.siteName
        return record
    }
}
