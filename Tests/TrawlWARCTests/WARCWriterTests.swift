import Crypto
import Foundation
import Testing
@testable import TrawlWARC

/// A WARC file read back independently of the writer: `gzip -dc` (members concatenated), then
/// record by record from the WARC headers' Content-Length.
struct ReadRecord {
    var headers: [String: String]
    var block: Data
}

func readWARC(_ file: URL) throws -> [ReadRecord] {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/gzip")
    p.arguments = ["-dc", file.path]
    let pipe = Pipe()
    p.standardOutput = pipe
    try p.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    guard p.terminationStatus == 0 else { throw WARCTestError(message: "gzip -dc failed on \(file.lastPathComponent)") }
    var records: [ReadRecord] = []
    var i = data.startIndex
    let crlf2 = Data("\r\n\r\n".utf8)
    while i < data.endIndex {
        guard let end = data.range(of: crlf2, in: i..<data.endIndex) else { throw WARCTestError(message: "header without end at \(i)") }
        let lines = String(decoding: data[i..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        guard lines.first == "WARC/1.1" else { throw WARCTestError(message: "record at \(i) starts with \(lines.first ?? "")") }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        guard let length = headers["content-length"].flatMap(Int.init) else { throw WARCTestError(message: "no Content-Length") }
        let blockStart = end.upperBound
        let blockEnd = blockStart + length
        guard blockEnd + 4 <= data.endIndex, data[blockEnd..<blockEnd + 4] == crlf2 else {
            throw WARCTestError(message: "record at \(i) is cut short")
        }
        records.append(ReadRecord(headers: headers, block: data[blockStart..<blockEnd]))
        i = blockEnd + 4
    }
    return records
}

struct WARCTestError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// warcio (PyPI, the reference reader) when a venv has it: `TRAWL_WARCIO`, else the
/// benchmarks' venv. Without it the oracle check says SKIPPED.
func warcio() -> String? {
    if let env = ProcessInfo.processInfo.environment["TRAWL_WARCIO"], FileManager.default.isExecutableFile(atPath: env) { return env }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let venv = root.appendingPathComponent("Benchmarks/.venv/bin/warcio").path
    return FileManager.default.isExecutableFile(atPath: venv) ? venv : nil
}

func runWarcio(_ tool: String, _ args: [String]) throws -> (status: Int32, output: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: tool)
    p.arguments = args
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = pipe
    try p.run()
    let out = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: out, as: UTF8.self))
}

func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("trawl-warc-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

func exchange(_ url: String, body: HTTPExchange.Body, length: Int, status: Int = 200) -> HTTPExchange {
    HTTPExchange(url: URL(string: url)!, date: Date(), requestHeaders: [("User-Agent", "Trawl/test"), ("Accept-Encoding", "gzip, deflate")],
                 status: status, reason: status == 200 ? "OK" : "Not Found",
                 responseHeaders: [("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked")],
                 body: body, bodyLength: length)
}

func finished(_ folder: URL) throws -> [URL] {
    try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil).filter { $0.lastPathComponent.hasSuffix(".warc.gz") }
        .sorted { $0.lastPathComponent < $1.lastPathComponent }
}

