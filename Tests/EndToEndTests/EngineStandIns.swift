import Foundation
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// An HTTP server on 127.0.0.1 (Hummingbird, a free port) whose answers a handler makes.
final class StandInServer: Sendable {
    struct Exchange: Sendable {
        var method: String
        var path: String
        var query: String
        var headers: [String: String]
        var body: Data
    }
    typealias Answer = (status: Int, body: Data, headers: [String: String])  // headers: unused by the engines so far

    let port: Int
    private let task: Task<Void, any Error>
    var url: URL { URL(string: "http://127.0.0.1:\(port)")! }

    static func start(_ handle: @escaping @Sendable (Exchange) async -> Answer) async throws -> StandInServer {
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            let buffer = try await request.body.collect(upTo: 256 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }
            let exchange = Exchange(method: request.method.rawValue, path: request.uri.path, query: request.uri.query ?? "",
                                    headers: headers, body: Data(buffer.readableBytesView))
            let answer = await handle(exchange)
            var response = Response(status: .init(code: answer.status), body: .init(byteBuffer: ByteBuffer(bytes: answer.body)))
            response.headers[.contentType] = "application/json"
            return response
        }
        var logger = Logger(label: "stand-in")
        logger.logLevel = .warning
        let app = Application(responder: responder, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        let task = Task { try await app.run() }
        var iterator = stream.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else { throw CancellationError() }
        return StandInServer(port: port, task: task)
    }

    private init(port: Int, task: Task<Void, any Error>) { self.port = port; self.task = task }

    func stop() { task.cancel() }

    static func json(_ status: Int, _ object: Any, headers: [String: String] = [:]) -> Answer {
        (status, (try? JSONSerialization.data(withJSONObject: object)) ?? Data(), headers)
    }
}

/// Faults a stand-in engine answers with, set by a test.
struct EngineFaults: Sendable {
    /// Statuses for the next requests to the write API, one each (429, 503…).
    var nextStatuses: [Int] = []
    /// Request bodies larger than this are refused with 413.
    var maxBodyBytes = Int.max
    /// A document whose body contains this is refused (a mapping error / an invalid document).
    var poison = "MAPPING-ERROR-TRIGGER"
    /// Ids answered 429 once each (Elasticsearch bulk items).
    var throttleOnce: Set<String> = []
    /// The Authorization header every request must carry (nil: none needed).
    var authorization: String?
    /// An engine-wide failure of every write: Elasticsearch answers each `_bulk` item 403
    /// `cluster_block_exception` (a read-only index, a full disk); Meilisearch fails each
    /// document task with this code (`no_space_left_on_device`).
    var engineFailure: String?
}

/// Elasticsearch as far as Trawl talks to it: index HEAD/PUT (the mapping checked for nori
/// sub-fields), `_bulk` NDJSON parsed strictly as Elasticsearch does (action lines with one
/// of index/create/update/delete, a source object after index/create, a final newline), per
/// item statuses, `_delete_by_query`.
final class ElasticsearchStandIn: Sendable {
    struct State {
        var indexes: [String: Data] = [:]          // index -> mapping as received
        var documents: [String: [String: Data]] = [:]   // index -> id -> source
        var faults = EngineFaults()
        var bulkRequests = 0
        var bulkBytes: [Int] = []
    }
    let state = Mutex(State())
    private let serverBox = Mutex<StandInServer?>(nil)
    var server: StandInServer { serverBox.withLock { $0! } }

    static func start() async throws -> ElasticsearchStandIn {
        let engine = ElasticsearchStandIn()
        let server = try await StandInServer.start { [engine] in await engine.handle($0) }
        engine.serverBox.withLock { $0 = server }
        return engine
    }

