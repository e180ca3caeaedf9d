import CTrawlInflate
import Foundation

/// WARC files (1.0 and 1.1; uncompressed, or gzip with one member per record) read as the
/// archive of a site: an index of response and revisit records by target URI, built by
/// streaming through the files (only headers are kept), and the body of any indexed response
/// on demand. Records that are cut short or damaged are reported and skipped.
public final class WARCArchive: Sendable {
    /// What a server answered for a URL, as archived.
    public struct Response: Sendable {
        public var status: Int
        public var reason: String
        public var headers: [Header]
        public var date: String

        public func header(_ name: String) -> String? {
            headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
        }
    }

    public struct Header: Sendable, Equatable {
        public var name: String
        public var value: String
    }

    struct Entry: Sendable {
        var file: URL
        var offset: Int64
        var gzip: Bool
        /// Bytes of the WARC header, then of the block (HTTP head and payload).
        var headerLength: Int
        var blockLength: Int64
        var httpHeadLength: Int
        var response: Response
        var type: String
        /// For a revisit: the URI (and date) of the record holding the payload.
        var refersTo: String?
    }

    private let entries: [String: [Entry]]
    /// Records that could not be read, each with its file, offset and reason.
    public let problems: [String]
    public let recordCount: Int

    public struct Failure: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// Headers of a record and its HTTP head are read from its first 256 KiB.
    static let headLimit = 256 << 10

    public init(files: [URL]) throws {
        var entries: [String: [Entry]] = [:]
        var problems: [String] = []
        var count = 0
        for file in files {
            guard FileManager.default.isReadableFile(atPath: file.path) else { throw Failure(description: "\(file.path): cannot be read") }
            try Self.scan(file) { result in
                switch result {
                case .success(let entry):
                    count += 1
                    if let entry, let key = Self.key(entry.uri) { entries[key, default: []].append(entry.entry) }
                case .failure(let problem):
                    problems.append(problem.description)
                }
            }
        }
        self.entries = entries
        self.problems = problems
        self.recordCount = count
    }

    static func key(_ uri: String) -> String? {
        var s = uri.trimmingCharacters(in: .whitespaces)
        if s.hasPrefix("<"), s.hasSuffix(">") { s = String(s.dropFirst().dropLast()) }
        return URL(string: s)?.absoluteString
    }

    /// The response to replay for `url`: the latest 2xx if there is one, else the latest
    /// answer of any other status; a revisit takes its payload from the record it refers to.
    func entry(for url: URL) -> Entry? {
        guard let list = entries[url.absoluteString] else { return nil }
        let ordered = list.sorted { $0.response.date < $1.response.date }
        if let ok = ordered.last(where: { $0.type == "response" && (200..<300).contains($0.response.status) }) { return ok }
        if let revisit = ordered.last(where: { $0.type == "revisit" }) {
            let target = revisit.refersTo.flatMap { URL(string: $0) } ?? url
            if target.absoluteString != url.absoluteString || revisit.refersTo == nil,
               let original = entries[target.absoluteString]?.filter({ $0.type == "response" && (200..<300).contains($0.response.status) })
                .max(by: { $0.response.date < $1.response.date }) {
                var e = original
                if (200..<300).contains(revisit.response.status) { e.response = revisit.response }
                return e
            }
        }
        return ordered.last { $0.type == "response" }
    }

    public func response(for url: URL) -> Response? { entry(for: url)?.response }

    /// The target URIs with an indexed response or revisit.
    public var uris: [String] { entries.keys.sorted() }

