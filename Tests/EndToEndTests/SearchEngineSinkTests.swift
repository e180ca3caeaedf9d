import Foundation
import Testing
import Trawl
import TrawlSinks

extension PublishingSuites {
    /// The Elasticsearch/OpenSearch and Meilisearch sinks against stand-ins on 127.0.0.1 that
    /// parse what they receive as those engines do and answer every documented response: success,
    /// partial failure, 429, 413, 5xx, refused credentials. (No real engine can be installed on
    /// these machines; the README says so.)
    @Suite(.serialized) struct SearchEngineSinkTests {
        /// The Fixtures run without sinks; one record is made to carry the stand-ins' poison.
        static func output(poisoned: Bool = true) async throws -> (out: URL, poisoned: String) {
            let dir = try Harness.temporaryDirectory()
            let config = try Harness.fixtureConfig(in: dir) { $0["sinks"] = [] }
            let run = try await Harness.run(["run", config.path, "--quiet"])
            #expect(run.status == 0, "run failed: \(run.stderr)")
            let out = dir.appendingPathComponent("out")
            let records = out.appendingPathComponent("records")
            let name = try FileManager.default.contentsOfDirectory(atPath: records.path).sorted().first!
            if poisoned {
                let file = records.appendingPathComponent(name)
                var object = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as! [String: Any]
                object["text"] = (object["text"] as! String) + " MAPPING-ERROR-TRIGGER"
                try JSONSerialization.data(withJSONObject: object).write(to: file)
            }
            return (out, String(name.dropLast(5)))
        }

        static func ids(_ out: URL) throws -> Set<String> {
            Set(try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("records").path).map { String($0.dropLast(5)) })
        }

        /// Appends a feed that deletes `id` (and removes its record), as a later run would.
        static func delete(_ id: String, in out: URL) throws {
            try FileManager.default.removeItem(at: out.appendingPathComponent("records/\(id).json"))
            let line = ChangeLine(seq: 1, op: .deleted, id: id, url: "https://e.kr/\(id)", source: "test", run: "29991231T000000.000Z-zzzz")
            try (try JSONEncoder().encode(line) + Data("\n".utf8)).write(to: out.appendingPathComponent("changes/29991231T000000.000Z-zzzz.jsonl"))
        }

        @Test func elasticsearchTakesBulkBatchesAndRejectsOnlyWhatItRefuses() async throws {
            let (out, poisoned) = try await Self.output()
            let es = try await ElasticsearchStandIn.start()
            defer { es.server.stop() }
            let throttled = try Self.ids(out).sorted().last!
            es.state.withLock { s in
                s.faults.authorization = "ApiKey s3cret"
                s.faults.nextStatuses = [429, 503]         // whole requests refused, then retried
                s.faults.throttleOnce = [throttled]        // one item answered 429, then retried
                s.faults.maxBodyBytes = 30_000             // bigger requests get 413 and are split
            }
            let sink = ElasticsearchSink(name: "es", type: "elasticsearch", url: es.server.url, index: "releases", output: out,
                                         credentials: SinkCredentials(apiKey: "s3cret"))
            let status = await Publisher(output: out).publish(to: sink)
            #expect(status.error == nil, "publish failed: \(status.error ?? "")")
            #expect(status.rejects.map(\.id) == [poisoned], "rejects: \(status.rejects)")
            #expect(status.rejects.first?.reason.contains("mapper_parsing_exception") == true)
            let stored = es.documents("releases")
            #expect(Set(stored.keys) == (try Self.ids(out)).subtracting([poisoned]), "stored: \(stored.keys.sorted())")
            #expect(stored[throttled] != nil, "the item answered 429 was not sent again")
            let mapping = es.state.withLock { $0.indexes["releases"] }
            #expect(mapping != nil, "the index was not created")
            let bulk = es.state.withLock { ($0.bulkRequests, $0.bulkBytes) }
            #expect(bulk.0 >= 5 && bulk.1.contains { $0 > 30_000 } && bulk.1.contains { $0 <= 30_000 }, "bulk requests: \(bulk)")
            #expect(status.cursor != nil && status.behind == 0)
            // Nothing new: nothing sent. A deletion: the document goes.
            #expect(await Publisher(output: out).publish(to: sink).applied == 0)
            let gone = try Self.ids(out).subtracting([poisoned, throttled]).sorted().first!
            try Self.delete(gone, in: out)
            let third = await Publisher(output: out).publish(to: sink)
            #expect(third.deleted == 1 && es.documents("releases")[gone] == nil, "after a delete: \(third)")
            await sink.close()

            // Refused credentials stop the sink at once; its cursor stays.
            let before = try String(contentsOf: out.appendingPathComponent(".trawl/sinks/es.json"), encoding: .utf8)
            let wrong = ElasticsearchSink(name: "es", type: "elasticsearch", url: es.server.url, index: "releases", output: out,
                                          credentials: SinkCredentials(username: "elastic", password: "nope"))
            let refused = await Publisher(output: out).publish(to: wrong, fromStart: true)
            #expect(refused.error?.contains("401") == true && refused.error?.contains("credentials") == true, "\(refused.error ?? "no error")")
            #expect(try String(contentsOf: out.appendingPathComponent(".trawl/sinks/es.json"), encoding: .utf8) == before)
            await wrong.close()
        }

