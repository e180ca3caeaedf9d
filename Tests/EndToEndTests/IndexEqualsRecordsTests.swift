import Foundation
import Testing
@testable import Trawl
import TrawlSinks
import TrawlSiteServer

/// Faults between the records and the index: whatever happens, after the next publish the
/// index holds exactly the records (ids and content hashes).
@Suite(.serialized) struct IndexEqualsRecordsTests {
    typealias H = HTTPHarvestTests
    typealias P = PublishingSuites.PublishTests

    static func indexContents(_ out: URL) throws -> [String: String] {
        try SearchIndex(file: SearchIndex.file(output: out)).contents()
    }

    /// A run killed between a record's `deleted` line and the removal of its file, then a run
    /// that finds the release back: the feed says deleted, the file is there, the index keeps it.
    @Test func aDeletedLineOfAKilledRunNeverRemovesALiveRecord() async throws {
        let (server, dir) = try await BadNightTests.mirrorSite()
        defer { Task { await server.stop() } }
        let out = dir.appendingPathComponent("out")
        let config = try H.config(in: dir, server: server, http: ["retries": 0], incremental: ["delete_after_runs": 1, "delete_after_hours": 0])
        #expect(try await H.run(config).status == 0)
        server.control.set(H.engView(3184064), .status(404))
        let killed = try await Harness.run(["run", config.path, "-q"], environment: ["TRAWL_TEST_KILL": "between-delete-line-and-unlink"])
        #expect(killed.status != 0, "the kill point was not reached")
        server.control.clearAll()
        #expect(try await H.run(config).status == 0)
        let records = try P.recordHashes(out)
        #expect(records.count == 15, "the release came back: \(records.count) records")
        #expect(try Self.indexContents(out) == records, "the index differs from records/")
    }

    /// A record file that cannot be read (here: a folder where the file should be) stops the
    /// publish with the reason and leaves the cursor; it is never taken for a deletion. Once the
    /// file is readable again the index equals the records.
    @Test func aRecordThatCannotBeReadStopsThePublishInsteadOfDeleting() async throws {
        let dir = try Harness.temporaryDirectory()
        let config = try Harness.fixtureConfig(in: dir)
        let out = dir.appendingPathComponent("out")
        #expect(try await Harness.run(["run", config.path, "-q"]).status == 0)
        let records = try P.recordHashes(out)
        let victim = try #require(records.keys.sorted().first)
        let file = out.appendingPathComponent("records/\(victim).json")
        let saved = try Data(contentsOf: file)
        try FileManager.default.removeItem(at: file)
        try FileManager.default.createDirectory(at: file, withIntermediateDirectories: false)
        let failed = try await Harness.run(["publish", config.path, "--from-start"])
        #expect(failed.status == 6, "exit \(failed.status): \(failed.stdout) \(failed.stderr)")
        #expect((failed.stdout + failed.stderr).contains(victim), "the reason names the record: \(failed.stdout) \(failed.stderr)")
        try FileManager.default.removeItem(at: file)
        try saved.write(to: file)
        let again = try await Harness.run(["publish", config.path])
        #expect(again.status == 0, "\(again.stdout) \(again.stderr)")
        #expect(try Self.indexContents(out) == records, "the index differs from records/ after the read failure")
    }

