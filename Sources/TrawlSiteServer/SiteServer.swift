import Foundation
import NIOCore
import NIOPosix
import Synchronization
import TrawlDedup

/// A release site on 127.0.0.1 for tests and benchmarks. It speaks HTTP/1.1 by hand (raw
/// bytes, keep-alive) so that it can also misbehave the way real sites do: raw EUC-KR bytes in
/// a header, a reset connection, a redirect loop, a slow or wrongly typed body.
public final class SiteServer: Sendable {
    public let port: Int
    public let control: SiteControl
    private let channel: any Channel

    public let host: String
    public var baseURL: URL { URL(string: "http://\(host):\(port)/")! }

    private init(host: String, port: Int, control: SiteControl, channel: any Channel) {
        self.host = host; self.port = port; self.control = control; self.channel = channel
    }

    /// Serves `content` on `host` (a loopback address: 127.0.0.1, 127.0.0.2, … are distinct
    /// hosts to a crawler) and a free port.
    public static func start(content: any SiteContent, host: String = "127.0.0.1") async throws -> SiteServer {
        let control = SiteControl(content: content)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(SiteHandler(control: control))
                }
            }
            .bind(host: host, port: 0).get()
        return SiteServer(host: host, port: channel.localAddress?.port ?? 0, control: control, channel: channel)
    }

    public func stop() async {
        try? await channel.close()
    }
}

/// What a site serves: a body and its type for a request target (`/path?query`), or nil (404).
public protocol SiteContent: Sendable {
    func page(_ target: String) -> (body: Data, contentType: String)?
}

/// A fault or change applied to one request target.
public enum Fault: Sendable, Equatable {
    /// Answer with this status (and `Retry-After` if given) the next `times` requests.
    case status(Int, retryAfter: String? = nil, times: Int = Int.max)
    /// Wait this long before answering.
    case slow(milliseconds: Int)
    /// Drop the connection instead of answering, the next `times` requests.
    case reset(times: Int)
    /// Redirect (302) to this target.
    case redirect(to: String)
    /// Serve the body gzip-compressed.
    case gzip
    /// Serve with this Content-Type instead of the sniffed one.
    case contentType(String)
    /// Send these raw bytes as the Content-Disposition value.
    case contentDisposition([UInt8])
    /// Serve this body instead (a changed release).
    case body(Data)
    /// Do not send ETag and Last-Modified.
    case noValidators
    /// Send this ETag whatever the body (a server whose validators go stale), and answer 304
    /// to it.
    case fixedETag(String)
}

/// One request as the server saw it.
public struct SeenRequest: Sendable, Equatable {
    public var target: String
    public var conditional: Bool
    public var status: Int
    public var userAgent: String?
    public var acceptEncoding: String?
    public var at: ContinuousClock.Instant
    /// Requests being answered when this one arrived (0: it overlapped none).
    public var overlapping = 0
}

/// The site's knobs, shared between the test and the server's event loop.
public final class SiteControl: Sendable {
    private struct State {
        var faults: [String: [Fault]] = [:]
        var robots: String?
        var requests: [SeenRequest] = []
        var logRequests = true
        var inFlight = 0
        var latency = 0
    }

    private let state = Mutex(State())
    let content: any SiteContent

    init(content: any SiteContent) { self.content = content }

    public func set(_ target: String, _ faults: Fault...) { state.withLock { $0.faults[target] = faults } }
    public func clear(_ target: String) { _ = state.withLock { $0.faults.removeValue(forKey: target) } }
    public func clearAll() { state.withLock { $0.faults = [:] } }
    public func setRobots(_ text: String?) { state.withLock { $0.robots = text } }
    public func setLogging(_ on: Bool) { state.withLock { $0.logRequests = on } }
    public var requests: [SeenRequest] { state.withLock { $0.requests } }
    public func resetRequests() { state.withLock { $0.requests = [] } }

    func faults(_ target: String) -> [Fault] { state.withLock { $0.faults[target] ?? [] } }
    var robots: String? { state.withLock { $0.robots } }

    /// Uses up one of a counted fault; returns whether it applies to this request.
    func consume(_ target: String, _ match: (Fault) -> Fault??) -> Fault? {
        state.withLock { s in
            guard var list = s.faults[target] else { return nil }
            for (i, f) in list.enumerated() {
                if let next = match(f) {
                    if let next { list[i] = next } else { list.remove(at: i) }
                    s.faults[target] = list
                    return f
                }
            }
            return nil
        }
    }

    func log(_ r: SeenRequest) {
        state.withLock {
            var r = r
            r.overlapping = $0.inFlight - 1
            if $0.logRequests { $0.requests.append(r) }
        }
    }

    /// Every response waits `milliseconds` (unless a `slow` fault says otherwise).
    public func setLatency(_ milliseconds: Int) { state.withLock { $0.latency = milliseconds } }
    var latency: Int { state.withLock { $0.latency } }
    func began() { state.withLock { $0.inFlight += 1 } }
    func ended() { state.withLock { $0.inFlight -= 1 } }
}

