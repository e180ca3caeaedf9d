import Foundation
import NIOHTTP1
import Trawl

/// Meilisearch: documents added or replaced through the documents API (primary key `id`),
/// deletes in batches, and each batch's tasks waited for until Meilisearch reports them done.
/// A failed task is split in halves until the documents it refuses are found, which are
/// rejected by id with Meilisearch's reason. The index is created (searchable title and
/// body, filterable source and published) when it does not exist. The cursor is a file in the
/// output directory written after the tasks succeeded (at least once; re-applying is harmless).
/// The record itself is not sent (its free-form fields would become attributes).
public final class MeilisearchSink: Sink {
    public let name: String
    public var type: String { "meilisearch" }
    let index: String
    let engine: EngineClient
    let cursorFile: FileCursor
    let maxRequestBytes: Int
    /// How long a task may take before the sink gives up on it (it may still finish later).
    let taskTimeout: Duration = .seconds(600)
    private let prepared = PreparedFlag()

    public init(name: String, url: URL, index: String, output: URL, credentials: SinkCredentials, maxRequestBytes: Int = 20 << 20) {
        self.name = name
        self.index = index
        self.maxRequestBytes = maxRequestBytes
        engine = EngineClient(sink: name, base: url, credentials: credentials.engine(scheme: "Bearer"))
        cursorFile = FileCursor(output: output, sink: name)
    }

    public static var settings: [String: Any] { [
        "searchableAttributes": ["title", "body"],
        "filterableAttributes": ["source", "published"],
        "sortableAttributes": ["published"],
        "displayedAttributes": ["id", "source", "url", "title", "published", "language", "content_sha256", "record_sha256"],
    ] }

    /// The cursor, unless the index had to be created now (an engine restarted without its
    /// data, a deleted index): then the feed is replayed from the start.
    public func cursor() async throws -> FeedPosition? {
        if try await prepare(), try cursorFile.read() != nil { try cursorFile.write(nil) }
        return try cursorFile.read()
    }
    public func close() async { await engine.shutdown() }

    public func reset() async throws {
        try await prepare()
        try await run(.DELETE, "/indexes/\(index)/documents", body: nil, what: "emptying the index")
        try cursorFile.write(nil)
    }

    /// Creates and sets up the index unless it exists; true when it was created now.
    @discardableResult
    func prepare() async throws -> Bool {
        guard !prepared.isSet else { return false }
        var createdNow = false
        let found = try await engine.send(.GET, "/indexes/\(index)")
        if found.status == 404 {
            createdNow = true
            let body = try JSONSerialization.data(withJSONObject: ["uid": index, "primaryKey": "id"])
            // Fails harmlessly with index_already_exists when another publisher created it.
            _ = try? await run(.POST, "/indexes", body: body, what: "creating the index")
            try await run(.PATCH, "/indexes/\(index)/settings", body: try JSONSerialization.data(withJSONObject: Self.settings), what: "setting up the index")
        } else if !(200..<300).contains(found.status) {
            throw SinkError(sink: name, reason: "cannot look up index \(index): \(found.status) \(EngineClient.reason(found))")
        }
        prepared.set()
        return createdNow
    }

    public func apply(_ batch: SinkBatch) async throws -> [SinkStatus.Reject] {
        try await prepare()
        if !batch.deletes.isEmpty {
            try await run(.POST, "/indexes/\(index)/documents/delete-batch", body: try JSONSerialization.data(withJSONObject: batch.deletes),
                          what: "deleting \(batch.deletes.count) documents")
        }
        var documents: [(id: String, json: Data)] = []
        for d in batch.upserts {
            let doc = d.engineFields
            documents.append((d.id, try JSONSerialization.data(withJSONObject: doc)))
        }
        var rejects: [SinkStatus.Reject] = []
        var start = 0
        while start < documents.count {
            var end = start, size = 2
            while end < documents.count, end == start || size + documents[end].json.count + 1 <= maxRequestBytes {
                size += documents[end].json.count + 1
                end += 1
            }
            rejects += try await add(Array(documents[start..<end]))
            start = end
        }
        try cursorFile.write(batch, sink: name)
        return rejects
    }