        @Test func meilisearchWaitsForItsTasksAndIsolatesRefusedDocuments() async throws {
            let (out, poisoned) = try await Self.output()
            let meili = try await MeilisearchStandIn.start()
            defer { meili.server.stop() }
            meili.state.withLock { s in
                s.faults.authorization = "Bearer m3ili"
                s.faults.nextStatuses = [429, 502]
            }
            let sink = MeilisearchSink(name: "meili", url: meili.server.url, index: "releases", output: out, credentials: SinkCredentials(apiKey: "m3ili"))
            let status = await Publisher(output: out).publish(to: sink)
            #expect(status.error == nil, "publish failed: \(status.error ?? "")")
            #expect(status.rejects.map(\.id) == [poisoned], "rejects: \(status.rejects)")
            #expect(status.rejects.first?.reason.contains("invalid_document_fields") == true, "\(status.rejects)")
            #expect(Set(meili.documents("releases").keys) == (try Self.ids(out)).subtracting([poisoned]))
            let settings = meili.state.withLock { $0.settings["releases"] }.flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
            #expect((settings?["filterableAttributes"] as? [String])?.contains("source") == true, "settings: \(settings ?? [:])")
            let gone = try Self.ids(out).subtracting([poisoned]).sorted().first!
            try Self.delete(gone, in: out)
            let second = await Publisher(output: out).publish(to: sink)
            #expect(second.deleted == 1 && meili.documents("releases")[gone] == nil, "after a delete: \(second)")
            await sink.close()

            // A refused payload (413) is split down to single documents; a wrong key is a 403.
            meili.state.withLock { $0.faults.maxBodyBytes = 1_000 }
            let again = MeilisearchSink(name: "meili", url: meili.server.url, index: "releases", output: out, credentials: SinkCredentials(apiKey: "m3ili"))
            let split = await Publisher(output: out).publish(to: again, fromStart: true)
            await again.close()
            #expect(split.error == nil && split.rejects.contains { $0.reason.contains("413") }, "413: \(split.error ?? "") \(split.rejects)")
            let kept = Set(meili.documents("releases").keys)
            let all = try Self.ids(out)
            #expect(!kept.isEmpty && kept.union(split.rejects.map(\.id)) == all, "split: kept \(kept.count), refused \(split.rejects.count)")
            let wrong = MeilisearchSink(name: "meili", url: meili.server.url, index: "releases", output: out, credentials: SinkCredentials(apiKey: "bad"))
            let refused = await Publisher(output: out).publish(to: wrong, fromStart: true)
            #expect(refused.error?.contains("403") == true, "\(refused.error ?? "no error")")
            await wrong.close()
        }

        @Test func anEngineThatStaysDownKeepsTheCursor() async throws {
            let (out, _) = try await Self.output(poisoned: false)
            let es = try await ElasticsearchStandIn.start()
            defer { es.server.stop() }
            es.state.withLock { $0.faults.nextStatuses = Array(repeating: 503, count: 100) }
            try await es.handleIndexCreation()
            let sink = ElasticsearchSink(name: "es", type: "opensearch", url: es.server.url, index: "releases", output: out, credentials: SinkCredentials())
            let status = await Publisher(output: out).publish(to: sink)
            #expect(status.error?.contains("503") == true, "\(status.error ?? "no error")")
            #expect(status.applied == 0 && status.behind == 16 && status.cursor == nil, "\(status)")
            #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent(".trawl/sinks/es.json").path))
            await sink.close()
        }
    }
}

extension ElasticsearchStandIn {
    /// The index exists already (so that only `_bulk` meets the fault).
    func handleIndexCreation() async throws {
        state.withLock { $0.indexes["releases"] = Data("{}".utf8) }
    }
}