    func documents(_ index: String) -> [String: [String: Any]] {
        state.withLock { s in (s.documents[index] ?? [:]).compactMapValues { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] } }
    }

    static func error(_ status: Int, _ type: String, _ reason: String) -> StandInServer.Answer {
        StandInServer.json(status, ["error": ["root_cause": [["type": type, "reason": reason]], "type": type, "reason": reason], "status": status])
    }

    func handle(_ x: StandInServer.Exchange) async -> StandInServer.Answer {
        let faults = state.withLock { $0.faults }
        if let required = faults.authorization, x.headers["authorization"] != required {
            return Self.error(401, "security_exception", "missing authentication credentials for REST request [\(x.path)]")
        }
        let parts = x.path.split(separator: "/").map(String.init)
        switch (x.method, parts.count) {
        case ("HEAD", 1):
            return state.withLock { $0.indexes[parts[0]] != nil } ? (200, Data(), [:]) : (404, Data(), [:])
        case ("PUT", 1):
            guard let mapping = try? JSONSerialization.jsonObject(with: x.body) as? [String: Any],
                  let properties = (mapping["mappings"] as? [String: Any])?["properties"] as? [String: Any] else {
                return Self.error(400, "mapper_parsing_exception", "Failed to parse mapping")
            }
            for (field, spec) in properties {
                if let spec = spec as? [String: Any], spec["type"] as? String == "text",
                   ((spec["fields"] as? [String: Any])?["ko"] as? [String: Any])?["analyzer"] as? String != "nori" {
                    return Self.error(400, "illegal_argument_exception", "test stand-in: text field [\(field)] has no nori sub-field")
                }
            }
            return state.withLock { s in
                if s.indexes[parts[0]] != nil { return Self.error(400, "resource_already_exists_exception", "index [\(parts[0])] already exists") }
                s.indexes[parts[0]] = x.body
                return StandInServer.json(200, ["acknowledged": true, "shards_acknowledged": true, "index": parts[0]])
            }
        case ("POST", 2) where parts[1] == "_delete_by_query":
            let n = state.withLock { s in let n = s.documents[parts[0]]?.count ?? 0; s.documents[parts[0]] = [:]; return n }
            return StandInServer.json(200, ["deleted": n, "failures": []])
        case ("POST", 1) where parts[0] == "_bulk":
            return bulk(x, faults)
        default:
            return Self.error(400, "invalid_request", "test stand-in: \(x.method) \(x.path) is not part of what Trawl should send")
        }
    }

    func bulk(_ x: StandInServer.Exchange, _ faults: EngineFaults) -> StandInServer.Answer {
        let next: Int? = state.withLock { s in s.bulkRequests += 1; s.bulkBytes.append(x.body.count); return s.faults.nextStatuses.isEmpty ? nil : s.faults.nextStatuses.removeFirst() }
        if let next { return Self.error(next, next == 429 ? "es_rejected_execution_exception" : "unavailable", "test stand-in fault") }
        if x.body.count > faults.maxBodyBytes { return (413, Data(), [:]) }
        guard x.headers["content-type"]?.hasPrefix("application/x-ndjson") == true || x.headers["content-type"]?.hasPrefix("application/json") == true else {
            return Self.error(406, "media_type_header_exception", "Content-Type header [\(x.headers["content-type"] ?? "")] is not supported")
        }
        guard x.body.last == 0x0A else { return Self.error(400, "illegal_argument_exception", "The bulk request must be terminated by a newline [\\n]") }
        var lines = x.body.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast()[...]
        var items: [[String: Any]] = []
        while let raw = lines.popFirst() {
            guard let action = try? JSONSerialization.jsonObject(with: raw) as? [String: Any], action.count == 1,
                  let (op, metaAny) = action.first, ["index", "create", "update", "delete"].contains(op),
                  let meta = metaAny as? [String: Any], let index = meta["_index"] as? String, let id = meta["_id"] as? String else {
                return Self.error(400, "illegal_argument_exception", "Malformed action/metadata line [\(items.count + 1)]")
            }
            var status = 200
            var error: [String: Any]?
            if op == "delete" {
                status = state.withLock { $0.documents[index]?.removeValue(forKey: id) } == nil ? 404 : 200
            } else {
                guard let source = lines.popFirst(), (try? JSONSerialization.jsonObject(with: source)) is [String: Any] else {
                    return Self.error(400, "illegal_argument_exception", "The bulk request source for [\(id)] is not an object")
                }
                let throttled = state.withLock { $0.faults.throttleOnce.remove(id) != nil }
                if faults.engineFailure != nil {
                    status = 403; error = ["type": "cluster_block_exception", "reason": "index [\(index)] blocked by: [FORBIDDEN/12/index read-only / allow delete (api)] (test stand-in)"]
                } else if throttled {
                    status = 429; error = ["type": "es_rejected_execution_exception", "reason": "rejected execution (test stand-in)"]
                } else if String(decoding: source, as: UTF8.self).contains(faults.poison) {
                    status = 400; error = ["type": "mapper_parsing_exception", "reason": "failed to parse field [body] of type [text] (test stand-in)"]
                } else {
                    status = state.withLock { s in s.documents[index, default: [:]].updateValue(Data(source), forKey: id) == nil ? 201 : 200 }
                }
            }
            var item: [String: Any] = ["_index": index, "_id": id, "status": status]
            if let error { item["error"] = error }
            items.append([op: item])
        }
        return StandInServer.json(200, ["took": 1, "errors": items.contains { ($0.first?.value as? [String: Any])?["error"] != nil }, "items": items])
    }
}