/// Parses requests off the connection and writes raw responses.
private final class SiteHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let control: SiteControl
    private var buffer = ByteBuffer()
    private var busy = false

    init(control: SiteControl) { self.control = control }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        buffer.writeBuffer(&incoming)
        serveNext(context: context)
    }

    private func serveNext(context: ChannelHandlerContext) {
        guard !busy, let view = buffer.readableBytesView.firstRange(of: Array("\r\n\r\n".utf8)) else { return }
        let headLength = view.upperBound - buffer.readableBytesView.startIndex
        guard let head = buffer.readString(length: headLength) else { return }
        let lines = head.components(separatedBy: "\r\n")
        let parts = lines.first?.split(separator: " ") ?? []
        guard parts.count >= 2 else { context.close(promise: nil); return }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let target = String(parts[1])
        control.began()
        let response = SiteResponder(control: control).respond(method: String(parts[0]), target: target, headers: headers)
        busy = true
        let write = { [self] in
            busy = false
            control.ended()
            switch response.action {
            case .reset:
                // The connection drops mid-request, with no response at all.
                context.close(promise: nil)
            case .send(let bytes):
                context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: bytes)), promise: nil)
                serveNext(context: context)
            }
        }
        if response.delayMilliseconds > 0 {
            let loopBound = NIOLoopBound(write, eventLoop: context.eventLoop)
            context.eventLoop.scheduleTask(in: .milliseconds(Int64(response.delayMilliseconds))) { loopBound.value() }
        } else {
            write()
        }
    }
}

/// Decides the response to one request.
struct SiteResponder {
    enum Action { case send([UInt8]), reset }
    struct Response { var action: Action; var delayMilliseconds = 0 }

    let control: SiteControl
    static let lastModified = "Wed, 21 Oct 2026 07:28:00 GMT"

    func respond(method: String, target: String, headers: [String: String]) -> Response {
        let conditional = headers["if-none-match"] != nil || headers["if-modified-since"] != nil
        var status = 200
        defer {
            control.log(SeenRequest(target: target, conditional: conditional, status: status, userAgent: headers["user-agent"],
                                    acceptEncoding: headers["accept-encoding"], at: .now))
        }
        let faults = control.faults(target)
        var delay = control.latency
        for case .slow(let ms) in faults { delay = ms }
        if control.consume(target, { if case .reset(let n) = $0 { return n > 1 ? .some(.reset(times: n - 1)) : .some(nil) }; return nil }) != nil {
            status = 0
            return Response(action: .reset, delayMilliseconds: delay)
        }
        if let f = control.consume(target, {
            if case .status(let code, let after, let n) = $0 { return n > 1 ? .some(.status(code, retryAfter: after, times: n == Int.max ? n : n - 1)) : .some(nil) }
            return nil
        }), case .status(let code, let after, _) = f {
            status = code
            var extra = [("Content-Type", Array("text/html; charset=utf-8".utf8))]
            if let after { extra.append(("Retry-After", Array(after.utf8))) }
            return Response(action: .send(Self.message(code, extra: extra, body: Array("<html><body>status \(code)</body></html>".utf8))), delayMilliseconds: delay)
        }
        for case .redirect(let to) in faults {
            status = 302
            return Response(action: .send(Self.message(302, extra: [("Location", Array(to.utf8))], body: [])), delayMilliseconds: delay)
        }
        var page: (body: Data, contentType: String)?
        if target == "/robots.txt" {
            page = control.robots.map { (Data($0.utf8), "text/plain") }
        } else {
            page = control.content.page(target)
        }
        for case .body(let b) in faults { page = (b, page?.contentType ?? "text/html") }
        guard var (body, type) = page else {
            status = 404
            return Response(action: .send(Self.message(404, extra: [("Content-Type", Array("text/html".utf8))], body: Array("<html><body>not found</body></html>".utf8))), delayMilliseconds: delay)
        }
        for case .contentType(let t) in faults { type = t }
        var extra: [(String, [UInt8])] = [("Content-Type", Array(type.utf8))]
        if !faults.contains(.noValidators) {
            var etag = "\"" + String(Fingerprint.sha256Hex(body).prefix(20)) + "\""
            for case .fixedETag(let fixed) in faults { etag = "\"\(fixed)\"" }
            extra += [("ETag", Array(etag.utf8)), ("Last-Modified", Array(Self.lastModified.utf8))]
            if headers["if-none-match"] == etag || (headers["if-none-match"] == nil && headers["if-modified-since"] == Self.lastModified) {
                status = 304
                return Response(action: .send(Self.message(304, extra: extra.filter { $0.0 != "Content-Type" }, body: [], head: true)), delayMilliseconds: delay)
            }
        }
        for case .contentDisposition(let raw) in faults { extra.append(("Content-Disposition", raw)) }
        var bytes = [UInt8](body)
        if faults.contains(.gzip), headers["accept-encoding"]?.contains("gzip") == true, let gz = Gzip.compress(body) {
            bytes = [UInt8](gz)
            extra.append(("Content-Encoding", Array("gzip".utf8)))
        }
        return Response(action: .send(Self.message(200, extra: extra, body: method == "HEAD" ? [] : bytes)), delayMilliseconds: delay)
    }

    static func message(_ status: Int, extra: [(String, [UInt8])], body: [UInt8], head: Bool = false) -> [UInt8] {
        let reason = [200: "OK", 302: "Found", 304: "Not Modified", 404: "Not Found", 410: "Gone", 429: "Too Many Requests",
                      500: "Internal Server Error", 503: "Service Unavailable"][status] ?? "Status"
        var out = Array("HTTP/1.1 \(status) \(reason)\r\n".utf8)
        for (name, value) in extra { out += Array("\(name): ".utf8) + value + Array("\r\n".utf8) }
        if !head { out += Array("Content-Length: \(body.count)\r\n".utf8) }
        out += Array("\r\n".utf8) + body
        return out
    }
}

/// gzip by the system's `gzip` (tests only; Trawl itself only decompresses).
enum Gzip {
    static func compress(_ data: Data) -> Data? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/gzip")
        p.arguments = ["-c", "-n"]
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        do { try p.run() } catch { return nil }
        DispatchQueue.global().async {
            input.fileHandleForWriting.write(data)
            try? input.fileHandleForWriting.close()
        }
        let out = output.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return p.terminationStatus == 0 ? out : nil
    }
}
