import Foundation
import Testing

/// Runs `trawl run` on the Fixtures archive and checks every record against the values the
/// fixture generator wrote to Fixtures/expected.json.
@Suite(.serialized) struct FixtureRunTests {
    struct Run {
        let dir: URL
        let result: Harness.Result
        var output: URL { dir.appendingPathComponent("out") }
    }

    static func run(_ changes: @escaping (inout [String: Any]) -> Void = { _ in }, name: String = #function) async throws -> Run {
        let dir = try Harness.temporaryDirectory(name)
        let config = try Harness.fixtureConfig(in: dir, changes: changes)
        return Run(dir: dir, result: try await Harness.run(["run", config.path, "--quiet"]))
    }

    @Test func everyReleaseBecomesACorrectRecord() async throws {
        let run = try await Self.run()
        #expect(run.result.status == 0, "trawl run failed: \(run.result.stderr)")
        let records = try Harness.records(in: run.output)
        let expected = try Harness.expected()
        #expect(records.count == expected.count, "expected \(expected.count) records (one per release page), got \(records.count)")
        let byURL = Dictionary(uniqueKeysWithValues: records.map { ($0["url"] as! String, $0) })
        let idOf = Dictionary(uniqueKeysWithValues: expected.compactMap { e in byURL[e["url"] as! String].map { (e["id"] as! String, $0["id"] as! String) } })

        for e in expected {
            let label = e["id"] as! String
            guard let r = byURL[e["url"] as! String] else {
                Issue.record("\(label): no record for \(e["url"]!)"); continue
            }
            #expect(r["title"] as? String == e["title"] as? String, "\(label): title")
            #expect(r["published"] as? String == e["published"] as? String, "\(label): published \(r["published"] ?? "nil")")
            #expect(r["language"] as? String == e["language"] as? String, "\(label): language")
            #expect(r["canonical_url"] as? String == e["canonical_url"] as? String, "\(label): canonical_url")
            #expect(r["encoding"] as? String == e["encoding"] as? String, "\(label): encoding")
            #expect(r["fields"] as? [String: String] == e["fields"] as? [String: String], "\(label): fields \(r["fields"] ?? "nil")")
            let text = r["text"] as? String ?? ""
            #expect(text.hasPrefix(e["text_starts_with"] as! String), "\(label): text starts with \(text.prefix(60))")
            #expect(text.hasSuffix(e["text_ends_with"] as! String), "\(label): text ends with \(text.suffix(60))")
            if let original = e["duplicate_of"] as? String {
                #expect(r["duplicate_of"] as? String == idOf[original], "\(label): should be marked a duplicate of \(original)")
            } else {
                #expect(r["duplicate_of"] is NSNull, "\(label): wrongly marked duplicate of \(r["duplicate_of"] ?? "")")
            }
            try checkAttachments(label: label, record: r, expected: e["attachments"] as! [[String: Any]])
        }
    }