    /// The payload of the response for `url`, as the server meant it: chunking and gzip or
    /// deflate content coding removed. Held in memory (pages) when `file` is nil, else
    /// written there (attachments).
    public func body(for url: URL, limit: Int, to file: URL?) throws -> Data? {
        guard let e = entry(for: url) else { throw Failure(description: "\(url.absoluteString): not in the archive") }
        let payloadLength = e.blockLength - Int64(e.httpHeadLength)
        let chunked = e.response.header("Transfer-Encoding")?.lowercased().contains("chunked") == true
        let coding = e.response.header("Content-Encoding")?.lowercased() ?? ""
        let decoded = chunked || ["gzip", "x-gzip", "deflate"].contains(coding)
        guard decoded || payloadLength <= Int64(limit) else { throw Failure(description: "\(url.absoluteString): body exceeds the limit of \(limit) bytes") }
        let start = Int64(e.headerLength + e.httpHeadLength)
        // The record's bytes: a gzip member is inflated to a scratch file first.
        let source: URL
        var scratch: URL?
        if e.gzip {
            let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("trawl-warc-\(UUID().uuidString)")
            scratch = tmp
            var head: UnsafeMutablePointer<UInt8>?
            var headLength = 0, member: Int64 = 0, out: Int64 = 0
            let status = trawl_gzip_member(e.file.path, e.offset, 0, tmp.path, start + payloadLength + 8, &head, &headLength, &member, &out)
            trawl_inflate_free(head)
            guard status == Int32(TRAWL_INFLATE_OK.rawValue) || out >= start + payloadLength else {
                try? FileManager.default.removeItem(at: tmp)
                throw Failure(description: "\(url.absoluteString): its record in \(e.file.lastPathComponent) at \(e.offset) cannot be inflated (status \(status))")
            }
            source = tmp
        } else {
            source = e.file
        }
        defer { if let scratch { try? FileManager.default.removeItem(at: scratch) } }
        let reader = try FileHandle(forReadingFrom: source)
        defer { try? reader.close() }
        try reader.seek(toOffset: UInt64((e.gzip ? 0 : e.offset) + start))
        if !decoded {
            if let file {
                guard FileManager.default.createFile(atPath: file.path, contents: nil) else { throw Failure(description: "\(file.path): cannot be created") }
                let writer = try FileHandle(forWritingTo: file)
                defer { try? writer.close() }
                var left = payloadLength
                while left > 0, let piece = try reader.read(upToCount: Int(min(left, 1 << 20))), !piece.isEmpty {
                    try writer.write(contentsOf: piece)
                    left -= Int64(piece.count)
                }
                guard left == 0 else { throw Failure(description: "\(url.absoluteString): body cut short in \(e.file.lastPathComponent)") }
                return nil
            }
            let data = try reader.read(upToCount: Int(payloadLength)) ?? Data()
            guard data.count == Int(payloadLength) else { throw Failure(description: "\(url.absoluteString): body cut short in \(e.file.lastPathComponent)") }
            return data
        }
        // Chunked or compressed (other tools' archives): decoded in memory, within the limit
        // before and after decoding.
        guard payloadLength <= Int64(limit) * 2 + (1 << 20) else { throw Failure(description: "\(url.absoluteString): body exceeds the limit of \(limit) bytes") }
        var data = try reader.read(upToCount: Int(payloadLength)) ?? Data()
        if chunked { data = try Self.dechunk(data, url: url) }
        if ["gzip", "x-gzip", "deflate"].contains(coding), !data.isEmpty {
            var out: UnsafeMutablePointer<UInt8>?
            var length = 0
            let status = data.withUnsafeBytes { raw in
                trawl_inflate_any(raw.bindMemory(to: UInt8.self).baseAddress, raw.count, limit, &out, &length)
            }
            defer { trawl_inflate_free(out) }
            guard status == Int32(TRAWL_INFLATE_OK.rawValue), let out else {
                throw Failure(description: "\(url.absoluteString): \(coding) body cannot be decoded (status \(status))")
            }
            data = Data(bytes: out, count: length)
        }
        guard data.count <= limit else { throw Failure(description: "\(url.absoluteString): body exceeds the limit of \(limit) bytes") }
        if let file {
            try data.write(to: file)
            return nil
        }
        return data
    }

