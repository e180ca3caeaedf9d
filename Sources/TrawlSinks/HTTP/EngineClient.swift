import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// How a search engine's HTTP API is reached: base URL, credentials, retries. Requests that
/// the engine answers with 429 or a 5xx, or that fail to connect, are retried with
/// exponential backoff (honouring `Retry-After`); 401/403 stop the sink at once.
final class EngineClient: Sendable {
    enum Credentials: Sendable, Equatable {
        case none
        case apiKey(scheme: String, key: String)   // `ApiKey …` (Elasticsearch), `Bearer …` (Meilisearch)
        case basic(user: String, password: String)
    }

    struct Response: Sendable {
        var status: Int
        var body: Data
        var json: Any? { try? JSONSerialization.jsonObject(with: body) }
    }

    let sink: String
    let base: String
    let credentials: Credentials
    let client: HTTPClient
    /// Attempts per request before the sink is reported down (the cursor stays).
    let attempts = 6
    let firstBackoff: Duration = .milliseconds(200)
    static let maxResponseBytes = 64 << 20

    init(sink: String, base: URL, credentials: Credentials, timeout: Duration = .seconds(60)) {
        self.sink = sink
        var b = base.absoluteString
        while b.hasSuffix("/") { b.removeLast() }
        self.base = b
        self.credentials = credentials
        var config = HTTPClient.Configuration()
        config.timeout = .init(connect: .seconds(10), read: .seconds(Int64(timeout.components.seconds)))
        config.redirectConfiguration = .disallow
        client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: config)
    }

    func shutdown() async { try? await client.shutdown() }

    /// Sends a request; retries what the engine says to retry. Returns any other answer.
    func send(_ method: HTTPMethod, _ path: String, body: Data? = nil, contentType: String = "application/json") async throws -> Response {
        var delay = firstBackoff
        var last = ""
        for attempt in 1...attempts {
            var request = HTTPClientRequest(url: base + path)
            request.method = method
            request.headers.add(name: "Accept", value: "application/json")
            switch credentials {
            case .none: break
            case .apiKey(let scheme, let key): request.headers.add(name: "Authorization", value: "\(scheme) \(key)")
            case .basic(let user, let password):
                request.headers.add(name: "Authorization", value: "Basic " + Data("\(user):\(password)".utf8).base64EncodedString())
            }
            if let body {
                request.headers.add(name: "Content-Type", value: contentType)
                request.body = .bytes(ByteBuffer(bytes: body))
            }
            var retryAfter: Duration?
            do {
                let response = try await client.execute(request, timeout: .seconds(120))
                let bytes = try await response.body.collect(upTo: Self.maxResponseBytes)
                let answer = Response(status: Int(response.status.code), body: Data(bytes.readableBytesView))
                switch answer.status {
                case 401, 403:
                    throw SinkError(sink: sink, reason: "\(method) \(path): \(answer.status) — the engine refuses the credentials (\(Self.reason(answer)))")
                case 429, 500...599:
                    last = "\(answer.status) (\(Self.reason(answer)))"
                    if let s = response.headers.first(name: "Retry-After").flatMap(Int.init), s >= 0 { retryAfter = .seconds(min(s, 60)) }
                default:
                    return answer
                }
            } catch let error as SinkError {
                throw error
            } catch {
                last = "\(error)"
            }
            if attempt == attempts { break }
            try await Task.sleep(for: retryAfter ?? delay)
            delay = min(delay * 2, .seconds(10))
        }
        throw SinkError(sink: sink, reason: "\(method) \(path) failed \(attempts) times, last: \(last)")
    }

    /// The engine's own words about an error answer.
    static func reason(_ r: Response) -> String {
        if let object = r.json as? [String: Any] {
            if let e = object["error"] as? [String: Any] {
                return [e["type"], e["reason"]].compactMap { $0 as? String }.joined(separator: ": ")
            }
            if let e = object["error"] as? String { return e }
            if let m = object["message"] as? String { return [object["code"] as? String, m].compactMap { $0 }.joined(separator: ": ") }
        }
        return String(decoding: r.body.prefix(300), as: UTF8.self)
    }
}

/// The cursor of a sink whose engine cannot hold it: a small JSON file in the output
/// directory (`.trawl/sinks/<name>.json`), replaced atomically after each acknowledged batch.
struct FileCursor: Sendable {
    let file: URL

    init(output: URL, sink: String) {
        file = output.appendingPathComponent(".trawl/sinks/\(sink).json")
    }

    func read() throws -> FeedPosition? {
        guard let data = try? Data(contentsOf: file) else { return nil }
        do { return try JSONDecoder().decode(FeedPosition.self, from: data) } catch {
            throw SinkError(sink: file.deletingPathExtension().lastPathComponent, reason: "its cursor \(file.path) is damaged (\(error)); `trawl publish --from-start` rebuilds")
        }
    }

    /// Moves the cursor past an applied batch, only from where the batch continues
    /// (compare-and-set; the publish lock keeps publishers apart, this catches one that is
    /// not).
    func write(_ batch: SinkBatch, sink: String) throws {
        let current = try read()
        guard current == batch.after else { throw batch.cursorMoved(sink: sink, found: current) }
        try write(batch.through)
    }

    /// The file and its folder are fsync'd, so a power loss leaves the old cursor or the new
    /// one, never a damaged one.
    func write(_ position: FeedPosition?) throws {
        let sink = file.deletingPathExtension().lastPathComponent
        let dir = file.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        guard let position else { try? FileManager.default.removeItem(at: file); return }
        let temp = dir.appendingPathComponent(".\(file.lastPathComponent).\(getpid()).tmp")
        let data = try JSONEncoder().encode(position)
        let fd = open(temp.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SinkError(sink: sink, reason: "cannot write its cursor \(temp.path) (\(String(cString: strerror(errno))))") }
        let written = data.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == data.count, synced, rename(temp.path, file.path) == 0 else {
            throw SinkError(sink: sink, reason: "cannot write its cursor \(file.path) (\(String(cString: strerror(errno))))")
        }
        let dirFD = open(dir.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirFD >= 0 { fsync(dirFD); close(dirFD) }
    }
}
