import Foundation
import Testing

/// Near-duplicate detection through the real binary: a second run over the same archive, a
/// re-post that appears in a later run, template-sharing releases, and `trawl explain`.
@Suite(.serialized) struct DuplicateAcrossRunsTests {
    static let site = "https://www.msit.example"
    static let e2 = "\(site)/eng/bbs/view.do?sCode=eng&mId=4&mPid=2&nttSeqNo=3184101"

    static func recordsByURL(_ out: URL) throws -> [String: [String: Any]] {
        Dictionary(uniqueKeysWithValues: try Harness.records(in: out).map { ($0["url"] as! String, $0) })
    }

    @Test func aSecondRunKnowsEveryRecordAndChangesNoFile() async throws {
        let dir = try Harness.temporaryDirectory()
        let config = try Harness.fixtureConfig(in: dir)
        let out = dir.appendingPathComponent("out")
        #expect(try await Harness.run(["run", config.path, "-q"]).status == 0)
        let records = out.appendingPathComponent("records")
        let before = try FileManager.default.contentsOfDirectory(atPath: records.path).sorted()
            .map { ($0, try Data(contentsOf: records.appendingPathComponent($0))) }
        #expect(try await Harness.run(["run", config.path, "-q"]).status == 0)
        let counts = try Harness.summary(in: out)["counts"] as! [String: Int]
        #expect(counts["known_records"] == before.count, "every record of the first run is known: \(counts)")
        #expect(counts["new_records"] == 0)
        #expect(counts["duplicates"] == 1 && counts["exact_duplicates"] == 1, "the re-post is still the only duplicate")
        for (name, data) in before {
            #expect(try Data(contentsOf: records.appendingPathComponent(name)) == data, "\(name) changed on the second run")
        }
    }

    @Test func aRepostWithAnEditedDateLineIsCaughtInALaterRun() async throws {
        let dir = try Harness.temporaryDirectory()
        let mirror = dir.appendingPathComponent("archive")
        try FileManager.default.copyItem(at: Harness.fixtures.appendingPathComponent("archive/www.msit.example"), to: mirror)
        let config = try Harness.fixtureConfig(in: dir) { c in
            var sources = c["sources"] as! [[String: Any]]
            for i in sources.indices { sources[i]["root"] = mirror.path }
            c["sources"] = sources
        }
        let out = dir.appendingPathComponent("out")
        #expect(try await Harness.run(["run", config.path, "-q"]).status == 0)

        // Between runs the site re-posts E2 under a new number with its date line edited,
        // attaches a re-exported budget PDF and a byte-identical copy of the space PDF.
        let bbs = mirror.appendingPathComponent("eng/bbs")
        let original = try String(contentsOf: bbs.appendingPathComponent("view.do?sCode=eng&mId=4&mPid=2&nttSeqNo=3184101"), encoding: .utf8)
        let repost = original
            .replacingOccurrences(of: "announced on January 30 that", with: "announced on February 13 that")
            .replacingOccurrences(of: "2024.01.30", with: "2024.02.13")
            .replacingOccurrences(of: "FILE_000000000812002", with: "FILE_000000000812098")
            .replacingOccurrences(of: "FILE_000000000812003", with: "FILE_000000000812097")
        try repost.write(to: bbs.appendingPathComponent("view.do?sCode=eng&mId=4&mPid=2&nttSeqNo=3184999"), atomically: true, encoding: .utf8)
        let downloads = mirror.appendingPathComponent("bbs")
        try FileManager.default.copyItem(at: Harness.fixtures.appendingPathComponent("extra/budget-plan-reexport.pdf"),
                                         to: downloads.appendingPathComponent("download.do?atchFileId=FILE_000000000812098&fileSn=1"))
        try FileManager.default.copyItem(at: downloads.appendingPathComponent("download.do?atchFileId=FILE_000000000812001&fileSn=1"),
                                         to: downloads.appendingPathComponent("download.do?atchFileId=FILE_000000000812097&fileSn=1"))
        let listing = bbs.appendingPathComponent("list.do?sCode=eng&mId=4&mPid=2")
        let page = try String(contentsOf: listing, encoding: .utf8)
            .replacingOccurrences(of: "<tbody>", with: "<tbody><tr><td class=\"num\">3184999</td><td class=\"subject\"><a href=\"view.do?sCode=eng&amp;mId=4&amp;mPid=2&amp;nttSeqNo=3184999\">Re-post</a></td></tr>")
        try page.write(to: listing, atomically: true, encoding: .utf8)

        let second = try await Harness.run(["run", config.path, "-q"])
        #expect(second.status == 0, "\(second.stderr)")
        let counts = try Harness.summary(in: out)["counts"] as! [String: Int]
        #expect(counts["known_records"] == 15 && counts["new_records"] == 1, "\(counts)")
        #expect(counts["near_duplicates"] == 1, "\(counts)")
        #expect(counts["attachments_identical"] == 1, "the byte-identical copy is not extracted again: \(counts)")

        let records = try Self.recordsByURL(out)
        let e2 = try #require(records[Self.e2])
        let re = try #require(records["\(Self.site)/eng/bbs/view.do?sCode=eng&mId=4&mPid=2&nttSeqNo=3184999"])
        #expect(re["duplicate_of"] as? String == e2["id"] as? String, "the re-post points at the original")
        let similarity = re["similarity"] as? Double ?? 0
        #expect(similarity >= 0.8 && similarity < 1, "similarity \(similarity)")
        #expect((e2["duplicate_urls"] as? [String]) == [re["url"] as! String], "the original lists its re-post")
        #expect(e2["duplicate_of"] is NSNull)

        let attachments = re["attachments"] as! [[String: Any]]
        let budget = (e2["attachments"] as! [[String: Any]])[0]
        let reexport = try #require(attachments.first { ($0["url"] as! String).contains("812098") })
        let reexportDup = try #require(reexport["duplicate_of"] as? [String: Any], "the re-exported PDF is linked to the original PDF")
        #expect(reexportDup["sha256"] as? String == budget["sha256"] as? String)
        #expect((reexportDup["similarity"] as? Double ?? 0) >= 0.8 && (reexportDup["similarity"] as? Double ?? 1) < 1)
        let copy = try #require(attachments.first { ($0["url"] as! String).contains("812097") })
        let copyDup = try #require(copy["duplicate_of"] as? [String: Any], "a byte-identical file at another URL is the same attachment")
        #expect(copyDup["similarity"] as? Double == 1)
        #expect((copyDup["url"] as? String)?.contains("812001") == true)
    }

