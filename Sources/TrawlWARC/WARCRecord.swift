import Crypto
import Foundation

/// One request and its response as Trawl saw them, for the archive. The response head is
/// written as the body is stored: the HTTP client has already removed chunking and content
/// coding, so `Transfer-Encoding` and `Content-Encoding` are left out and `Content-Length`
/// is the stored length (the original coding is kept as `X-Trawl-Original-Content-Encoding`).
public struct HTTPExchange: Sendable {
    public enum Body: Sendable {
        case data(Data)
        /// A download already on disk (an attachment), read in pieces, never held whole.
        case file(URL)
    }

    public var url: URL
    public var date: Date
    public var requestHead: Data
    public var responseHead: Data
    public var body: Body

    public init(url: URL, date: Date, method: String = "GET", requestHeaders: [(String, String)],
                status: Int, reason: String, responseHeaders: [(String, String)], body: Body, bodyLength: Int) {
        self.url = url
        self.date = date
        var target = url.path(percentEncoded: true)
        if target.isEmpty { target = "/" }
        if let q = url.query(percentEncoded: true) { target += "?" + q }
        var request = "\(method) \(target) HTTP/1.1\r\n"
        if let host = url.host(percentEncoded: true) { request += "Host: \(host)\(url.port.map { ":\($0)" } ?? "")\r\n" }
        for (name, value) in requestHeaders where name.lowercased() != "host" { request += "\(name): \(value)\r\n" }
        requestHead = Data((request + "\r\n").utf8)
        var response = "HTTP/1.1 \(status) \(reason)\r\n"
        for (name, value) in responseHeaders {
            switch name.lowercased() {
            case "transfer-encoding", "content-length": continue
            case "content-encoding": response += "X-Trawl-Original-Content-Encoding: \(value)\r\n"
            default: response += "\(name): \(value)\r\n"
            }
        }
        response += "Content-Length: \(bodyLength)\r\n\r\n"
        responseHead = Data(response.utf8)
        self.body = body
    }
}

/// WARC/1.1 record headers (ISO 28500:2017).
enum WARCRecord {
    static func header(type: String, id: String, date: Date, fields: [(String, String)], contentType: String, length: Int) -> Data {
        var s = "WARC/1.1\r\nWARC-Type: \(type)\r\nWARC-Record-ID: \(id)\r\nWARC-Date: \(timestamp(date))\r\n"
        for (name, value) in fields { s += "\(name): \(value)\r\n" }
        s += "Content-Type: \(contentType)\r\nContent-Length: \(length)\r\n\r\n"
        return Data(s.utf8)
    }

    static let trailer = Data("\r\n\r\n".utf8)

    static func newID() -> String { "<urn:uuid:\(UUID().uuidString.lowercased())>" }

    /// `2026-12-02T22:40:40.123456Z`: WARC 1.1 allows fractions of a second.
    static func timestamp(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        let whole = floor(seconds)
        let micros = Int(((seconds - whole) * 1_000_000).rounded(.down))
        let f = Date.ISO8601FormatStyle(timeZone: .gmt)
        let base = Date(timeIntervalSince1970: whole).formatted(f)  // 2026-12-02T22:40:40Z
        return String(base.dropLast()) + String(format: ".%06dZ", micros)
    }

    /// `sha1:` and the digest in RFC 4648 base32, as WARC tools write and check it.
    static func sha1(_ digest: Insecure.SHA1.Digest) -> String { "sha1:" + base32(Array(digest)) }

    static func base32(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var out = ""
        var buffer = 0, bits = 0
        for b in bytes {
            buffer = (buffer << 8) | Int(b)
            bits += 8
            while bits >= 5 {
                out.append(alphabet[(buffer >> (bits - 5)) & 31])
                bits -= 5
            }
        }
        if bits > 0 { out.append(alphabet[(buffer << (5 - bits)) & 31]) }
        while out.count % 8 != 0 { out.append("=") }
        return out
    }
}