/// Meilisearch as far as Trawl talks to it: indexes, settings, documents and delete-batch
/// enqueue tasks (202 with a taskUid), which report `processing` once and then succeed, or
/// fail as Meilisearch does when a document in them is invalid.
final class MeilisearchStandIn: Sendable {
    struct State {
        var indexes: [String: String] = [:]   // uid -> primary key
        var settings: [String: Data] = [:]
        var documents: [String: [String: Data]] = [:]
        var tasks: [Int: (status: String, error: [String: String]?, polls: Int)] = [:]
        var nextTask = 0
        var faults = EngineFaults()
        var documentRequests = 0
    }
    let state = Mutex(State())
    private let serverBox = Mutex<StandInServer?>(nil)
    var server: StandInServer { serverBox.withLock { $0! } }

    static func start() async throws -> MeilisearchStandIn {
        let engine = MeilisearchStandIn()
        let server = try await StandInServer.start { [engine] in await engine.handle($0) }
        engine.serverBox.withLock { $0 = server }
        return engine
    }

    func documents(_ index: String) -> [String: [String: Any]] {
        state.withLock { s in (s.documents[index] ?? [:]).compactMapValues { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] } }
    }

    static func error(_ status: Int, _ code: String, _ message: String) -> StandInServer.Answer {
        StandInServer.json(status, ["message": message, "code": code, "type": "invalid_request", "link": "https://docs.meilisearch.com/errors#\(code)"])
    }

    /// Enqueues a task whose outcome is known now (the stand-in applies at once).
    func enqueue(_ error: [String: String]?) -> StandInServer.Answer {
        let uid = state.withLock { s in s.nextTask += 1; s.tasks[s.nextTask] = (error == nil ? "succeeded" : "failed", error, 0); return s.nextTask }
        return StandInServer.json(202, ["taskUid": uid, "status": "enqueued", "type": "documentAdditionOrUpdate", "enqueuedAt": "2026-12-02T00:00:00Z"])
    }

    func handle(_ x: StandInServer.Exchange) async -> StandInServer.Answer {
        let faults = state.withLock { $0.faults }
        if let required = faults.authorization {
            guard let given = x.headers["authorization"] else { return Self.error(401, "missing_authorization_header", "The Authorization header is missing.") }
            guard given == required else { return Self.error(403, "invalid_api_key", "The provided API key is invalid.") }
        }
        let parts = x.path.split(separator: "/").map(String.init)
        if x.method != "GET" {
            let next: Int? = state.withLock { s in s.faults.nextStatuses.isEmpty ? nil : s.faults.nextStatuses.removeFirst() }
            if let next { return Self.error(next, next == 429 ? "too_many_requests" : "internal", "test stand-in fault") }
            if x.body.count > faults.maxBodyBytes { return Self.error(413, "payload_too_large", "The provided payload reached the size limit.") }
            if !x.body.isEmpty, x.headers["content-type"]?.hasPrefix("application/json") != true {
                return Self.error(415, "invalid_content_type", "The Content-Type `\(x.headers["content-type"] ?? "")` is invalid.")
            }
        }
        switch (x.method, parts.first, parts.count) {
        case ("GET", "tasks", 2):
            guard let uid = Int(parts[1]) else { return Self.error(400, "invalid_task_uid", "bad task uid") }
            return state.withLock { s in
                guard var t = s.tasks[uid] else { return Self.error(404, "task_not_found", "Task `\(uid)` not found.") }
                t.polls += 1
                s.tasks[uid] = t
                var object: [String: Any] = ["uid": uid, "status": t.polls == 1 ? "processing" : t.status]
                if t.polls > 1, let e = t.error { object["error"] = e }
                return StandInServer.json(200, object)
            }
        case ("GET", "indexes", 2):
            return state.withLock { $0.indexes[parts[1]] } != nil
                ? StandInServer.json(200, ["uid": parts[1], "primaryKey": "id"]) : Self.error(404, "index_not_found", "Index `\(parts[1])` not found.")
        case ("POST", "indexes", 1):
            guard let body = try? JSONSerialization.jsonObject(with: x.body) as? [String: Any], let uid = body["uid"] as? String else {
                return Self.error(400, "bad_request", "missing uid")
            }
            let existed = state.withLock { s in defer { s.indexes[uid] = body["primaryKey"] as? String ?? "id" }; return s.indexes[uid] != nil }
            return enqueue(existed ? ["code": "index_already_exists", "message": "Index `\(uid)` already exists."] : nil)
        case ("PATCH", "indexes", 3) where parts[2] == "settings":
            guard (try? JSONSerialization.jsonObject(with: x.body)) is [String: Any] else { return Self.error(400, "bad_request", "settings must be an object") }
            state.withLock { $0.settings[parts[1]] = x.body }
            return enqueue(nil)
        case ("POST", "indexes", 3) where parts[2] == "documents":
            state.withLock { $0.documentRequests += 1 }
            guard let documents = try? JSONSerialization.jsonObject(with: x.body) as? [[String: Any]] else {
                return Self.error(400, "malformed_payload", "The `json` payload provided is malformed.")
            }
            // A task applies all of its documents or none.
            if let code = faults.engineFailure { return enqueue(["code": code, "message": "engine-wide failure (test stand-in)"]) }
            for d in documents {
                guard let id = d["id"] as? String, id.range(of: "^[a-zA-Z0-9_-]{1,511}$", options: .regularExpression) != nil else {
                    return enqueue(["code": "invalid_document_id", "message": "Document identifier is invalid."])
                }
                if String(decoding: (try? JSONSerialization.data(withJSONObject: d)) ?? Data(), as: UTF8.self).contains(faults.poison) {
                    return enqueue(["code": "invalid_document_fields", "message": "Document `\(id)` has an invalid field (test stand-in)."])
                }
            }
            state.withLock { s in
                for d in documents { s.documents[parts[1], default: [:]][d["id"] as! String] = try? JSONSerialization.data(withJSONObject: d) }
            }
            return enqueue(nil)
        case ("POST", "indexes", 4) where parts[2] == "documents" && parts[3] == "delete-batch":
            guard let ids = try? JSONSerialization.jsonObject(with: x.body) as? [String] else { return Self.error(400, "malformed_payload", "expected an array of ids") }
            state.withLock { s in for id in ids { s.documents[parts[1]]?[id] = nil } }
            return enqueue(nil)
        case ("DELETE", "indexes", 3) where parts[2] == "documents":
            state.withLock { $0.documents[parts[1]] = [:] }
            return enqueue(nil)
        default:
            return Self.error(404, "not_found", "test stand-in: \(x.method) \(x.path) is not part of what Trawl should send")
        }
    }
}
