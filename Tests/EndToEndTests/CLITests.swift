import Foundation
import Testing

@Suite struct CLITests {
    @Test func validateAcceptsTheShippedConfig() async throws {
        let r = try await Harness.run(["validate", "pipeline.json"], cwd: Harness.projectRoot)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("ok (2 sources"))
    }

    @Test func validateNamesTheJSONPathOfEachError() async throws {
        let dir = try Harness.temporaryDirectory()
        let config = try Harness.fixtureConfig(in: dir) { c in
            c["workers"] = ["pages": 0, "attachments": true]
            c["duplicates"] = "drop"
            var sources = c["sources"] as! [[String: Any]]
            sources[0]["base_url"] = "not a url"
            sources[0]["relase"] = [:]
            sources[1]["listing"] = ["releases": "//a[", "next": "//a"]
            sources[1]["root"] = "/nonexistent/mirror"
            c["sources"] = sources
        }
        let r = try await Harness.run(["validate", config.path])
        #expect(r.status == 2)
        for expected in ["$.workers.pages: expected an integer", "$.workers.attachments: expected an integer",
                         "$.duplicates: expected one of: mark, write, skip", "$.sources[0].base_url: expected an absolute http(s) URL",
                         "$.sources[0].relase: unknown key", "$.sources[1].listing.releases: invalid XPath",
                         "$.sources[1].root: no such directory"] {
            #expect(r.stderr.contains(expected), "missing '\(expected)' in:\n\(r.stderr)")
        }
        let run = try await Harness.run(["run", config.path])
        #expect(run.status == 2, "run refuses an invalid config")
    }

    @Test func deprecatedPDFPoolKeysRunWithAOneLineWarningNamingTheNewKey() async throws {
        let dir = try Harness.temporaryDirectory()
        let config = try Harness.fixtureConfig(in: dir) { $0["pdf"] = ["timeout_seconds": 40, "max_pages": 100] }
        let validate = try await Harness.run(["validate", config.path])
        #expect(validate.status == 0, "\(validate.stderr)")
        let lines = validate.stderr.split(separator: "\n").filter { $0.contains("$.pdf.timeout_seconds") }
        #expect(lines.count == 1 && lines[0].contains("use $.extraction.timeout_seconds"), "\(validate.stderr)")
        #expect(!validate.stderr.contains("max_pages"), "PDF-only keys are not deprecated")
        let run = try await Harness.run(["run", config.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("use $.extraction.timeout_seconds"), "\(run.stderr)")
    }

    @Test func invalidJSONIsReported() async throws {
        let dir = try Harness.temporaryDirectory()
        let file = dir.appendingPathComponent("broken.json")
        try Data("{\"output\": ".utf8).write(to: file)
        let r = try await Harness.run(["validate", file.path])
        #expect(r.status == 2)
        #expect(r.stderr.contains("broken.json: $: not valid JSON"))
    }

    @Test func unwritableOutputIsASystemicFailure() async throws {
        let dir = try Harness.temporaryDirectory()
        let blocker = dir.appendingPathComponent("file")
        try Data("x".utf8).write(to: blocker)
        let config = try Harness.fixtureConfig(in: dir) { $0["output"] = blocker.appendingPathComponent("out").path }
        let r = try await Harness.run(["run", config.path, "--quiet"])
        #expect(r.status == 3, "exit \(r.status): \(r.stderr)")
        #expect(r.stderr.contains("cannot write output"))
    }

    @Test func extractPrintsOneLinePerFileInOrder() async throws {
        let site = Harness.fixtures.appendingPathComponent("archive/www.msit.example")
        let page = site.appendingPathComponent("eng/bbs/view.do?sCode=eng&mId=4&mPid=2&nttSeqNo=3184064").path
        let pdf = site.appendingPathComponent("bbs/download.do?atchFileId=FILE_000000000812006&fileSn=1").path
        let corrupt = site.appendingPathComponent("bbs/download.do?atchFileId=FILE_000000000812005&fileSn=1").path
        let r = try await Harness.run(["extract", page, pdf, corrupt, "/nonexistent.pdf"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        #expect(lines.count == 4)
        #expect(lines.map { $0["input"] as! String } == [page, pdf, corrupt, "/nonexistent.pdf"])
        let record = lines[0]["record"] as! [String: Any]
        #expect((record["title"] as! String).contains("NASA Initiates Space Cooperation"))
        let file = lines[1]["file"] as! [String: Any]
        #expect((file["text"] as! String).contains("정부는 2027년까지 총 8,262억 원을 투자한다."))
        #expect((lines[2]["error"] as! [String: Any])["kind"] as? String == "damaged")
        #expect((lines[3]["error"] as! [String: Any])["kind"] as? String == "read")
    }

    @Test func extractResolvesLinksAgainstURL() async throws {
        let page = Harness.fixtures.appendingPathComponent("archive/www.msit.example/eng/bbs/view.do?sCode=eng&mId=4&mPid=2&nttSeqNo=3184101").path
        let r = try await Harness.run(["extract", page, "--url", "https://www.msit.example/eng/bbs/view.do?nttSeqNo=3184101"])
        let line = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let record = line["record"] as! [String: Any]
        #expect(record["url"] as? String == "https://www.msit.example/eng/bbs/view.do?nttSeqNo=3184101")
        let urls = (record["attachments"] as! [[String: Any]]).map { $0["url"] as! String }
        #expect(urls.contains("https://www.msit.example/bbs/download.do?atchFileId=FILE_000000000812002&fileSn=1"))
        let bad = try await Harness.run(["extract", page, page, "--url", "https://x.example/"])
        #expect(bad.status != 0 && bad.stderr.contains("--url applies to a single FILE"))
    }

    @Test func helpExplainsTheCommands() async throws {
        let r = try await Harness.run(["--help"])
        for word in ["run", "extract", "validate", "Exit codes"] { #expect(r.stdout.contains(word)) }
    }
}
