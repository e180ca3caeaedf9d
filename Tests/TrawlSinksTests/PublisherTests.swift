import Foundation
import Testing
import Trawl
@testable import TrawlSinks

/// A sink that remembers what it was given, failing on demand.
actor RecordingSink: Sink {
    nonisolated let name = "memory"
    nonisolated var type: String { "memory" }
    var stored: FeedPosition?
    var documents: [String: String] = [:]
    var batches: [SinkBatch] = []
    var failAfter: Int?

    init(failAfter: Int? = nil) { self.failAfter = failAfter }

    func cursor() async throws -> FeedPosition? { stored }
    func apply(_ batch: SinkBatch) async throws -> [SinkStatus.Reject] {
        if let n = failAfter, batches.count >= n { throw SinkError(sink: name, reason: "connection refused") }
        for id in batch.deletes { documents[id] = nil }
        for d in batch.upserts { documents[d.id] = d.recordSHA256 }
        batches.append(batch)
        stored = batch.through
        return []
    }
    func reset() async throws { stored = nil; documents = [:]; batches = [] }
    func close() async {}
    func allowAll() { failAfter = nil }
}

@Suite struct PublisherTests {
    /// An output directory with `records/` and the feeds of two runs.
    func makeOutput(_ runs: [(String, [(ChangeOperation, String)])]) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("trawl-publish-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("records"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("changes"), withIntermediateDirectories: true)
        var live: Set<String> = []
        let encoder = TrawlJSON.encoder(pretty: false)
        for (run, ops) in runs {
            var feed = Data()
            for (i, (op, id)) in ops.enumerated() {
                feed += try encoder.encode(ChangeLine(seq: i + 1, op: op, id: id, url: "https://e.kr/\(id)", source: "test", run: run)) + Data("\n".utf8)
                if op == .deleted { live.remove(id) } else { live.insert(id) }
            }
            try feed.write(to: root.appendingPathComponent("changes/\(run).jsonl"))
        }
        for id in live where !id.contains("/") {
            try SampleRecords.record(id: id, title: "Title \(id)", text: "text of \(id)").write(to: root.appendingPathComponent("records/\(id).json"))
        }
        return root
    }

    @Test func appliesEveryFeedInOrderAndCollapsesRepeats() async throws {
        let root = try makeOutput([
            ("20260101T000000.000Z-aaaa", [(.created, "a"), (.created, "b"), (.created, "c")]),
            ("20260102T000000.000Z-bbbb", [(.updated, "a"), (.deleted, "b"), (.created, "d")]),
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        let sink = RecordingSink()
        var publisher = Publisher(output: root)
        publisher.batchLines = 4
        let status = await publisher.publish(to: sink)
        #expect(status.error == nil)
        #expect(status.applied == 6)
        #expect(status.behind == 0)
        #expect(await sink.documents.keys.sorted() == ["a", "c", "d"])
        let batches = await sink.batches
        #expect(batches.map(\.lines) == [4, 2])
        // `a` twice in the first batch: once; `b` is gone by now (a later line deletes it).
        #expect(batches[0].upserts.map(\.id) == ["a", "c"])
        #expect(batches[0].deletes == ["b"])
        #expect(batches[1].deletes == ["b"])
        #expect(status.cursor == "20260102T000000.000Z-bbbb#3")
        // Nothing new: nothing applied.
        let again = await publisher.publish(to: sink)
        #expect(again.applied == 0 && again.behind == 0)
    }

    @Test func aSinkThatIsDownKeepsItsCursorAndCatchesUpLater() async throws {
        let root = try makeOutput([("20260101T000000.000Z-aaaa", (0..<10).map { (.created, "r\($0)") })])
        defer { try? FileManager.default.removeItem(at: root) }
        let sink = RecordingSink(failAfter: 1)
        var publisher = Publisher(output: root)
        publisher.batchLines = 3
        let first = await publisher.publish(to: sink)
        #expect(first.error?.contains("connection refused") == true)
        #expect(first.applied == 3 && first.behind == 7)
        #expect(first.cursor == "20260101T000000.000Z-aaaa#3")
        await sink.allowAll()
        let second = await publisher.publish(to: sink)
        #expect(second.error == nil && second.applied == 7 && second.behind == 0)
        #expect(await sink.documents.count == 10)
    }

    @Test func unreadableRecordsAreRejectedByIDNotRetried() async throws {
        let root = try makeOutput([("20260101T000000.000Z-aaaa", [(.created, "good"), (.created, "bad"), (.created, "../../etc/passwd")])])
        defer { try? FileManager.default.removeItem(at: root) }
        try Data("{not json".utf8).write(to: root.appendingPathComponent("records/bad.json"))
        let sink = RecordingSink()
        let status = await Publisher(output: root).publish(to: sink)
        #expect(status.error == nil)
        #expect(status.rejects.map(\.id).sorted() == ["../../etc/passwd", "bad"])
        #expect(await sink.documents.keys.sorted() == ["good"])
        #expect(status.behind == 0)
    }

    @Test func aBrokenFeedLineStopsPublishingWithItsPlace() async throws {
        let root = try makeOutput([("20260101T000000.000Z-aaaa", [(.created, "a")])])
        defer { try? FileManager.default.removeItem(at: root) }
        let feed = root.appendingPathComponent("changes/20260101T000000.000Z-aaaa.jsonl")
        try (try Data(contentsOf: feed) + Data("{\"seq\": \"x\"}\n".utf8)).write(to: feed)
        let status = await Publisher(output: root).publish(to: RecordingSink())
        #expect(status.error?.contains("20260101T000000.000Z-aaaa.jsonl:2") == true, "error: \(status.error ?? "none")")
    }
}