    @Test func releasesSharingATemplateAreNotNearDuplicates() async throws {
        // Without rules the text keeps the page's breadcrumbs and buttons; bodies still differ.
        let dir = try Harness.temporaryDirectory()
        let config = try Harness.fixtureConfig(in: dir) { c in
            var sources = c["sources"] as! [[String: Any]]
            for i in sources.indices { sources[i].removeValue(forKey: "release") }
            c["sources"] = sources
        }
        #expect(try await Harness.run(["run", config.path, "-q"]).status == 0)
        let summary = try Harness.summary(in: dir.appendingPathComponent("out"))
        let dups = summary["duplicates"] as! [[String: Any]]
        #expect(dups.map { $0["url"] as! String } == ["\(Self.site)/kor/bbs/view.do?sCode=user&mId=113&mPid=112&nttSeqNo=3185255"],
                "only the re-post is a duplicate: \(dups)")
    }

    @Test func explainShowsTheEvidence() async throws {
        let dir = try Harness.temporaryDirectory()
        let config = try Harness.fixtureConfig(in: dir)
        #expect(try await Harness.run(["run", config.path, "-q"]).status == 0)
        let k1 = "\(Self.site)/kor/bbs/view.do?sCode=user&mId=113&mPid=112&nttSeqNo=3185011"
        let repost = "\(Self.site)/kor/bbs/view.do?sCode=user&mId=113&mPid=112&nttSeqNo=3185255"
        let same = try await Harness.run(["explain", "--config", config.path, k1, repost])
        #expect(same.status == 0, "\(same.stderr)")
        for line in ["same content hash: yes", "signature similarity: 1.000", "signature distance: 0 of 128", "LSH bands shared: 16 of 16", "decision: duplicates"] {
            #expect(same.stdout.contains(line), "missing '\(line)' in:\n\(same.stdout)")
        }
        let distinct = try await Harness.run(["explain", "--config", config.path, Self.e2, k1])
        #expect(distinct.stdout.contains("decision: distinct"), "\(distinct.stdout)")
        let unknown = try await Harness.run(["explain", "--config", config.path, Self.e2, "https://www.msit.example/nope"])
        #expect(unknown.status != 0 && unknown.stderr.contains("is not a record in the ledger"))
    }
}