@Suite struct WARCWriterTests {
    @Test func recordsReadBackWithTheirDigests() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = Data("<html><body>보도자료</body></html>".utf8)
        let big = Data((0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 2654435761 >> 13) })
        let download = folder.appendingPathComponent("download.bin")
        try big.write(to: download)
        let writer = try WARCWriter(folder: folder.appendingPathComponent("warc"), maxFileBytes: 1 << 30, software: "Trawl test")
        try await writer.write(exchange("http://127.0.0.1:8080/보도/list.do?page=1", body: .data(page), length: page.count))
        try await writer.write(exchange("http://127.0.0.1:8080/files/a.pdf", body: .file(download), length: big.count))
        try await writer.write(exchange("http://127.0.0.1:8080/gone", body: .data(Data()), length: 0, status: 404))
        try await writer.close()

        let files = try finished(folder.appendingPathComponent("warc"))
        #expect(files.count == 1)
        let records = try readWARC(files[0])
        #expect(records.map { $0.headers["warc-type"] ?? "" } == ["warcinfo", "response", "request", "response", "request", "response", "request"])
        let responses = records.filter { $0.headers["warc-type"] == "response" }
        for (record, body) in zip(responses, [page, big, Data()]) {
            let payload = Insecure.SHA1.hash(data: body)
            #expect(record.headers["warc-payload-digest"] == WARCRecord.sha1(payload))
            #expect(record.headers["warc-block-digest"] == WARCRecord.sha1(Insecure.SHA1.hash(data: record.block)))
            #expect(record.block.suffix(body.count) == body)
            let head = String(decoding: record.block.prefix(record.block.count - body.count), as: UTF8.self)
            #expect(head.contains("Content-Length: \(body.count)\r\n"), "the stored length, not the wire's")
            #expect(!head.contains("Transfer-Encoding") && head.contains("X-Trawl-Original-Content-Encoding: gzip"))
        }
        #expect(responses[0].headers["warc-target-uri"] == "http://127.0.0.1:8080/%EB%B3%B4%EB%8F%84/list.do?page=1")
        let requests = records.filter { $0.headers["warc-type"] == "request" }
        #expect(zip(requests, responses).allSatisfy { $0.headers["warc-concurrent-to"] == $1.headers["warc-record-id"] })
        #expect(String(decoding: requests[0].block, as: UTF8.self).hasPrefix("GET /%EB%B3%B4%EB%8F%84/list.do?page=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"))

        if let tool = warcio() {
            let check = try runWarcio(tool, ["check", "-v", files[0].path])
            #expect(check.status == 0, "warcio check: \(check.output)")
            let index = try runWarcio(tool, ["index", "-f", "warc-type,warc-target-uri", files[0].path])
            #expect(index.status == 0 && index.output.split(separator: "\n").count == 7, "warcio index: \(index.output)")
        } else {
            print("SKIPPED: warcio check (no warcio: set TRAWL_WARCIO or make Benchmarks/.venv with warcio)")
        }
    }

    @Test func filesRotateBySizeAndEachStandsAlone() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let writer = try WARCWriter(folder: folder, maxFileBytes: 2_000, software: "Trawl test")
        var random = SystemRandomNumberGenerator()
        let body = Data((0..<4_000).map { _ in UInt8.random(in: 0...255, using: &random) })  // incompressible
        for n in 0..<5 { try await writer.write(exchange("http://127.0.0.1/p\(n)", body: .data(body), length: body.count)) }
        try await writer.close()
        let files = try finished(folder)
        #expect(files.count == 5, "one exchange fills a 2 kB file: \(files.map(\.lastPathComponent))")
        for file in files {
            let types = try readWARC(file).map { $0.headers["warc-type"] ?? "" }
            #expect(types == ["warcinfo", "response", "request"], "\(file.lastPathComponent): \(types)")
        }
    }

    /// A run killed mid-record leaves an `.open` file ending in a partial gzip member; the next
    /// writer cuts it back to the last complete record and finishes it.
    @Test func aFileCutShortByAKillIsRepaired() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let body = Data(repeating: 0x41, count: 10_000)
        do {
            let writer = try WARCWriter(folder: folder, maxFileBytes: 1 << 30, software: "Trawl test")
            try await writer.write(exchange("http://127.0.0.1/a", body: .data(body), length: body.count))
            try await writer.write(exchange("http://127.0.0.1/b", body: .data(body), length: body.count))
        }
        let open = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil).filter { $0.lastPathComponent.hasSuffix(".open") }
        let before = try finished(folder)
        #expect(open.count == 1 && before.isEmpty)
        // The start of a third record's member, as a kill mid-write leaves it.
        let gzip = try GzipMember()
        var partial = try gzip.compress(Data(String(repeating: "WARC/1.1\r\nWARC-Type: response\r\n", count: 500).utf8))
        partial += try gzip.compress(Data((0..<50_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }))
        let handle = try FileHandle(forWritingTo: open[0])
        try handle.seekToEnd()
        try handle.write(contentsOf: partial.prefix(partial.count / 2))
        try handle.close()
        #expect(throws: (any Error).self) { try readWARC(open[0]) }

        _ = try WARCWriter(folder: folder, maxFileBytes: 1 << 30, software: "Trawl test")
        let files = try finished(folder)
        #expect(files.count == 1)
        #expect(try readWARC(files[0]).map { $0.headers["warc-target-uri"] ?? "-" } == ["-", "http://127.0.0.1/a", "http://127.0.0.1/a", "http://127.0.0.1/b", "http://127.0.0.1/b"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).allSatisfy { !$0.hasSuffix(".open") })
    }

    @Test func base32AsRFC4648() {
        #expect(WARCRecord.base32(Array("foobar".utf8)) == "MZXW6YTBOI======")
        #expect(WARCRecord.base32(Array("f".utf8)) == "MY======")
        // The SHA-1 of the empty string, as WARC tools print it.
        #expect(WARCRecord.sha1(Insecure.SHA1.hash(data: Data())) == "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ")
    }
}
