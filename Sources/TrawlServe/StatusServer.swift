import Foundation
import Hummingbird
import Logging
import NIOCore

/// `trawl serve`: a read-only web page over an output directory (search, records, runs),
/// bound to 127.0.0.1 unless told otherwise.
public struct StatusServer: Sendable {
    let pages: Pages
    let host: String
    let port: Int
    let logger: Logger

    public init(output: URL, sources: [String], host: String = "127.0.0.1", port: Int = 8080, logger: Logger) {
        pages = Pages(output: output, sources: sources)
        self.host = host; self.port = port; self.logger = logger
    }

    /// Serves until SIGINT/SIGTERM; `onListening` gets the address (the port when 0 was asked).
    public func run(onListening: @escaping @Sendable (String) -> Void) async throws {
        let router = Router()
        let pages = self.pages
        router.get("/") { request, _ -> Response in
            let q = Self.parameters(request.uri.query)
            let page = pages.search(query: q["q"] ?? "", source: q["source"].flatMap { $0.isEmpty ? nil : $0 },
                                    since: q["since"].flatMap { $0.isEmpty ? nil : $0 })
            return Self.html(page)
        }
        router.get("/record/:id") { _, context -> Response in
            Self.html(pages.record(id: context.parameters.get("id") ?? ""))
        }
        router.get("/runs") { _, _ -> Response in Self.html(pages.runs()) }
        let app = Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: "trawl"),
                              onServerRunning: { channel in
                                  let bound = channel.localAddress?.port ?? 0
                                  onListening("http://\(host):\(bound)/")
                              }, logger: logger)
        try await app.runService()
    }

    static func html(_ page: (status: Int, html: String)) -> Response {
        var response = Response(status: .init(code: page.status), body: .init(byteBuffer: ByteBuffer(string: page.html)))
        response.headers[.contentType] = "text/html; charset=utf-8"
        response.headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'"
        return response
    }

    /// A form's query string: `+` is a space, then percent-decoding; the first of repeated keys.
    static func parameters(_ query: String?) -> [String: String] {
        var out: [String: String] = [:]
        for pair in (query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            guard let key = parts.first, out[key] == nil else { continue }
            out[key] = parts.count > 1 ? parts[1] : ""
        }
        return out
    }
}
