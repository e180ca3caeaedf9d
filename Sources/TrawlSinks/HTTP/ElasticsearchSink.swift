import Foundation
import NIOHTTP1
import Synchronization
import Trawl

/// Elasticsearch or OpenSearch: `_bulk` NDJSON in batches bounded by count and bytes,
/// documents indexed by record id (an upsert), deletes as deletes. The index is created with
/// `mapping` when it does not exist. Partial bulk failures are handled item by item: 429 and
/// 5xx items are sent again, other failures (a mapping error) are rejected by id with the
/// engine's reason. A 413 splits the request. The cursor is a file in the output directory,
/// written after the engine acknowledged the batch (at least once; re-applying is harmless).
public final class ElasticsearchSink: Sink {
    public let name: String
    public let type: String
    let index: String
    let engine: EngineClient
    let cursorFile: FileCursor
    let maxRequestBytes: Int
    private let prepared = PreparedFlag()

    public init(name: String, type: String, url: URL, index: String, output: URL, credentials: SinkCredentials,
                maxRequestBytes: Int = 5 << 20) {
        self.name = name
        self.type = type
        self.index = index
        self.maxRequestBytes = maxRequestBytes
        engine = EngineClient(sink: name, base: url, credentials: credentials.engine(scheme: "ApiKey"))
        cursorFile = FileCursor(output: output, sink: name)
    }

    /// What the index is created with: Korean text analysed with `nori` (a `.ko` sub-field of
    /// every text field), all text with the standard analyser; the record kept, not indexed.
    public static var mapping: [String: Any] { [
        "mappings": [
            "dynamic": false,
            "properties": [
                "id": ["type": "keyword"], "source": ["type": "keyword"], "url": ["type": "keyword"],
                "language": ["type": "keyword"], "content_sha256": ["type": "keyword"], "record_sha256": ["type": "keyword"],
                "title": ["type": "text", "analyzer": "standard", "fields": ["ko": ["type": "text", "analyzer": "nori"]]],
                "body": ["type": "text", "analyzer": "standard", "fields": ["ko": ["type": "text", "analyzer": "nori"]]],
                "published": ["type": "date", "format": "strict_date_optional_time||yyyy-MM||yyyy", "ignore_malformed": true],
                "record": ["type": "object", "enabled": false],
            ] as [String: Any],
        ] as [String: Any],
    ] }

    /// The cursor, unless the index had to be created now: an engine restarted without its
    /// data (or an index deleted) holds none of what the cursor says was applied, so the feed
    /// is replayed from the start.
    public func cursor() async throws -> FeedPosition? {
        if try await prepare(), try cursorFile.read() != nil { try cursorFile.write(nil) }
        return try cursorFile.read()
    }