    /// `Transfer-Encoding: chunked` (RFC 9112 §7.1): sizes in hex, extensions and trailers ignored.
    static func dechunk(_ data: Data, url: URL) throws -> Data {
        var out = Data()
        var i = data.startIndex
        let crlf = Data("\r\n".utf8)
        while i < data.endIndex {
            guard let lineEnd = data.range(of: crlf, in: i..<data.endIndex) else { break }
            let line = String(decoding: data[i..<lineEnd.lowerBound], as: UTF8.self)
            guard let size = Int(line.split(separator: ";").first?.trimmingCharacters(in: .whitespaces) ?? "", radix: 16) else {
                throw Failure(description: "\(url.absoluteString): damaged chunked body")
            }
            if size == 0 { break }
            let start = lineEnd.upperBound
            guard start + size <= data.endIndex else { out += data[start..<data.endIndex]; break }  // cut short: what arrived
            out += data[start..<start + size]
            i = min(data.endIndex, start + size + 2)
        }
        return out
    }

    // MARK: Scanning

    struct Scanned {
        var uri: String
        var entry: Entry
    }

    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    /// Calls `found` for every record of `file` (nil for records that are not indexed).
    static func scan(_ file: URL, _ found: (Result<Scanned?, Problem>) -> Void) throws {
        let handle = try FileHandle(forReadingFrom: file)
        let size = Int64(try handle.seekToEnd())
        try handle.seek(toOffset: 0)
        let magic = try handle.read(upToCount: 2) ?? Data()
        try handle.close()
        let gzip = magic == Data([0x1F, 0x8B])
        var offset: Int64 = 0
        while offset < size {
            let head: Data
            var recordEnd: Int64
            var inflated: Int64 = 0
            if gzip {
                var bytes: UnsafeMutablePointer<UInt8>?
                var length = 0, member: Int64 = 0
                let status = trawl_gzip_member(file.path, offset, headLimit, nil, Int64.max, &bytes, &length, &member, &inflated)
                defer { trawl_inflate_free(bytes) }
                if status != Int32(TRAWL_INFLATE_OK.rawValue) {
                    let why = status == Int32(TRAWL_INFLATE_TRUNCATED.rawValue) ? "cut short" : "not a gzip member"
                    found(.failure(Problem(description: "\(file.lastPathComponent) at \(offset): record \(why); the rest of the file is skipped")))
                    return
                }
                head = bytes.map { Data(bytes: $0, count: length) } ?? Data()
                recordEnd = offset + member
            } else {
                let h = try FileHandle(forReadingFrom: file)
                try h.seek(toOffset: UInt64(offset))
                head = try h.read(upToCount: headLimit) ?? Data()
                try h.close()
                recordEnd = 0
            }
            guard let parsed = parseRecordHead(head) else {
                if offset == 0, head.starts(with: Data("filedesc://".utf8)) {
                    found(.failure(Problem(description: "\(file.lastPathComponent): an ARC file (the format before WARC), which Trawl does not read")))
                    return
                }
                found(.failure(Problem(description: "\(file.lastPathComponent) at \(offset): no WARC record header; the rest of the file is skipped")))
                return
            }
            let total = Int64(parsed.headerLength) + parsed.blockLength
            if gzip {
                if inflated < total {
                    found(.failure(Problem(description: "\(file.lastPathComponent) at \(offset): record cut short (\(inflated) of \(total) bytes)")))
                    offset = recordEnd
                    continue
                }
                if inflated > total + 4 + 16 {
                    found(.failure(Problem(description: "\(file.lastPathComponent): not compressed record by record (one gzip member holds several records); not indexed")))
                    return
                }
            } else {
                recordEnd = offset + total + 4
                if recordEnd > size + 4 {
                    found(.failure(Problem(description: "\(file.lastPathComponent) at \(offset): record cut short")))
                    return
                }
            }
            var indexed: Scanned?
            if ["response", "revisit"].contains(parsed.type), let uri = parsed.uri {
                let block = head.dropFirst(parsed.headerLength)
                if parsed.contentType.lowercased().hasPrefix("application/http"), let http = parseHTTPHead(Data(block)) {
                    var response = http.response
                    response.date = parsed.date
                    indexed = Scanned(uri: uri, entry: Entry(file: file, offset: offset, gzip: gzip, headerLength: parsed.headerLength,
                                                             blockLength: parsed.blockLength, httpHeadLength: min(http.length, Int(parsed.blockLength)),
                                                             response: response, type: parsed.type, refersTo: parsed.refersTo))
                } else if parsed.type == "response" {
                    found(.failure(Problem(description: "\(file.lastPathComponent) at \(offset): \(uri): no HTTP response head in the record")))
                }
            }
            found(.success(indexed))
            offset = recordEnd
            // Uncompressed files: records end in CRLF CRLF; tolerate extra blank lines.
            if !gzip { offset = skipBlankLines(file, from: offset, size: size) }
        }
    }

