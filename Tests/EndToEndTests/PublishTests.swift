import Crypto
import Foundation
import Logging
import Testing
@testable import TrawlPostgres
import Trawl
import TrawlSinks
import TrawlSiteServer

extension PublishingSuites {
    /// Publishing the change feed to the embedded index and to PostgreSQL through the real
    /// binary: exact changes per run, kills at random points, a sink that is down.
    @Suite(.serialized) struct PublishTests {
        /// Every record file's id with the SHA-256 of its bytes: what each index must hold.
        static func recordHashes(_ out: URL) throws -> [String: String] {
            let dir = out.appendingPathComponent("records")
            var hashes: [String: String] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) where name.hasSuffix(".json") {
                let data = try Data(contentsOf: dir.appendingPathComponent(name))
                hashes[String(name.dropLast(5))] = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
            }
            return hashes
        }

        static func sinkStatuses(_ out: URL) throws -> [String: [String: Any]] {
            let list = try Harness.summary(in: out)["sinks"] as? [[String: Any]] ?? []
            return Dictionary(list.map { ($0["name"] as! String, $0) }, uniquingKeysWith: { a, _ in a })
        }

        static func logger() -> Logger { var l = Logger(label: "test"); l.logLevel = .error; return l }

        /// Checks that batches were applied one after another without overlap: no change twice.
        static func expectNoOverlap(_ batches: [(from: FeedPosition, through: FeedPosition)], _ label: String) {
            for (a, b) in zip(batches, batches.dropFirst()) {
                #expect(a.through < b.from, "\(label): batch \(b.from)…\(b.through) overlaps the one before (\(a.from)…\(a.through))")
            }
        }