    public func reset() async throws {
        try await prepare()
        let r = try await engine.send(.POST, "/\(index)/_delete_by_query?refresh=true", body: Data(#"{"query":{"match_all":{}}}"#.utf8))
        guard (200..<300).contains(r.status) else {
            throw SinkError(sink: name, reason: "cannot empty index \(index): \(r.status) \(EngineClient.reason(r))")
        }
        try cursorFile.write(nil)
    }

    public func close() async { await engine.shutdown() }

    /// Creates the index with the mapping unless it exists; true when it was created now.
    @discardableResult
    func prepare() async throws -> Bool {
        guard !prepared.isSet else { return false }
        var createdNow = false
        let head = try await engine.send(.HEAD, "/\(index)")
        if head.status == 404 {
            createdNow = true
            let created = try await engine.send(.PUT, "/\(index)", body: try JSONSerialization.data(withJSONObject: Self.mapping))
            // Another publisher may have created it meanwhile.
            let exists = (created.json as? [String: Any]).flatMap { ($0["error"] as? [String: Any])?["type"] as? String } == "resource_already_exists_exception"
            guard (200..<300).contains(created.status) || exists else {
                throw SinkError(sink: name, reason: "cannot create index \(index): \(created.status) \(EngineClient.reason(created))"
                                + (EngineClient.reason(created).contains("nori") ? " (the analysis-nori plugin is needed for Korean text)" : ""))
            }
        } else if !(200..<300).contains(head.status) {
            throw SinkError(sink: name, reason: "cannot look up index \(index): \(head.status)")
        }
        prepared.set()
        return createdNow
    }

    public func apply(_ batch: SinkBatch) async throws -> [SinkStatus.Reject] {
        try await prepare()
        var actions: [BulkAction] = try batch.deletes.map { id in BulkAction(id: id, lines: try actionLine("delete", id: id)) }
        for d in batch.upserts {
            var doc = d.engineFields
            if let record = try? JSONSerialization.jsonObject(with: d.record) { doc["record"] = record }
            var lines = try actionLine("index", id: d.id)
            lines += try JSONSerialization.data(withJSONObject: doc) + Data("\n".utf8)
            actions.append(BulkAction(id: d.id, lines: lines))
        }
        var rejects: [SinkStatus.Reject] = []
        var pending = actions[...]
        while !pending.isEmpty {
            // A request of at most maxRequestBytes (at least one action).
            var size = 0
            var end = pending.startIndex
            while end < pending.endIndex, end == pending.startIndex || size + pending[end].lines.count <= maxRequestBytes {
                size += pending[end].lines.count
                end += 1
            }
            rejects += try await send(Array(pending[pending.startIndex..<end]))
            pending = pending[end...]
        }
        try cursorFile.write(batch, sink: name)
        return rejects
    }

    struct BulkAction: Sendable {
        var id: String
        var lines: Data
    }

    /// Sends actions as one `_bulk` request; items the engine asks to retry are sent again,
    /// a 413 splits the request in halves (one action alone that is too large is rejected).
    func send(_ actions: [BulkAction], round: Int = 1) async throws -> [SinkStatus.Reject] {
        guard !actions.isEmpty else { return [] }
        let body = actions.reduce(into: Data()) { $0 += $1.lines }
        let r = try await engine.send(.POST, "/_bulk", body: body, contentType: "application/x-ndjson")
        if r.status == 413 {
            if actions.count == 1 { return [.init(id: actions[0].id, reason: "413: the document is larger than the engine accepts")] }
            let half = actions.count / 2
            return try await send(Array(actions[..<half])) + send(Array(actions[half...]))
        }
        guard (200..<300).contains(r.status), let object = r.json as? [String: Any], let items = object["items"] as? [[String: Any]] else {
            throw SinkError(sink: name, reason: "_bulk: \(r.status) \(EngineClient.reason(r))")
        }
        guard items.count == actions.count else {
            throw SinkError(sink: name, reason: "_bulk answered \(items.count) items for \(actions.count) actions")
        }
        var rejects: [SinkStatus.Reject] = []
        var again: [BulkAction] = []
        for (action, item) in zip(actions, items) {
            guard let (op, result) = item.first, let outcome = result as? [String: Any], let status = outcome["status"] as? Int else {
                rejects.append(.init(id: action.id, reason: "_bulk item without a status: \(item)")); continue
            }
            if (200..<300).contains(status) || (op == "delete" && status == 404) { continue }
            if status == 429 || status >= 500 { again.append(action); continue }
            let error = outcome["error"] as? [String: Any]
            let reason = [error?["type"] as? String, error?["reason"] as? String].compactMap { $0 }.joined(separator: ": ")
            // A 400 blames the document (a mapping or parsing error); anything else (a 403
            // cluster block, a closed or missing index, credentials) is the engine's: the
            // sink stops with its cursor where it was instead of refusing every document.
            guard status == 400 else {
                throw SinkError(sink: name, reason: "_bulk: item \(action.id) failed with \(status) \(reason); the engine refuses writes")
            }
            rejects.append(.init(id: action.id, reason: "\(status) \(reason)"))
        }
        if !again.isEmpty {
            guard round < engine.attempts else {
                throw SinkError(sink: name, reason: "\(again.count) documents still refused with 429/5xx after \(round) bulk requests")
            }
            try await Task.sleep(for: engine.firstBackoff * (1 << min(round, 6)))
            rejects += try await send(again, round: round + 1)
        }
        return rejects
    }

    func actionLine(_ op: String, id: String) throws -> Data {
        try JSONSerialization.data(withJSONObject: [op: ["_index": index, "_id": id]]) + Data("\n".utf8)
    }
}

/// Credentials named in the config: a key or password is read from the environment variable
/// the config names, never written in the config itself.
public struct SinkCredentials: Sendable {
    public var apiKey: String?
    public var username: String?
    public var password: String?

    public init(apiKey: String? = nil, username: String? = nil, password: String? = nil) {
        self.apiKey = apiKey; self.username = username; self.password = password
    }

    func engine(scheme: String) -> EngineClient.Credentials {
        if let apiKey { return .apiKey(scheme: scheme, key: apiKey) }
        if let username { return .basic(user: username, password: password ?? "") }
        return .none
    }
}

/// Set once, read many times, from any task.
final class PreparedFlag: Sendable {
    private let value = Mutex(false)
    var isSet: Bool { value.withLock { $0 } }
    func set() { value.withLock { $0 = true } }
}
