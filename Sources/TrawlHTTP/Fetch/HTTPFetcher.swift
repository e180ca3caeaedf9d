import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import TrawlConcurrency
import TrawlWARC

/// GETs one URL politely and defensively: robots.txt, the allowed hosts, per-host slots and
/// delays, conditional headers, redirects followed by hand (each hop is checked against the
/// policy, loops are caught), retries with backoff on timeouts, 429 and 5xx, and size caps on
/// the (decompressed) body.
public final class HTTPFetcher: Sendable {
    public let settings: HTTPSettings
    public let policy: URLPolicy
    private let client: HTTPClient
    private let gate: any HostGating
    let robots: RobotsCache
    let addresses = AddressCheck()
    private let retry: RetryPolicy
    let logger: Logger
    /// Where robots.txt files and their validators are remembered between runs, so that an
    /// unchanged robots.txt costs a 304 like everything else.
    let memory: (any RobotsMemory)?
    /// Where every request and response goes when `http.warc` is on.
    private let warc: WARCWriter?
    /// A `warc` source: responses come from these archives instead of the network, through
    /// the same robots, redirect and size handling.
    let replay: WARCArchive?

    public init(settings: HTTPSettings, policy: URLPolicy, logger: Logger,
                memory: (any RobotsMemory)? = nil, gate: (any HostGating)? = nil,
                warc: WARCWriter? = nil, replay: WARCArchive? = nil) {
        self.warc = settings.warc && replay == nil ? warc : nil
        self.replay = replay
        self.settings = settings
        self.policy = policy
        self.logger = logger
        self.memory = memory
        var config = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: Self.amount(settings.connectTimeout), read: Self.amount(settings.readTimeout)),
            decompression: .enabled(limit: .ratio(settings.maxDecompressionRatio)))
        config.httpVersion = .http1Only
        self.client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: config)
        self.gate = gate ?? HostGate(concurrency: settings.concurrencyPerHost, delay: settings.delay)
        self.retry = RetryPolicy(retries: settings.retries, base: settings.backoffBase, maxRetryAfter: settings.maxRetryAfter)
        self.robots = RobotsCache()
    }

    public func shutdown() async {
        try? await client.shutdown()
    }

    static func amount(_ d: Duration) -> TimeAmount {
        .nanoseconds(d.components.seconds * 1_000_000_000 + d.components.attoseconds / 1_000_000_000)
    }

    /// Fetches `url`, following redirects, with retries. A 304 comes back as a response with
    /// status 304 and no body. `checkRobots` is false only for robots.txt itself.
    public func fetch(_ url: URL, validators: Validators? = nil, to destination: FetchDestination,
                      checkRobots: Bool = true) async -> Result<FetchResponse, FetchFailure> {
        var current = url
        var visited: Set<String> = []
        var redirects = 0
        while true {
            if let refusal = policy.refusal(current) {
                return .failure(fail(url, "refused", current == url ? "\(url.absoluteString): \(refusal)"
                                     : "\(url.absoluteString): redirected to \(current.absoluteString), which is refused: \(refusal)"))
            }
            // An archive is read, not fetched: no name is resolved.
            if replay == nil, !policy.allowPrivate, let host = current.host, let address = await addresses.privateAddress(of: host) {
                return .failure(fail(url, "refused", "\(current.absoluteString): \(host) resolves to the private or loopback address \(address)"))
            }
            if checkRobots, settings.obeyRobots, !(await robotsAllow(current)) {
                return .failure(fail(url, "robots", "\(current.absoluteString): disallowed by robots.txt for \(settings.robotsAgent)"))
            }
            guard visited.insert(current.absoluteString).inserted else {
                return .failure(fail(url, "redirect_loop", "\(url.absoluteString): redirect loop at \(current.absoluteString)"))
            }
            let result = await withRetries(url: url, current: current, validators: validators, destination: destination)
            switch result {
            case .failure(let f): return .failure(f)
            case .success(.response(var response)):
                response.url = url
                return .success(response)
            case .success(.redirect(let location, let status)):
                redirects += 1
                guard redirects <= settings.maxRedirects else {
                    return .failure(fail(url, "too_many_redirects", "\(url.absoluteString): more than \(settings.maxRedirects) redirects"))
                }
                guard let next = URL(string: location, relativeTo: current)?.absoluteURL else {
                    return .failure(fail(url, "bad_redirect", "\(url.absoluteString): \(status) to an invalid Location '\(location)'"))
                }
                current = next
            }
        }
    }

    enum Step: Sendable {
        case response(FetchResponse)
        case redirect(location: String, status: Int)
    }

    func fail(_ url: URL, _ kind: String, _ message: String, status: Int? = nil) -> FetchFailure {
        FetchFailure(kind: kind, message: message, status: status)
    }

    func withRetries(url: URL, current: URL, validators: Validators?, destination: FetchDestination) async -> Result<Step, FetchFailure> {
        let host = Self.hostKey(current)
        var attempt = 0
        while true {
            attempt += 1
            await gate.enter(host)
            let outcome = await once(current, validators: validators, destination: destination)
            // A Retry-After pauses the whole host before the slot is given back, so that no
            // other request (of this process or another) slips in between.
            if case .failure(let f) = outcome, let after = f.retryAfter, after <= retry.maxRetryAfter, attempt <= retry.retries {
                await gate.pause(host, for: after)
            }
            await gate.leave(host)
            switch outcome {
            case .success(.response(var r)):
                r.attempts = attempt
                return .success(.response(r))
            case .success(let step):
                return .success(step)
            case .failure(let failure):
                let retryable = failure.kind == "timeout" || failure.kind == "connection"
                    || (failure.status.map(RetryPolicy.isRetryable) ?? false)
                guard retryable, attempt <= retry.retries, !Task.isCancelled else {
                    var f = failure
                    if attempt > 1 { f.message += " (after \(attempt) attempts)" }
                    if f.message.hasPrefix(current.absoluteString), current != url {
                        f.message = "\(url.absoluteString) → " + f.message
                    }
                    return .failure(f)
                }
                var wait = retry.backoff(attempt: attempt)
                if let after = failure.retryAfter {
                    guard after <= retry.maxRetryAfter else {
                        return .failure(fail(url, "retry_after", "\(current.absoluteString): the server asked to wait \(after), more than the allowed \(retry.maxRetryAfter)", status: failure.status))
                    }
                    wait = after
                }
                logger.debug("retrying", metadata: ["url": "\(current.absoluteString)", "attempt": "\(attempt)", "reason": "\(failure.kind)"])
                try? await Task.sleep(for: wait)
            }
        }
    }

    /// One request, no retries: the response head decides redirect, 304, error or body.
    private func once(_ url: URL, validators: Validators?, destination: FetchDestination) async -> Result<Step, FetchFailure> {
        if let replay { return await replayed(url, from: replay, destination: destination) }
        var request = HTTPClientRequest(url: url.absoluteString)
        request.headers.add(name: "User-Agent", value: settings.userAgent)
        // Only what the client can decode is offered (no brotli: no decoder in the stack).
        request.headers.add(name: "Accept-Encoding", value: "gzip, deflate")
        if let etag = validators?.etag { request.headers.add(name: "If-None-Match", value: etag) }
        if let lm = validators?.lastModified { request.headers.add(name: "If-Modified-Since", value: lm) }
        let name = url.absoluteString
        let deadline = NIODeadline.now() + Self.amount(settings.totalTimeout)
        let started = Date()
        do {
            let response = try await client.execute(request, deadline: deadline, logger: logger)
            let status = Int(response.status.code)
            let headers = response.headers
            /// Archives this exchange (when `http.warc` is on) with the body as stored.
            func archive(_ body: HTTPExchange.Body, length: Int) async {
                guard let warc else { return }
                let exchange = HTTPExchange(url: url, date: started, requestHeaders: request.headers.map { ($0.name, $0.value) },
                                            status: status, reason: response.status.reasonPhrase,
                                            responseHeaders: headers.map { ($0.name, $0.value) }, body: body, bodyLength: length)
                do { try await warc.write(exchange) } catch {
                    logger.error("WARC record not written", metadata: ["url": "\(name)", "folder": "\(warc.folder.path)", "reason": "\(error)"])
                }
            }
            /// A body that is not kept (redirects, 304, errors): read up to 64 KiB, archived.
            func drain() async {
                let buffer = try? await response.body.collect(upTo: 64 << 10)
                let data = buffer.map { Data($0.readableBytesView) } ?? Data()
                await archive(.data(data), length: data.count)
            }
            if [301, 302, 303, 307, 308].contains(status) {
                await drain()
                guard let location = headers.first(name: "Location") else {
                    return .failure(fail(url, "bad_redirect", "\(name): \(status) without a Location header", status: status))
                }
                return .success(.redirect(location: location, status: status))
            }
            let validatorsOut = Validators(etag: headers.first(name: "ETag"), lastModified: headers.first(name: "Last-Modified"))
            var out = FetchResponse(url: url, finalURL: url, status: status, validators: validatorsOut)
            if status == 304 {
                await drain()
                // A 304 may omit validators; the old ones still hold.
                if out.validators.isEmpty, let validators { out.validators = validators }
                return .success(.response(out))
            }
            guard (200..<300).contains(status) else {
                await drain()
                var failure = fail(url, "status_\(status)", "\(name): the server answered \(status) \(response.status.reasonPhrase)", status: status)
                failure.retryAfter = RetryPolicy.retryAfter(headers.first(name: "Retry-After"))
                return .failure(failure)
            }
            if let encoding = headers.first(name: "Content-Encoding")?.lowercased(),
               !["gzip", "x-gzip", "deflate", "identity", ""].contains(encoding) {
                return .failure(fail(url, "unsupported_encoding", "\(name): body in unsupported Content-Encoding '\(encoding)'", status: status))
            }
            Self.describe(&out, contentType: headers.first(name: "Content-Type"), disposition: headers.first(name: "Content-Disposition"))
            if let declared = headers.first(name: "Content-Length").flatMap(Int.init), declared > destination.limit {
                return .failure(fail(url, "too_large", "\(name): Content-Length \(declared) exceeds the limit of \(destination.limit) bytes"))
            }
            switch destination {
            case .memory(let limit):
                var data = Data()
                for try await chunk in response.body {
                    data.append(contentsOf: chunk.readableBytesView)
                    if data.count > limit {
                        return .failure(fail(url, "too_large", "\(name): body exceeds the limit of \(limit) bytes"))
                    }
                }
                out.bytes = data.count
                out.body = data
                await archive(.data(data), length: data.count)
            case .file(let file, let limit):
                guard FileManager.default.createFile(atPath: file.path, contents: nil),
                      let handle = try? FileHandle(forWritingTo: file) else {
                    return .failure(fail(url, "write", "\(name): cannot create the download file \(file.path)"))
                }
                defer { try? handle.close() }
                var total = 0
                for try await chunk in response.body {
                    total += chunk.readableBytes
                    if total > limit {
                        try? FileManager.default.removeItem(at: file)
                        return .failure(fail(url, "too_large", "\(name): download exceeds the limit of \(limit) bytes"))
                    }
                    try handle.write(contentsOf: Data(chunk.readableBytesView))
                }
                out.bytes = total
                out.file = file
                await archive(.file(file), length: total)
            }
            return .success(.response(out))
        } catch {
            return .failure(classify(error, url: url))
        }
    }

    /// What the response head says about the body: its type, charset and file name.
    static func describe(_ out: inout FetchResponse, contentType: String?, disposition: String?) {
        if let type = contentType {
            let parts = type.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            out.contentType = parts.first?.lowercased()
            out.charset = parts.dropFirst().first { $0.lowercased().hasPrefix("charset=") }
                .map { String($0.dropFirst(8)).trimmingCharacters(in: CharacterSet(charactersIn: "\"'")) }
        }
        out.filename = disposition.flatMap(ContentDisposition.filename)
    }

    /// One request answered from the archive: the archived status decides redirect, error or
    /// body, as a live answer would.
    private func replayed(_ url: URL, from archive: WARCArchive, destination: FetchDestination) async -> Result<Step, FetchFailure> {
        let name = url.absoluteString
        guard let response = archive.response(for: url) else {
            return .failure(fail(url, Self.notArchived, "\(name): not in the WARC archive"))
        }
        let status = response.status
        if [301, 302, 303, 307, 308].contains(status) {
            guard let location = response.header("Location") else {
                return .failure(fail(url, "bad_redirect", "\(name): \(status) without a Location header", status: status))
            }
            return .success(.redirect(location: location, status: status))
        }
        guard (200..<300).contains(status) else {
            if status == 304 { return .failure(fail(url, Self.notArchived, "\(name): only a 304 (not modified) is archived")) }
            return .failure(fail(url, "status_\(status)", "\(name): the server answered \(status) \(response.reason)", status: status))
        }
        var out = FetchResponse(url: url, finalURL: url, status: status,
                                validators: Validators(etag: response.header("ETag"), lastModified: response.header("Last-Modified")))
        Self.describe(&out, contentType: response.header("Content-Type"), disposition: response.header("Content-Disposition"))
        do {
            switch destination {
            case .memory(let limit):
                let data = try await BlockingPool.run { Result { try archive.body(for: url, limit: limit, to: nil) } }.get() ?? Data()
                out.bytes = data.count
                out.body = data
            case .file(let file, let limit):
                _ = try await BlockingPool.run { Result { try archive.body(for: url, limit: limit, to: file) } }.get()
                out.bytes = Int((try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? NSNumber)??.intValue ?? 0)
                out.file = file
            }
        } catch {
            let text = "\(error)"
            return .failure(fail(url, text.contains("exceeds the limit") ? "too_large" : "warc_record", text))
        }
        return .success(.response(out))
    }

    /// A URL the archive has no answer for (robots.txt included: then nothing is disallowed).
    static let notArchived = FetchFailure.notArchived

    private func classify(_ error: any Error, url: URL) -> FetchFailure {
        let name = url.absoluteString
        // The run is stopping (SIGINT/SIGTERM): the item is left for the next run.
        if error is CancellationError || Task.isCancelled {
            return fail(url, FetchFailure.cancelled, "\(name): not finished, the run was stopped")
        }
        if let e = error as? HTTPClientError {
            if e == .connectTimeout || e == .readTimeout || e == .deadlineExceeded || e == .writeTimeout {
                return fail(url, "timeout", "\(name): \(e == .connectTimeout ? "connect" : e == .readTimeout ? "read" : "total") timeout")
            }
        }
        let text = String(describing: error)
        // NIOHTTPDecompression.DecompressionError (swift-nio-extras), named by type so that
        // this module need not import NIOHTTPCompression for one check.
        if String(reflecting: type(of: error)).contains("DecompressionError") {
            return fail(url, "decompression", "\(name): the compressed body expands beyond \(settings.maxDecompressionRatio)× its size (\(text))")
        }
        return fail(url, "connection", "\(name): \(text)")
    }

    public static func hostKey(_ url: URL) -> String {
        "\(url.scheme?.lowercased() ?? "http")://\(url.host?.lowercased() ?? "")\(url.port.map { ":\($0)" } ?? "")"
    }
}
