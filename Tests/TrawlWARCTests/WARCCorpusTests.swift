import Foundation
import Testing
@testable import TrawlWARC

/// The WARC/ARC test files of warcio and jwarc (`../shared/corpus/warc`), read by the index.
/// What each must yield comes from those projects' own tests and from `warcio index`: record
/// counts, the responses and their decoded bodies, and which files are damaged.
@Suite struct WARCCorpusTests {
    static let corpus: URL? = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/corpus/warc")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }()

    struct Expected: Sendable, CustomTestStringConvertible {
        var file: String
        var records: Int
        /// Target URI → a piece of its decoded body (nil: the body cannot be read).
        var bodies: [String: String?] = [:]
        /// A piece of the problem reported, when the file is damaged or not WARC.
        var problem: String?
        var testDescription: String { file }
    }

    static let cases: [Expected] = [
        .init(file: "warcio/example.warc", records: 6, bodies: ["http://example.com/": "<title>Example Domain</title>"]),
        // The same, gzip per record; its response is gzip-coded on the wire and decoded here.
        .init(file: "warcio/example.warc.gz", records: 6, bodies: ["http://example.com/": "<title>Example Domain</title>"]),
        .init(file: "warcio/example-iana.org-chunked.warc", records: 3, bodies: ["http://www.iana.org/": "Internet Assigned Numbers Authority"]),
        .init(file: "warcio/example-digest.warc", records: 4),
        .init(file: "warcio/example-resource.warc.gz", records: 3),
        .init(file: "warcio/example-space-in-target-uri.warc.gz", records: 2),
        .init(file: "warcio/example-wget-bad-target-uri.warc.gz", records: 6, bodies: ["http://example.com/": "Example Domain"]),
        .init(file: "warcio/post-test.warc.gz", records: 6, bodies: ["http://httpbin.org/post": "\"form\"", "http://httpbin.org/post?foo=bar": "\"foo\": \"bar\""]),
        // The gzip-coded body is cut short: the record is indexed, its body cannot be read.
        .init(file: "warcio/example-trunc.warc", records: 4, bodies: ["http://example.com/": nil]),
        .init(file: "warcio/example-bad-non-chunked.warc.gz", records: 0, problem: "not compressed record by record"),
        .init(file: "warcio/example-wrong-chunks.warc.gz", records: 0, problem: "cut short"),
        .init(file: "warcio/example.arc", records: 0, problem: "an ARC file"),
        .init(file: "warcio/example.arc.gz", records: 0, problem: "an ARC file"),
        .init(file: "warcio/bad.arc", records: 0, problem: "an ARC file"),
        .init(file: "warcio/example-space-in-url.arc", records: 0, problem: "an ARC file"),
        .init(file: "jwarc/cc.warc.gz", records: 1, bodies: ["http://commoncrawl.org/": "<!DOCTYPE html>"]),
        // A gzip header with an extra field (FEXTRA) is still one member per record.
        .init(file: "jwarc/gzip_extra_sl.warc.gz", records: 1),
    ]

    @Test(arguments: cases) func readsWhatTheReferenceReadersRead(_ c: Expected) throws {
        guard let corpus = Self.corpus else { print("SKIPPED: ../shared/corpus/warc is absent"); return }
        let archive = try WARCArchive(files: [corpus.appendingPathComponent(c.file)])
        #expect(archive.recordCount == c.records, "\(c.file): \(archive.recordCount) records; problems: \(archive.problems)")
        if let problem = c.problem {
            #expect(archive.problems.contains { $0.contains(problem) }, "\(c.file): problems \(archive.problems)")
        } else {
            #expect(archive.problems.isEmpty, "\(c.file): \(archive.problems)")
        }
        #expect(Set(archive.uris) == Set(c.bodies.keys), "\(c.file): indexed \(archive.uris)")
        for (uri, piece) in c.bodies {
            let url = try #require(URL(string: uri))
            let body = try? archive.body(for: url, limit: 1 << 20, to: nil)
            if let piece {
                let text = String(decoding: body.flatMap { $0 } ?? Data(), as: UTF8.self)
                #expect(text.contains(piece), "\(c.file) \(uri): body starts \(text.prefix(80))")
            } else {
                #expect(body == nil, "\(c.file) \(uri): a cut-short body was read")
            }
        }
    }

    /// example.warc archives http://example.com/ twice, as a response and then a revisit
    /// (identical payload): the URL is answered with the response's payload.
    @Test func aResponseThenARevisitAnswerWithThePayload() throws {
        guard let corpus = Self.corpus else { print("SKIPPED: ../shared/corpus/warc is absent"); return }
        let archive = try WARCArchive(files: [corpus.appendingPathComponent("warcio/example.warc")])
        let url = URL(string: "http://example.com/")!
        #expect(archive.response(for: url)?.status == 200)
        let body = try #require(try archive.body(for: url, limit: 1 << 20, to: nil))
        #expect(body.count == 1270)
    }
}