        @Test func eachRunPublishesExactlyItsChangesToEverySink() async throws {
            let server = try await SiteServer.start(content: MirrorContent(root: HTTPHarvestTests.mirror))
            defer { Task { await server.stop() } }
            let dir = try Harness.temporaryDirectory()
            let pg = PostgresServer.available ? try await Harness.detached { try PostgresServer() } : nil
            defer { pg?.stop() }
            let pgURL = try await Harness.detached { try pg?.createDatabase() }
            let es = try await ElasticsearchStandIn.start()
            let meili = try await MeilisearchStandIn.start()
            defer { es.server.stop(); meili.server.stop() }
            es.state.withLock { $0.faults.authorization = "ApiKey es-key" }
            meili.state.withLock { $0.faults.authorization = "Bearer meili-key" }
            let keys = ["TRAWL_TEST_ES_KEY": "es-key", "TRAWL_TEST_MEILI_KEY": "meili-key"]
            let http = try HTTPHarvestTests.config(in: dir, server: server, incremental: ["delete_after_runs": 1, "delete_after_hours": 0])
            let config = try Harness.fixtureConfig(in: dir) { c in
                let base = try! JSONSerialization.jsonObject(with: Data(contentsOf: http)) as! [String: Any]
                c["sources"] = base["sources"]
                var sinks: [[String: Any]] = [
                    ["name": "index", "type": "index"],
                    ["name": "es", "type": "elasticsearch", "url": es.server.url.absoluteString, "index": "releases", "api_key_env": "TRAWL_TEST_ES_KEY"],
                    ["name": "meili", "type": "meilisearch", "url": meili.server.url.absoluteString, "index": "releases", "api_key_env": "TRAWL_TEST_MEILI_KEY"],
                ]
                if let pgURL { sinks.append(["name": "pg", "type": "postgres", "url": pgURL, "table": "releases"]) }
                c["sinks"] = sinks
            }
            let out = dir.appendingPathComponent("out")
            let index = SearchIndex.file(output: out)
            /// Each engine's documents as id -> record SHA-256.
            func engines() -> [String: [String: String]] {
                ["es": es.documents("releases").compactMapValues { $0["record_sha256"] as? String },
                 "meili": meili.documents("releases").compactMapValues { $0["record_sha256"] as? String }]
            }

            let first = try await Harness.run(["run", config.path, "--quiet"], environment: keys)
            #expect(first.status == 0, "first run failed: \(first.stderr)")
            var statuses = try Self.sinkStatuses(out)
            for name in statuses.keys { #expect(statuses[name]?["applied"] as? Int == 16 && statuses[name]?["error"] == nil, "run 1, \(name): \(statuses[name]!)") }
            #expect(try SearchIndex(file: index).contents() == Self.recordHashes(out))
            for (name, documents) in engines() { #expect(documents == (try Self.recordHashes(out)), "run 1: \(name) differs from records/") }

            // An unchanged site: an empty feed, nothing published.
            _ = try await Harness.run(["run", config.path, "--quiet"], environment: keys)
            statuses = try Self.sinkStatuses(out)
            #expect(statuses.count == (pgURL == nil ? 3 : 4))
            for name in statuses.keys {
                #expect(statuses[name]?["applied"] as? Int == 0 && statuses[name]?["behind"] as? Int == 0, "no-change run, \(name): \(statuses[name]!)")
            }

            // Two added, one changed, one deleted: exactly those four documents change.
            _ = try HTTPHarvestTests.addChangeAndDelete(on: server)
            let beforeIndex = try SearchIndex(file: index).contents()
            let beforeEngines = engines()
            _ = try await Harness.run(["run", config.path, "--quiet"], environment: keys)
            statuses = try Self.sinkStatuses(out)
            let records = try Self.recordHashes(out)
            let afterIndex = try SearchIndex(file: index).contents()
            #expect(afterIndex == records, "the index differs from records/")
            let touched = Set(beforeIndex.keys).union(afterIndex.keys).filter { beforeIndex[$0] != afterIndex[$0] }
            #expect(touched.count == 4, "documents changed in the index: \(touched.count)")
            let afterEngines = engines()
            for name in ["es", "meili"] {
                let before = beforeEngines[name]!, after = afterEngines[name]!
                #expect(after == records, "run 3: \(name) differs from records/")
                #expect(Set(before.keys).union(after.keys).filter { before[$0] != after[$0] } == touched, "run 3: \(name) changed other documents")
            }
            for name in statuses.keys {
                let s = statuses[name]!
                #expect(s["applied"] as? Int == 4 && s["upserted"] as? Int == 3 && s["deleted"] as? Int == 1, "run 3, \(name): \(s)")
            }
            let found = try await Harness.run(["search", "--config", config.path, "Correction revised"])
            #expect(found.stdout.contains("3184190"), "search after the change: \(found.stdout)")
            if let pgURL {
                let sink = try await PostgresSink(name: "pg", url: pgURL, table: "releases", idleInTransaction: .seconds(300), logger: Self.logger())
                #expect(try await sink.contents() == records, "the PostgreSQL table differs from records/")
                #expect(try await sink.search(SearchQuery("correction revised")).count == 1)
                await sink.close()
            }
        }

        @Test func killedPublishesLeaveEveryIndexEqualToTheRecords() async throws {
            let server = try await SiteServer.start(content: GeneratedContent(count: 600))
            defer { Task { await server.stop() } }
            let dir = try Harness.temporaryDirectory()
            let pg = PostgresServer.available ? try await Harness.detached { try PostgresServer() } : nil
            defer { pg?.stop() }
            let pgURL = try await Harness.detached { try pg?.createDatabase() }
            // Harvest without sinks; then delete and change some releases and harvest again.
            let harvest = try HTTPHarvestTests.generatedConfig(in: dir, server: server, http: ["delay_ms": 0, "concurrency_per_host": 8],
                                                                incremental: ["delete_after_runs": 1, "delete_after_hours": 0])
            var base = try JSONSerialization.jsonObject(with: Data(contentsOf: harvest)) as! [String: Any]
            base["sinks"] = []
            try JSONSerialization.data(withJSONObject: base).write(to: harvest)
            let r1 = try await Harness.run(["run", harvest.path, "--quiet"])
            #expect(r1.status == 0, "harvest failed: \(r1.stderr)")
            for n in stride(from: 5, to: 600, by: 15) { server.control.set("/view?id=\(n)", .status(410)) }
            let r2 = try await Harness.run(["run", harvest.path, "--quiet"])
            #expect(r2.status == 0, "second harvest failed: \(r2.stderr)")
            let out = dir.appendingPathComponent("out")
            let records = try Self.recordHashes(out)
            #expect(records.count == 560, "records after deletions: \(records.count)")

            var sinks: [[String: Any]] = [["name": "index", "type": "index", "batch_size": 10]]
            if let pgURL { sinks.append(["name": "pg", "type": "postgres", "url": pgURL, "batch_size": 10]) }
            base["sinks"] = sinks
            let config = dir.appendingPathComponent("publish.json")
            try JSONSerialization.data(withJSONObject: base).write(to: config)

            var kills = 0
            var attempts = 0
            while kills < 10, attempts < 60 {
                attempts += 1
                let process = try Harness.start(["publish", config.path, "--quiet"], stdout: FileHandle.nullDevice, stderr: FileHandle.nullDevice)
                try await Task.sleep(for: .milliseconds(Int.random(in: 20...400)))
                if process.isRunning { kill(process.processIdentifier, SIGKILL); kills += 1 }
                await Harness.waitDetached(process)
                if process.terminationReason == .exit, process.terminationStatus == 0 {
                    // It finished before the kill: start again from the beginning.
                    let reset = try await Harness.run(["publish", config.path, "--quiet", "--from-start"])
                    #expect(reset.status == 0, "reset failed: \(reset.stderr)")
                }
            }
            #expect(kills == 10, "publishes killed: \(kills) of \(attempts) attempts")
            let last = try await Harness.run(["publish", config.path])
            #expect(last.status == 0, "final publish failed: \(last.stderr)")
            #expect(last.stdout.contains("up to date"), "final publish: \(last.stdout)")

            let index = try SearchIndex(file: SearchIndex.file(output: out))
            #expect(try index.contents() == records, "the index differs from records/ after \(kills) kills")
            Self.expectNoOverlap(try index.appliedBatches(sink: "index"), "index")
            if let pgURL {
                let sink = try await PostgresSink(name: "pg", url: pgURL, idleInTransaction: .seconds(300),
                                                  output: try OutputDirectory(root: out).identity(), logger: Self.logger())
                #expect(try await sink.contents() == records, "the PostgreSQL table differs from records/ after \(kills) kills")
                let batches = try await sink.appliedBatches()
                #expect(!batches.isEmpty, "no batch was logged under this output's cursor")
                Self.expectNoOverlap(batches, "postgres")
                await sink.close()
            }
        }

        /// A table indexed with RUM holds the same records and finds what the GIN table finds,
        /// ranked in the index; switching a table's text index replaces the index.
        @Test func aRUMTextIndexFindsWhatGINFinds() async throws {
            guard PostgresServer.available else { print("SKIPPED: PostgreSQL is not installed"); return }
            let dir = try Harness.temporaryDirectory()
            let pg = try await Harness.detached { try PostgresServer() }
            defer { pg.stop() }
            let url = try await Harness.detached { try pg.createDatabase() }
            guard try await Harness.detached({ try pg.hasExtension("rum", in: url) }) else {
                print("SKIPPED: the server has no rum extension (postgresql-<version>-rum)"); return
            }
            let config = try Harness.fixtureConfig(in: dir) { c in
                c["sinks"] = [["name": "gin", "type": "postgres", "url": url, "table": "by_gin"],
                              ["name": "rum", "type": "postgres", "url": url, "table": "by_rum", "text_index": "rum"]]
            }
            let run = try await Harness.run(["run", config.path, "--quiet"])
            #expect(run.status == 0, "run: \(run.stderr)")
            let out = dir.appendingPathComponent("out")
            let gin = try await PostgresSink(name: "gin", url: url, table: "by_gin", idleInTransaction: .seconds(300), logger: Self.logger())
            let rum = try await PostgresSink(name: "rum", url: url, table: "by_rum", textIndex: .rum, idleInTransaction: .seconds(300), logger: Self.logger())
            #expect(try await rum.contents() == Self.recordHashes(out))
            let methods = { (table: String) in
                try await Harness.detached { try pg.psql(url, "SELECT string_agg(am.amname, ',' ORDER BY am.amname) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam WHERE i.indrelid = '\(table)'::regclass") }
            }
            #expect(try await methods("by_rum") == "btree,btree,rum")
            #expect(try await methods("by_gin") == "btree,btree,gin")
            for (query, hits) in [("반도체", 2), ("인공지능반도체", 2), ("public wi-fi", 1), ("\"civil space dialogue\"", 1), ("정보 OR 반도체", 0), ("zzzq", 0)] {
                let byGIN = try await gin.search(SearchQuery(query)), byRUM = try await rum.search(SearchQuery(query))
                #expect(Set(byRUM) == Set(byGIN), "\(query): RUM \(byRUM), GIN \(byGIN)")
                if hits > 0 { #expect(byRUM.count == hits, "RUM search \(query): \(byRUM)") }
            }
            #expect(try await rum.search(SearchQuery("통신")).first == "fcaddb2b1200e8588665c9e8cd1547bd")
            var filtered = SearchQuery("반도체"); filtered.since = "2100-01-01"
            #expect(try await rum.search(filtered).isEmpty)
            await gin.close(); await rum.close()

            // The same table asked for GIN: the RUM index gives way to a GIN one.
            let switched = try await PostgresSink(name: "rum", url: url, table: "by_rum", idleInTransaction: .seconds(300), logger: Self.logger())
            #expect(try await methods("by_rum") == "btree,btree,gin")
            #expect(try await switched.search(SearchQuery("반도체")).count == 2)
            await switched.close()
        }

        /// Two outputs publishing to one table keep a cursor each: a run of one output whose feed
        /// sorts before the other's cursor is still applied (a shared cursor skipped it).
        @Test func twoOutputsWritingOneTableKeepACursorEach() async throws {
            guard PostgresServer.available else { print("SKIPPED: PostgreSQL is not installed"); return }
            let pg = try await Harness.detached { try PostgresServer() }
            defer { pg.stop() }
            let pgURL = try await Harness.detached { try pg.createDatabase() }
            let server = try await SiteServer.start(content: MirrorContent(root: HTTPHarvestTests.mirror))
            defer { Task { await server.stop() } }
            func config(_ dir: URL) throws -> URL {
                let http = try HTTPHarvestTests.config(in: dir, server: server)
                return try Harness.fixtureConfig(in: dir) { c in
                    c["sources"] = (try! JSONSerialization.jsonObject(with: Data(contentsOf: http)) as! [String: Any])["sources"]
                    c["sinks"] = [["name": "pg", "type": "postgres", "url": pgURL, "table": "shared"]]
                }
            }
            let a = try Harness.temporaryDirectory(), b = try Harness.temporaryDirectory()
            #expect(try await Harness.run(["run", try config(a).path, "-q"]).status == 0)
            // The site changes one release; B harvests it with a clock an hour behind A's.
            let changed = HTTPHarvestTests.engView(3184190)
            let page = try String(contentsOf: HTTPHarvestTests.mirror.appendingPathComponent(String(changed.dropFirst())), encoding: .utf8)
            server.control.set(changed, .body(Data(page.replacingOccurrences(of: "</p>", with: " (B saw this)</p>").utf8)))
            let runB = try await Harness.run(["run", try config(b).path, "-q"], environment: ["TRAWL_TEST_CLOCK_HOURS": "-1"])
            #expect(runB.status == 0, "\(runB.stderr)")
            let recordsB = try Self.recordHashes(b.appendingPathComponent("out"))
            let sink = try await PostgresSink(name: "pg", url: pgURL, table: "shared", idleInTransaction: .seconds(300), logger: Self.logger())
            let table = try await sink.contents()
            await sink.close()
            let id = try #require(recordsB.first { table[$0.key] != nil && Self.hash(of: b, id: $0.key).contains("(B saw this)") }?.key)
            #expect(table[id] == recordsB[id], "output B's change was skipped: the table holds A's version")
        }

        static func hash(of output: URL, id: String) -> String {
            (try? String(contentsOf: output.appendingPathComponent("out/records/\(id).json"), encoding: .utf8)) ?? ""
        }

        /// A document of 20,000 distinct long tokens (hex strings: within the word cap, over
        /// PostgreSQL's 1 MB tsvector limit) is indexed within a byte cap; the batch, the cursor
        /// and the batches after it go on, never blocked by one document.
        @Test func anOversizedVectorNeverBlocksThePostgresSink() async throws {
            guard PostgresServer.available else { print("SKIPPED: PostgreSQL is not installed"); return }
            let pg = try await Harness.detached { try PostgresServer() }
            defer { pg.stop() }
            let url = try await Harness.detached { try pg.createDatabase() }
            let sink = try await PostgresSink(name: "pg", url: url, table: "docs", idleInTransaction: .seconds(300), logger: Self.logger())
            var rng = SystemRandomNumberGenerator()
            let hex = (0..<20_000).map { _ in String(format: "%016llx%016llx%08x", rng.next() as UInt64, rng.next() as UInt64, UInt32.random(in: 0...UInt32.max)) }
            func document(_ id: String, _ body: String) -> SinkDocument {
                SinkDocument(id: id, source: "s", url: "https://e.example/\(id)", title: "보도자료 \(id)", published: nil, language: nil,
                             body: body, contentSHA256: "c", recordSHA256: "r-\(id)", record: Data("{}".utf8))
            }
            var first = SinkBatch(from: FeedPosition(run: "r", seq: 1), through: FeedPosition(run: "r", seq: 2), lines: 2)
            first.upserts = [document(String(repeating: "a", count: 32), hex.joined(separator: " ") + " 반도체 " + String(repeating: "가나다라마바사 ", count: 30_000)),
                             document(String(repeating: "b", count: 32), "public funding for 반도체")]
            let refused = try await sink.apply(first)
            #expect(refused.isEmpty, "\(refused)")
            var second = SinkBatch(from: FeedPosition(run: "r", seq: 3), through: FeedPosition(run: "r", seq: 3), lines: 1)
            second.after = first.through
            second.upserts = [document(String(repeating: "c", count: 32), "later release")]
            _ = try await sink.apply(second)
            #expect(try await sink.contents().count == 3, "the sink was blocked")
            #expect(try await sink.cursor() == second.through)
            await sink.close()
        }

        /// A load of many changes drops the text index and builds it once afterwards (also
        /// when the process died in between: the next sink that opens the table builds it);
        /// a small one leaves the index alone.
        @Test(arguments: [PostgresSink.TextIndex.gin, .rum])
        func aLargeLoadBuildsTheTextIndexOnceAfterwards(_ kind: PostgresSink.TextIndex) async throws {
            guard PostgresServer.available else { print("SKIPPED: PostgreSQL is not installed"); return }
            let pg = try await Harness.detached { try PostgresServer() }
            defer { pg.stop() }
            let url = try await Harness.detached { try pg.createDatabase() }
            if kind == .rum, try await !Harness.detached({ try pg.hasExtension("rum", in: url) }) {
                print("SKIPPED: the server has no rum extension (postgresql-<version>-rum)"); return
            }
            let indexName = kind == .gin ? "docs_search" : "docs_search_rum"
            let hasIndex = { try await Harness.detached { try pg.psql(url, "SELECT to_regclass('\(indexName)') IS NOT NULL") } == "t" }
            func batch(_ range: Range<Int>) -> SinkBatch {
                var b = SinkBatch(from: FeedPosition(run: "r", seq: range.lowerBound + 1), through: FeedPosition(run: "r", seq: range.upperBound), lines: range.count)
                b.after = range.lowerBound == 0 ? nil : FeedPosition(run: "r", seq: range.lowerBound)
                b.upserts = range.map { n in
                    SinkDocument(id: String(format: "%032x", n), source: "s", url: "https://e.example/\(n)", title: n == 7 ? "인공지능반도체 지원" : "보도자료 \(n)",
                                 published: "2024-01-01", language: "ko", body: "본문 \(n) public funding", contentSHA256: "c", recordSHA256: "r\(n)", record: Data("{}".utf8))
                }
                return b
            }
            let sink = try await PostgresSink(name: "pg", url: url, table: "docs", textIndex: kind, idleInTransaction: .seconds(300), logger: Self.logger())
            #expect(try await hasIndex())
            try await sink.willApply(pending: 100)
            #expect(try await hasIndex(), "a small load dropped the index")
            try await sink.willApply(pending: 3_000)
            #expect(try await !hasIndex(), "a load of 3,000 changes into an empty table kept the index")
            for start in stride(from: 0, to: 3_000, by: 500) { _ = try await sink.apply(batch(start..<start + 500)) }
            #expect(try await sink.search(SearchQuery("반도체")) == [String(format: "%032x", 7)], "without the index, search still finds")
            try await sink.didApply()
            #expect(try await hasIndex())
            #expect(try await sink.search(SearchQuery("반도체")) == [String(format: "%032x", 7)])
            #expect(try await sink.contents().count == 3_000)

            // Into a table of 3,000 rows, 2,000 changes are worth a rebuild; into one of
            // 100,000, they are not.
            #expect(PostgresSink.rebuildsIndex(pending: 2_000, rows: 3_000))
            #expect(!PostgresSink.rebuildsIndex(pending: 2_000, rows: 100_000))
            #expect(!PostgresSink.rebuildsIndex(pending: 1_999, rows: 0))
            // Killed after dropping it: the next sink to open the table builds it.
            try await sink.willApply(pending: 40_000)
            #expect(try await !hasIndex())
            await sink.close()
            let reopened = try await PostgresSink(name: "pg", url: url, table: "docs", textIndex: kind, idleInTransaction: .seconds(300), logger: Self.logger())
            #expect(try await hasIndex())
            await reopened.close()
        }

        @Test func aSinkThatIsDownDoesNotFailTheRunAndCatchesUpLater() async throws {
            guard PostgresServer.available else { print("SKIPPED: PostgreSQL is not installed"); return }
            let dir = try Harness.temporaryDirectory()
            let pg = try await Harness.detached { try PostgresServer() }
            defer { pg.stop() }
            let url = try await Harness.detached { try pg.createDatabase() }
            let down = "postgres://postgres@/nosuchdb?host=\(dir.path)/nosocket"
            let config = try Harness.fixtureConfig(in: dir) { c in
                c["sinks"] = [["name": "index", "type": "index"], ["name": "pg", "type": "postgres", "url": down]]
            }
            let out = dir.appendingPathComponent("out")
            let run = try await Harness.run(["run", config.path, "--quiet"])
            #expect(run.status == 0, "a sink that is down failed the run: \(run.stderr)")
            #expect(run.stdout.contains("sink pg (postgres): 0 changes applied") && run.stdout.contains("16 behind"), "run output: \(run.stdout)")
            let prom = try String(contentsOf: out.appendingPathComponent("trawl.prom"), encoding: .utf8)
            #expect(prom.contains("trawl_sink_behind_changes{sink=\"pg\",type=\"postgres\"} 16"), "trawl.prom: \(prom)")
            #expect(prom.contains("trawl_sink_up{sink=\"pg\",type=\"postgres\"} 0"))
            #expect(prom.contains("trawl_sink_behind_changes{sink=\"index\",type=\"index\"} 0"))
            let failed = try await Harness.run(["publish", config.path, "--sink", "pg"])
            #expect(failed.status == 6, "publish to a sink that is down: \(failed.status) \(failed.stdout)")

            // The database comes back (the config now points at it): the next publish catches up.
            var base = try JSONSerialization.jsonObject(with: Data(contentsOf: config)) as! [String: Any]
            base["sinks"] = [["name": "index", "type": "index"], ["name": "pg", "type": "postgres", "url": url]]
            try JSONSerialization.data(withJSONObject: base).write(to: config)
            let caught = try await Harness.run(["publish", config.path])
            #expect(caught.status == 0, "catching up failed: \(caught.stderr)")
            let sink = try await PostgresSink(name: "pg", url: url, idleInTransaction: .seconds(300), logger: Self.logger())
            #expect(try await sink.contents() == Self.recordHashes(out))
            // The table's full-text index finds Korean compound parts, a compound written whole
            // where the text spaces it, two syllables inside a word, and English.
            for (query, hits) in [("반도체", 2), ("인공지능반도체", 2), ("public wi-fi", 1), ("\"civil space dialogue\"", 1), ("zzzq", 0)] {
                let found = try await sink.search(SearchQuery(query))
                #expect(found.count == hits, "PostgreSQL search \(query): \(found)")
            }
            // Two syllables inside 정보통신방송: the release with it in its title ranks first.
            #expect(try await sink.search(SearchQuery("통신")).first == "fcaddb2b1200e8588665c9e8cd1547bd")
            await sink.close()
            let after = try String(contentsOf: out.appendingPathComponent("trawl.prom"), encoding: .utf8)
            #expect(after.contains("trawl_sink_behind_changes{sink=\"pg\",type=\"postgres\"} 0"), "trawl.prom: \(after)")
            #expect(after.contains("trawl_last_run_items"), "the run's metrics were kept")
        }
    }
}
