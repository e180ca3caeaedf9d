import Foundation
import Testing
@testable import TrawlWARC

/// Records as other tools write them, built byte by byte (uncompressed WARC/1.0).
private func record(type: String, uri: String, date: String, block: String, extra: String = "") -> String {
    "WARC/1.0\r\nWARC-Type: \(type)\r\nWARC-Target-URI: \(uri)\r\nWARC-Date: \(date)\r\n\(extra)"
        + "Content-Type: application/http; msgtype=response\r\nContent-Length: \(block.utf8.count)\r\n\r\n\(block)\r\n\r\n"
}

@Suite struct WARCArchiveTests {
    func archive(_ text: String) throws -> (WARCArchive, URL) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("trawl-archive-\(UUID().uuidString).warc")
        try Data(text.utf8).write(to: file)
        return (try WARCArchive(files: [file]), file)
    }

    @Test func aRevisitOfAnotherURLTakesThatURLsPayload() throws {
        let (a, file) = try archive(
            record(type: "response", uri: "http://x.example/a", date: "2024-01-01T00:00:00Z",
                   block: "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>shared</p>")
            + record(type: "revisit", uri: "http://x.example/b", date: "2024-01-02T00:00:00Z",
                     block: "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=euc-kr\r\n\r\n",
                     extra: "WARC-Refers-To-Target-URI: http://x.example/a\r\nWARC-Profile: http://netpreserve.org/warc/1.0/revisit/identical-payload-digest\r\n"))
        defer { try? FileManager.default.removeItem(at: file) }
        let b = URL(string: "http://x.example/b")!
        #expect(a.response(for: b)?.header("Content-Type") == "text/html; charset=euc-kr", "the revisit's own headers")
        #expect(try a.body(for: b, limit: 1000, to: nil) == Data("<p>shared</p>".utf8))
    }

    @Test func theLatestSuccessfulAnswerWinsOverLaterErrors() throws {
        let (a, file) = try archive(
            record(type: "response", uri: "http://x.example/p", date: "2024-01-01T00:00:00Z", block: "HTTP/1.1 200 OK\r\n\r\nold")
            + record(type: "response", uri: "http://x.example/p", date: "2024-03-01T00:00:00Z", block: "HTTP/1.1 200 OK\r\n\r\nnew")
            + record(type: "response", uri: "http://x.example/p", date: "2024-05-01T00:00:00Z", block: "HTTP/1.1 503 Busy\r\n\r\n"))
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(try a.body(for: URL(string: "http://x.example/p")!, limit: 100, to: nil) == Data("new".utf8))
    }

    @Test func chunkedBodiesAreJoinedAndLimitsHold() throws {
        let (a, file) = try archive(
            record(type: "response", uri: "http://x.example/c", date: "2024-01-01T00:00:00Z",
                   block: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\n\r\n"))
        defer { try? FileManager.default.removeItem(at: file) }
        let url = URL(string: "http://x.example/c")!
        #expect(try a.body(for: url, limit: 100, to: nil) == Data("hello, world".utf8))
        #expect(throws: WARCArchive.Failure.self) { try a.body(for: url, limit: 5, to: nil) }
        #expect(throws: WARCArchive.Failure.self) { try a.body(for: URL(string: "http://x.example/none")!, limit: 5, to: nil) }
    }

    @Test func aRecordCutShortIsReportedNotIndexed() throws {
        let whole = record(type: "response", uri: "http://x.example/a", date: "2024-01-01T00:00:00Z", block: "HTTP/1.1 200 OK\r\n\r\nabc")
        let cut = String(record(type: "response", uri: "http://x.example/b", date: "2024-01-01T00:00:00Z",
                                block: "HTTP/1.1 200 OK\r\n\r\n" + String(repeating: "z", count: 500)).prefix(200))
        let (a, file) = try archive(whole + cut)
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(a.uris == ["http://x.example/a"] && a.problems.count == 1, "\(a.problems)")
        #expect(a.problems.first?.contains("cut short") == true)
    }
}