    /// A run's own publish waits for a publish in progress (it holds `.trawl/publish.lock`)
    /// instead of interleaving with it, then brings the index up to date.
    @Test func aRunsPublishWaitsForThePublishLock() async throws {
        let dir = try Harness.temporaryDirectory()
        let config = try Harness.fixtureConfig(in: dir)
        let out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        var lock: RunLock? = try RunLock(output: OutputDirectory(root: out), file: "publish.lock", what: "publish")
        let run = Task { try await Harness.run(["run", config.path, "-q"]) }
        // Until the run has written its summary, and a moment after, the index must stay empty.
        let runs = out.appendingPathComponent("runs")
        for _ in 0..<600 where ((try? FileManager.default.contentsOfDirectory(atPath: runs.path)) ?? []).isEmpty {
            try await Task.sleep(for: .milliseconds(100))
        }
        try await Task.sleep(for: .seconds(1))
        let indexFile = SearchIndex.file(output: out)
        let early = FileManager.default.fileExists(atPath: indexFile.path) ? try SearchIndex(file: indexFile).contents() : [:]
        #expect(early.isEmpty, "the run published while another publish held the lock")
        lock = nil
        withExtendedLifetime(lock) {}
        let result = try await run.value
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try Self.indexContents(out) == (try P.recordHashes(out)))
    }

    /// A clock stepped back between runs does not give the next run an id before the last one
    /// (feeds are published in run-id order): its feed is published and the index is current.
    @Test func aClockSteppedBackSkipsNoFeed() async throws {
        let (server, dir) = try await BadNightTests.mirrorSite()
        defer { Task { await server.stop() } }
        let out = dir.appendingPathComponent("out")
        let config = try H.config(in: dir, server: server)
        #expect(try await H.run(config).status == 0)
        let first = try Harness.summary(in: out)["run_id"] as! String
        _ = try H.addChangeAndDelete(on: server)
        let back = try await Harness.run(["run", config.path, "-q"], environment: ["TRAWL_TEST_CLOCK_HOURS": "-48"])
        #expect(back.status == 0, "\(back.stderr)")
        let second = try Harness.summary(in: out)["run_id"] as! String
        #expect(second > first, "run ids out of order: \(first) then \(second)")
        #expect(try Self.indexContents(out) == (try P.recordHashes(out)), "the run's feed was not published")
    }

    /// An engine that refuses every write (Elasticsearch: 403 cluster_block_exception per
    /// item; Meilisearch: tasks failing with no_space_left_on_device) stops the sink with its
    /// cursor where it was: nothing is "refused" document by document, the publish exits 6,
    /// and once the engine recovers the next publish brings it equal to the records.
    @Test func engineWideFailuresStopTheSinkInsteadOfRefusingDocuments() async throws {
        let dir = try Harness.temporaryDirectory()
        let es = try await ElasticsearchStandIn.start()
        let meili = try await MeilisearchStandIn.start()
        defer { es.server.stop(); meili.server.stop() }
        es.state.withLock { $0.faults.engineFailure = "cluster_block_exception" }
        meili.state.withLock { $0.faults.engineFailure = "no_space_left_on_device" }
        let config = try Harness.fixtureConfig(in: dir) { c in
            c["sinks"] = [["name": "es", "type": "elasticsearch", "url": es.server.url.absoluteString, "index": "releases"],
                          ["name": "meili", "type": "meilisearch", "url": meili.server.url.absoluteString, "index": "releases"]]
        }
        let out = dir.appendingPathComponent("out")
        #expect(try await Harness.run(["run", config.path, "-q"]).status == 0, "a sink that is down does not fail the run")
        let failed = try await Harness.run(["publish", config.path])
        #expect(failed.status == 6, "exit \(failed.status): \(failed.stdout)")
        let statuses = try P.sinkStatuses(out)
        for name in ["es", "meili"] {
            #expect((statuses[name]?["rejects"] as? [Any] ?? []).isEmpty, "\(name) refused documents one by one: \(statuses[name] ?? [:])")
            #expect((statuses[name]?["behind"] as? Int ?? 0) > 0, "\(name)'s cursor moved: \(statuses[name] ?? [:])")
        }
        es.state.withLock { $0.faults.engineFailure = nil }
        meili.state.withLock { $0.faults.engineFailure = nil }
        let recovered = try await Harness.run(["publish", config.path])
        #expect(recovered.status == 0, "\(recovered.stdout) \(recovered.stderr)")
        let records = try P.recordHashes(out)
        #expect(es.documents("releases").compactMapValues { $0["record_sha256"] as? String } == records)
        #expect(meili.documents("releases").compactMapValues { $0["record_sha256"] as? String } == records)
    }

    /// An engine restarted without its data (the index gone): the sink sees the index created
    /// anew, forgets its cursor and replays the feed, instead of reporting "up to date" over an
    /// empty index.
    @Test func anEngineThatLostItsDataIsRefilled() async throws {
        let dir = try Harness.temporaryDirectory()
        let es = try await ElasticsearchStandIn.start()
        let meili = try await MeilisearchStandIn.start()
        defer { es.server.stop(); meili.server.stop() }
        let config = try Harness.fixtureConfig(in: dir) { c in
            c["sinks"] = [["name": "es", "type": "elasticsearch", "url": es.server.url.absoluteString, "index": "releases"],
                          ["name": "meili", "type": "meilisearch", "url": meili.server.url.absoluteString, "index": "releases"]]
        }
        let out = dir.appendingPathComponent("out")
        #expect(try await Harness.run(["run", config.path, "-q"]).status == 0)
        let records = try P.recordHashes(out)
        #expect(es.documents("releases").count == records.count)
        // Both engines restart empty.
        es.state.withLock { $0.indexes = [:]; $0.documents = [:] }
        meili.state.withLock { $0.indexes = [:]; $0.documents = [:]; $0.settings = [:] }
        let again = try await Harness.run(["publish", config.path])
        #expect(again.status == 0, "\(again.stdout) \(again.stderr)")
        #expect(es.documents("releases").compactMapValues { $0["record_sha256"] as? String } == records, "Elasticsearch was not refilled")
        #expect(meili.documents("releases").compactMapValues { $0["record_sha256"] as? String } == records, "Meilisearch was not refilled")
    }
}
