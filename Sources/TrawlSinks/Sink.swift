import Crypto
import Foundation
import Trawl

/// A destination that the change feed is published to: it applies batches in feed order and
/// keeps a durable cursor, so a publish that was killed, or found the sink down, resumes where
/// the last applied batch ended, and a new sink can start from the beginning.
///
/// Sinks whose storage can hold the cursor (the embedded index, PostgreSQL) commit it with the
/// batch: each change is applied exactly once. The others (HTTP search engines) store it after
/// the engine acknowledged the batch; a batch may then be applied twice, which upserts by id
/// and deletes make harmless.
public protocol Sink: Sendable {
    var name: String { get }
    /// The kind, as the config names it (`index`, `postgres`, `elasticsearch`…).
    var type: String { get }
    /// The last change applied, nil before the first.
    func cursor() async throws -> FeedPosition?
    /// Applies a batch and moves the cursor to `batch.through`; returns the documents the
    /// sink refused (they are not retried). Throws when the sink cannot take the batch at
    /// all: nothing of it counts as applied and the cursor stays.
    func apply(_ batch: SinkBatch) async throws -> [SinkStatus.Reject]
    /// Forgets the cursor (and what was applied), for a replay from the feed's start.
    func reset() async throws
    /// Called before a publish applies `pending` feed lines, and `didApply` after it (also
    /// after a failure): a large load may, for instance, drop an index that is cheaper to
    /// build once than to update row by row, and build it again afterwards.
    func willApply(pending: Int) async throws
    func didApply() async throws
    func close() async
}

extension Sink {
    public func willApply(pending: Int) async throws {}
    public func didApply() async throws {}
}

/// Consecutive feed lines, collapsed to the last state of each record they touch.
public struct SinkBatch: Sendable {
    /// Records to create or replace, by id.
    public var upserts: [SinkDocument] = []
    /// Ids to remove (absent ones are no error).
    public var deletes: [String] = []
    /// The first and last feed lines the batch covers.
    public var from: FeedPosition
    public var through: FeedPosition
    /// The sink's cursor this batch continues from (nil: the feed's start). A sink moves its
    /// cursor only from this position (compare-and-set): a publisher that finds it elsewhere
    /// lost a race and applies nothing.
    public var after: FeedPosition?
    /// Feed lines covered (more than documents when a record changed twice).
    public var lines: Int

    public init(from: FeedPosition, through: FeedPosition, lines: Int) {
        self.from = from; self.through = through; self.lines = lines
    }
}

/// What a sink stores of a record: the main fields as columns, the searchable text of the
/// release and of all its attachments, and the record itself.
public struct SinkDocument: Sendable {
    public var id: String
    public var source: String
    public var url: String
    public var title: String?
    public var published: String?
    public var language: String?
    /// The release text, then each attachment's text (embedded files included), separated by
    /// blank lines: searching finds a release by what its attachments say.
    public var body: String
    /// The record's own hash of its title and text, and the SHA-256 of the record's bytes
    /// (what changes whenever anything in the record does).
    public var contentSHA256: String
    public var recordSHA256: String
    /// The record as written (JSON).
    public var record: Data

    public init(id: String, source: String, url: String, title: String?, published: String?, language: String?,
                body: String, contentSHA256: String, recordSHA256: String, record: Data) {
        self.id = id; self.source = source; self.url = url; self.title = title; self.published = published
        self.language = language; self.body = body; self.contentSHA256 = contentSHA256; self.recordSHA256 = recordSHA256
        self.record = record
    }

    /// Reads a record file's bytes; throws with the reason when they are not a record.
    public init(recordBytes data: Data) throws {
        let record: Record
        do { record = try JSONDecoder().decode(Record.self, from: data) } catch {
            throw SinkDocumentError(reason: "the record file is not a record (\(error))")
        }
        id = record.id
        source = record.source
        url = record.url
        title = record.title
        published = record.published
        language = record.language
        var parts = [record.text]
        func add(_ attachments: [AttachmentRecord]) {
            for a in attachments {
                if let t = a.text, !t.isEmpty { parts.append(t) }
                add(a.embedded)
            }
        }
        add(record.attachments)
        body = parts.filter { !$0.isEmpty }.joined(separator: "\n\n")
        contentSHA256 = record.contentSHA256
        recordSHA256 = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        self.record = data
    }
}

extension SinkDocument {
    /// The document as a search engine stores it (JSON object fields; absent values left out).
    var engineFields: [String: Any] {
        var fields: [String: Any] = ["id": id, "source": source, "url": url, "body": body,
                                     "content_sha256": contentSHA256, "record_sha256": recordSHA256]
        if let title { fields["title"] = title }
        if let published { fields["published"] = published }
        if let language { fields["language"] = language }
        return fields
    }
}

public struct SinkDocumentError: Error, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
}

extension SinkBatch {
    /// The error a sink throws when its cursor is not where this batch continues from.
    public func cursorMoved(sink: String, found: FeedPosition?) -> SinkError {
        SinkError(sink: sink, reason: "its cursor moved to \(found?.description ?? "the start") while this publish expected \(after?.description ?? "the start") (another publisher?); the cursor was left there")
    }
}

/// A sink that cannot be set up or reached: the harvest goes on, the sink's cursor stays.
public struct SinkError: Error, CustomStringConvertible {
    public var sink: String
    public var reason: String
    public init(sink: String, reason: String) { self.sink = sink; self.reason = reason }
    public var description: String { "sink '\(sink)': \(reason)" }
}