    func checkAttachments(label: String, record: [String: Any], expected: [[String: Any]]) throws {
        let attachments = record["attachments"] as? [[String: Any]] ?? []
        #expect(attachments.count == expected.count, "\(label): \(attachments.count) attachments, expected \(expected.count)")
        for (a, e) in zip(attachments, expected) {
            let name = e["filename"] as! String
            #expect(a["filename"] as? String == name, "\(label): filename")
            #expect(a["url"] as? String == e["url"] as? String, "\(label) \(name): url \(a["url"] ?? "")")
            if let type = e["media_type"] as? String {
                #expect(a["media_type"] as? String == type, "\(label) \(name): media_type \(a["media_type"] ?? "")")
            }
            if let kind = e["error"] as? String {
                let error = a["error"] as? [String: Any]
                #expect(error?["kind"] as? String == kind, "\(label) \(name): expected error \(kind), got \(a["error"] ?? "none")")
                #expect((error?["message"] as? String ?? "").contains("FILE_"), "\(label) \(name): error message should name the URL")
            } else {
                #expect(a["error"] is NSNull, "\(label) \(name): unexpected error \(a["error"] ?? "")")
            }
            if let format = e["format"] as? String {
                #expect(a["format"] as? String == format, "\(label) \(name): format \(a["format"] ?? "nil")")
            }
            if let title = e["document_title"] as? String {
                let document = a["document"] as? [String: Any]
                #expect(document?["title"] as? String == title, "\(label) \(name): document title \(document?["title"] ?? "nil")")
            }
            if let original = e["duplicate_of_url"] as? String {
                // The HWPX twin of a PDF is linked to it across formats by its text.
                let dup = a["duplicate_of"] as? [String: Any]
                #expect(dup?["url"] as? String == original, "\(label) \(name): duplicate_of \(a["duplicate_of"] ?? "nil")")
            }
            if let members = e["members"] as? [String] {
                let embedded = (a["embedded"] as? [[String: Any]] ?? []).compactMap { $0["filename"] as? String }
                #expect(embedded.count == members.count, "\(label) \(name): members \(embedded)")
                for m in members {
                    let display = m.split(separator: "/").last.map(String.init) ?? m
                    #expect(embedded.contains { $0.contains(display) }, "\(label) \(name): member \(m) missing from \(embedded)")
                }
                for m in a["embedded"] as? [[String: Any]] ?? [] {
                    #expect(m["error"] is NSNull, "\(label) \(name): member error \(m["error"] ?? "")")
                }
            }
            if e["pages"] == nil, let snippets = e["text_contains"] as? [String] {
                let text = (a["text"] as? String ?? "").replacingOccurrences(of: "\n", with: " ")
                for snippet in snippets {
                    #expect(text.contains(snippet), "\(label) \(name): attachment text lacks '\(snippet)'")
                }
            }
            if let pages = e["pages"] as? Int {
                let pdf = a["pdf"] as? [String: Any]
                #expect(pdf?["pages"] as? Int == pages, "\(label) \(name): pages")
                #expect(pdf?["title"] as? String == e["pdf_title"] as? String, "\(label) \(name): PDF title")
                #expect(pdf?["author"] as? String == e["pdf_author"] as? String, "\(label) \(name): PDF author")
                #expect(Self.sameInstant(pdf?["created"] as? String, e["pdf_created"] as? String),
                        "\(label) \(name): created \(pdf?["created"] ?? "nil") vs \(e["pdf_created"]!)")
                // Lines are compared joined: the PDF wraps paragraphs at its page width.
                let text = (a["text"] as? String ?? "").replacingOccurrences(of: "\n", with: " ")
                for snippet in e["text_contains"] as! [String] {
                    #expect(text.contains(snippet), "\(label) \(name): attachment text lacks '\(snippet)'")
                }
            }
        }
    }

    static func sameInstant(_ a: String?, _ b: String?) -> Bool {
        let f = ISO8601DateFormatter()
        guard let a, let b, let da = f.date(from: a), let db = f.date(from: b) else { return false }
        return da == db
    }

    @Test func noMenuBreadcrumbOrFooterTextReachesRecords() async throws {
        let run = try await Self.run()
        let banned = try JSONSerialization.jsonObject(with: Data(contentsOf: Harness.fixtures.appendingPathComponent("expected.json"))) as! [String: Any]
        for r in try Harness.records(in: run.output) {
            for phrase in banned["boilerplate_absent"] as! [String] {
                #expect(!(r["text"] as! String).contains(phrase), "\(r["url"]!): text contains boilerplate '\(phrase)'")
            }
        }
    }

    @Test func summaryReportsErrorsDuplicatesAndSharedAttachments() async throws {
        let run = try await Self.run()
        #expect(run.result.status == 0, "per-item errors must not fail the run: \(run.result.stderr)")
        let summary = try Harness.summary(in: run.output)
        let counts = summary["counts"] as! [String: Int]
        let byKind = summary["errors_by_kind"] as! [String: Int]
        #expect(byKind == ["attachment/missing": 1, "pdf/damaged": 1], "errors by kind: \(byKind)")
        #expect(counts["duplicates"] == 1)
        #expect(counts["repeated_urls"] == 1, "the 'most read' link repeats a release URL")
        #expect(counts["listing_pages"] == 4)
        let records = try Harness.records(in: run.output)
        #expect(counts["records"] == records.count)
        // Each distinct attachment URL is read and extracted exactly once.
        let links = records.flatMap { $0["attachments"] as! [[String: Any]] }
        let distinct = Set(links.map { $0["canonical_url"] as! String })
        #expect(counts["attachment_links"] == links.count)
        #expect(counts["attachments_extracted"] == distinct.count, "extracted \(counts["attachments_extracted"] ?? -1) for \(distinct.count) distinct files")
        #expect(counts["attachments_reused"] == links.count - distinct.count)
        let shared = links.filter { ($0["url"] as! String).contains("FILE_000000000812001") }
        #expect(shared.count == 3, "the space-cooperation PDF is linked from three releases")
        #expect(Set(shared.map { $0["sha256"] as! String }).count == 1)
        let errors = summary["errors"] as! [[String: Any]]
        #expect(errors.allSatisfy { ($0["url"] as? String)?.hasPrefix("https://www.msit.example/") == true && $0["record_id"] is String })
        for key in ["total", "pages", "attachments", "write", "source"] {
            #expect(((summary["timings"] as! [String: Double])[key] ?? -1) >= 0, "timing \(key)")
        }
        // The main process's own peak memory: a real reading, not a placeholder.
        let peak = summary["peak_rss_mib"] as? Double ?? 0
        #expect(peak > 5 && peak < 2048, "peak_rss_mib \(peak) is not a plausible resident size")
    }

    @Test func everyRecordValidatesAgainstThePublishedSchema() async throws {
        let run = try await Self.run()
        let validator = try JSONSchemaValidator(schema: Data(contentsOf: Harness.projectRoot.appendingPathComponent("schema/record.schema.json")))
        let records = try Harness.records(in: run.output)
        #expect(!records.isEmpty)
        for r in records {
            let failures = try validator.validate(r)
            #expect(failures.isEmpty, "\(r["url"]!): \(failures.map(\.description).joined(separator: "; "))")
        }
    }

    @Test func theValidatorRejectsBrokenRecords() async throws {
        let validator = try JSONSchemaValidator(schema: Data(contentsOf: Harness.projectRoot.appendingPathComponent("schema/record.schema.json")))
        let run = try await Self.run()
        var r = try Harness.records(in: run.output)[0]
        r["published"] = "25/01/2024"
        r["id"] = "not-an-id"
        r.removeValue(forKey: "text")
        r["extra"] = true
        let reasons = try validator.validate(r).map(\.description).joined(separator: "\n")
        for path in ["$.published", "$.id", "$.text", "$.extra"] {
            #expect(reasons.contains(path), "validator missed \(path): \(reasons)")
        }
    }

    @Test func skipPolicyWritesNoRecordForTheRepost() async throws {
        let run = try await Self.run { $0["duplicates"] = "skip" }
        let records = try Harness.records(in: run.output)
        let expected = try Harness.expected()
        #expect(records.count == expected.count - 1)
        #expect(!records.contains { ($0["url"] as! String).hasSuffix("nttSeqNo=3185255") })
        #expect(records.allSatisfy { $0["duplicate_of"] is NSNull })
        let dups = try Harness.summary(in: run.output)["duplicates"] as! [[String: Any]]
        #expect(dups.count == 1 && dups[0]["written"] as? Bool == false)
    }

    @Test func outputIsIdenticalAcrossRuns() async throws {
        let a = try await Self.run(name: "identicalA"), b = try await Self.run(name: "identicalB")
        let dirA = a.output.appendingPathComponent("records"), dirB = b.output.appendingPathComponent("records")
        let files = try FileManager.default.contentsOfDirectory(atPath: dirA.path).sorted()
        #expect(files == (try FileManager.default.contentsOfDirectory(atPath: dirB.path).sorted()))
        for f in files {
            #expect(try Data(contentsOf: dirA.appendingPathComponent(f)) == Data(contentsOf: dirB.appendingPathComponent(f)), "\(f) differs between runs")
        }
    }

    @Test func recordsWithoutRulesAreAsRightAsWithRules() async throws {
        // A second config without any release rules: heuristics must find the same values.
        let run = try await Self.run { config in
            var sources = config["sources"] as! [[String: Any]]
            for i in sources.indices { sources[i].removeValue(forKey: "release") }
            config["sources"] = sources
        }
        #expect(run.result.status == 0, "\(run.result.stderr)")
        let records = try Dictionary(uniqueKeysWithValues: Harness.records(in: run.output).map { ($0["url"] as! String, $0) })
        for e in try Harness.expected() {
            let label = e["id"] as! String
            guard let r = records[e["url"] as! String] else { Issue.record("\(label): no record"); continue }
            #expect(r["title"] as? String == e["title"] as? String, "\(label): title '\(r["title"] ?? "nil")' without rules")
            #expect(r["published"] as? String == e["published"] as? String, "\(label): published without rules")
            #expect(r["fields"] as? [String: String] == e["fields"] as? [String: String], "\(label): fields without rules \(r["fields"] ?? "nil")")
            let text = r["text"] as? String ?? ""
            #expect(text.contains(e["text_starts_with"] as! String) && text.contains(e["text_ends_with"] as! String),
                    "\(label): body without rules: \(text.prefix(200))")
            #expect((r["attachments"] as! [[String: Any]]).count == (e["attachments"] as! [Any]).count,
                    "\(label): download endpoints are found without a rule")
        }
        let banned = try JSONSerialization.jsonObject(with: Data(contentsOf: Harness.fixtures.appendingPathComponent("expected.json"))) as! [String: Any]
        for r in records.values {
            for phrase in banned["boilerplate_absent"] as! [String] {
                #expect(!(r["text"] as! String).contains(phrase), "\(r["url"]!): rule-less text contains boilerplate '\(phrase)'")
            }
        }
    }
}
