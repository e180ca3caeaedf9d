import Crypto
import Foundation

/// Writes a harvest's requests and responses as WARC/1.1 files in one folder, one gzip member
/// per record (so readers can seek to any record), rotated by size.
///
/// A file being written is named `….warc.gz.open` and renamed to `….warc.gz` once complete.
/// A run killed mid-record leaves an `.open` file ending in a partial member; the next writer
/// on the folder cuts it back to its last complete record and renames it, so every `.warc.gz`
/// reads to the end. File names are made from the time and a counter, never from a URL.
public actor WARCWriter {
    public nonisolated let folder: URL
    public nonisolated let maxFileBytes: Int
    private let software: String
    private var current: (handle: FileHandle, url: URL, bytes: Int)?
    private var sequence = 0
    private let stamp: String

    public struct Failure: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// Files left open by a killed run are repaired here, before anything new is written.
    public init(folder: URL, maxFileBytes: Int, software: String) throws {
        self.folder = folder
        self.maxFileBytes = maxFileBytes
        self.software = software
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMddHHmmssSSS"
        stamp = f.string(from: Date())
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Self.repairLeftovers(in: folder)
    }

    /// The files finished so far, and the `.open` ones a killed run left, made whole.
    public static func repairLeftovers(in folder: URL) throws {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names where name.hasSuffix(".warc.gz.open") {
            let open = folder.appendingPathComponent(name)
            guard let complete = GzipMember.completePrefix(of: open) else {
                throw Failure(description: "\(open.path): cannot be read to repair it")
            }
            if complete == 0 {
                try FileManager.default.removeItem(at: open)
                continue
            }
            let handle = try FileHandle(forWritingTo: open)
            try handle.truncate(atOffset: UInt64(complete))
            try handle.synchronize()
            try handle.close()
            try FileManager.default.moveItem(at: open, to: folder.appendingPathComponent(String(name.dropLast(".open".count))))
        }
    }

    /// Appends the response and then the request that asked for it.
    public func write(_ exchange: HTTPExchange) throws {
        let responseID = WARCRecord.newID()
        var payload = Insecure.SHA1()
        var block = Insecure.SHA1()
        block.update(data: exchange.responseHead)
        var bodyLength = 0
        try Self.forEachPiece(of: exchange.body) { piece in
            payload.update(data: piece)
            block.update(data: piece)
            bodyLength += piece.count
        }
        let uri = exchange.url.absoluteString
        let response = WARCRecord.header(type: "response", id: responseID, date: exchange.date, fields: [
            ("WARC-Target-URI", uri),
            ("WARC-Payload-Digest", WARCRecord.sha1(payload.finalize())),
            ("WARC-Block-Digest", WARCRecord.sha1(block.finalize())),
        ], contentType: "application/http; msgtype=response", length: exchange.responseHead.count + bodyLength)
        try appendRecord(header: response, head: exchange.responseHead, body: exchange.body)
        let request = WARCRecord.header(type: "request", id: WARCRecord.newID(), date: exchange.date, fields: [
            ("WARC-Target-URI", uri),
            ("WARC-Concurrent-To", responseID),
            ("WARC-Block-Digest", WARCRecord.sha1(Insecure.SHA1.hash(data: exchange.requestHead))),
        ], contentType: "application/http; msgtype=request", length: exchange.requestHead.count)
        try appendRecord(header: request, head: exchange.requestHead, body: nil)
        if let c = current, c.bytes >= maxFileBytes { try finishFile() }
    }

    /// Closes the file being written (end of the run).
    public func close() throws {
        try finishFile()
    }

    private func appendRecord(header: Data, head: Data, body: HTTPExchange.Body?) throws {
        let file = try openFile()
        current?.bytes += try Self.writeMember(to: file, header: header, head: head, body: body)
    }

    /// One record as one gzip member, the body compressed piece by piece; returns the bytes written.
    private nonisolated static func writeMember(to file: FileHandle, header: Data, head: Data, body: HTTPExchange.Body?) throws -> Int {
        let gzip = try GzipMember()
        var written = 0
        var out = try gzip.compress(header)
        out += try gzip.compress(head)
        if let body {
            try forEachPiece(of: body) { piece in
                out += try gzip.compress(piece)
                if out.count >= 1 << 20 {
                    try file.write(contentsOf: out)
                    written += out.count
                    out.removeAll(keepingCapacity: true)
                }
            }
        }
        out += try gzip.compress(WARCRecord.trailer)
        out += try gzip.finish()
        try file.write(contentsOf: out)
        return written + out.count
    }

    private nonisolated static func forEachPiece(of body: HTTPExchange.Body, _ use: (Data) throws -> Void) throws {
        switch body {
        case .data(let d):
            try use(d)
        case .file(let url):
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            while let piece = try handle.read(upToCount: 1 << 20), !piece.isEmpty { try use(piece) }
        }
    }

    private func openFile() throws -> FileHandle {
        if let c = current { return c.handle }
        sequence += 1
        let name = String(format: "trawl-%@-%05d.warc.gz", stamp, sequence)
        let url = folder.appendingPathComponent(name + ".open")
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw Failure(description: "\(url.path): cannot create the WARC file")
        }
        let handle = try FileHandle(forWritingTo: url)
        current = (handle, url, 0)
        let info = Data("software: \(software)\r\nformat: WARC File Format 1.1\r\nconformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n".utf8)
        let header = WARCRecord.header(type: "warcinfo", id: WARCRecord.newID(), date: Date(), fields: [("WARC-Filename", name)],
                                       contentType: "application/warc-fields", length: info.count)
        try appendRecord(header: header, head: info, body: nil)
        return handle
    }

    private func finishFile() throws {
        guard let c = current else { return }
        current = nil
        try c.handle.synchronize()
        try c.handle.close()
        try FileManager.default.moveItem(at: c.url, to: c.url.deletingPathExtension())
    }
}