    /// Adds documents; a refused request or failed task is split until the refused documents
    /// are isolated.
    func add(_ documents: [(id: String, json: Data)]) async throws -> [SinkStatus.Reject] {
        var body = Data("[".utf8)
        for (i, d) in documents.enumerated() { if i > 0 { body += Data(",".utf8) }; body += d.json }
        body += Data("]".utf8)
        do {
            try await run(.POST, "/indexes/\(index)/documents?primaryKey=id", body: body, what: "adding \(documents.count) documents")
            return []
        } catch let refused as Refused {
            if documents.count == 1 { return [.init(id: documents[0].id, reason: refused.reason)] }
            let half = documents.count / 2
            return try await add(Array(documents[..<half])) + add(Array(documents[half...]))
        }
    }

    /// Meilisearch's error codes that blame a document (an invalid id, field or geo value, a
    /// payload it cannot read), as opposed to the engine (`no_space_left_on_device`,
    /// `database_size_limit_reached`, `index_not_found`, `internal`, an API key…).
    static func isDocumentError(_ code: String) -> Bool {
        code.hasPrefix("invalid_document") || code.hasPrefix("missing_document") || code == "document_fields_limit_reached"
            || code == "malformed_payload" || code == "primary_key_inference_failed"
    }

    /// Meilisearch refused a document (its request or its task, for the document's fault).
    struct Refused: Error, CustomStringConvertible {
        var reason: String
        var description: String { reason }
    }

    /// Sends a request that enqueues a task, and waits until the task is done.
    func run(_ method: HTTPMethod, _ path: String, body: Data?, what: String) async throws {
        let r = try await engine.send(method, path, body: body)
        if r.status == 413 { throw Refused(reason: "413: larger than Meilisearch accepts") }
        guard (200..<300).contains(r.status) else {
            let code = ((r.json as? [String: Any])?["code"] as? String) ?? ""
            if (400..<500).contains(r.status), Self.isDocumentError(code) { throw Refused(reason: "\(r.status) \(EngineClient.reason(r))") }
            throw SinkError(sink: name, reason: "\(what): \(r.status) \(EngineClient.reason(r))")
        }
        guard let task = (r.json as? [String: Any])?["taskUid"] as? Int else {
            throw SinkError(sink: name, reason: "\(what): the answer names no task (\(String(decoding: r.body.prefix(200), as: UTF8.self)))")
        }
        let deadline = ContinuousClock.now + taskTimeout
        var wait: Duration = .milliseconds(20)
        while true {
            let t = try await engine.send(.GET, "/tasks/\(task)")
            guard (200..<300).contains(t.status), let object = t.json as? [String: Any], let status = object["status"] as? String else {
                throw SinkError(sink: name, reason: "\(what): cannot read task \(task): \(t.status) \(EngineClient.reason(t))")
            }
            switch status {
            case "succeeded": return
            case "failed", "canceled":
                let error = object["error"] as? [String: Any]
                let code = error?["code"] as? String ?? ""
                let reason = [error?["code"] as? String, error?["message"] as? String].compactMap { $0 }.joined(separator: ": ")
                // Only a document's own fault is a reject; a full disk, a lost index or a
                // cancelled task stops the sink with its cursor where it was.
                guard status == "failed", Self.isDocumentError(code) else {
                    throw SinkError(sink: name, reason: "\(what): task \(task) \(status): \(reason)")
                }
                throw Refused(reason: "task \(task) \(status): \(reason)")
            default:
                guard ContinuousClock.now < deadline else { throw SinkError(sink: name, reason: "\(what): task \(task) still \(status) after \(taskTimeout)") }
                try await Task.sleep(for: wait)
                wait = min(wait * 2, .seconds(1))
            }
        }
    }
}