    static func skipBlankLines(_ file: URL, from offset: Int64, size: Int64) -> Int64 {
        guard let h = try? FileHandle(forReadingFrom: file) else { return offset }
        defer { try? h.close() }
        var at = offset
        while at < size {
            try? h.seek(toOffset: UInt64(at))
            guard let b = try? h.read(upToCount: 1), let c = b.first, c == 0x0D || c == 0x0A else { break }
            at += 1
        }
        return at
    }

    struct RecordHead {
        var type: String
        var uri: String?
        var date: String
        var contentType: String
        var refersTo: String?
        var headerLength: Int
        var blockLength: Int64
    }

    static func parseRecordHead(_ data: Data) -> RecordHead? {
        guard let (fields, length) = headerFields(data, firstLinePrefix: "WARC/"),
              let contentLength = fields["content-length"].flatMap({ Int64($0) }) else { return nil }
        return RecordHead(type: fields["warc-type"]?.lowercased() ?? "", uri: fields["warc-target-uri"], date: fields["warc-date"] ?? "",
                          contentType: fields["content-type"] ?? "", refersTo: fields["warc-refers-to-target-uri"],
                          headerLength: length, blockLength: contentLength)
    }

    static func parseHTTPHead(_ data: Data) -> (response: Response, length: Int)? {
        guard let end = headEnd(data) else { return nil }
        let text = String(decoding: data[data.startIndex..<data.startIndex + end.content], as: UTF8.self)
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
        guard let status = lines.first, status.hasPrefix("HTTP/") else { return nil }
        lines.removeFirst()
        let parts = status.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        guard parts.count >= 2, let code = Int(parts[1]) else { return nil }
        var headers: [Header] = []
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append(Header(name: String(line[..<colon]).trimmingCharacters(in: .whitespaces),
                                  value: String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)))
        }
        return (Response(status: code, reason: parts.count > 2 ? String(parts[2]) : "", headers: headers, date: ""), end.total)
    }

    /// Where a head ends: the blank line (CRLF CRLF, or bare LF LF from lax writers).
    static func headEnd(_ data: Data) -> (content: Int, total: Int)? {
        let bytes = [UInt8](data.prefix(headLimit))
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x0A {
                if i + 1 < bytes.count, bytes[i + 1] == 0x0A { return (i, i + 2) }
                if i + 2 < bytes.count, bytes[i + 1] == 0x0D, bytes[i + 2] == 0x0A { return (i, i + 3) }
            }
            i += 1
        }
        return nil
    }

    static func headerFields(_ data: Data, firstLinePrefix: String) -> ([String: String], Int)? {
        guard let end = headEnd(data) else { return nil }
        let text = String(decoding: data[data.startIndex..<data.startIndex + end.content], as: UTF8.self)
        let lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
        guard let first = lines.first, first.hasPrefix(firstLinePrefix) else { return nil }
        var fields: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return (fields, end.total)
    }
}
