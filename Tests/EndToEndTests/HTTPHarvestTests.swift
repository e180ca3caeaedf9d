import Foundation
import Testing
import TrawlSiteServer

/// The `http` source against the Fixtures archive served on 127.0.0.1 by `SiteServer`, with
/// the server's faults switched on per URL.
@Suite(.serialized) struct HTTPHarvestTests {
    static let mirror = Harness.fixtures.appendingPathComponent("archive/www.msit.example")
    static let engList = "/eng/bbs/list.do?sCode=eng&mId=4&mPid=2"
    static func engView(_ n: Int) -> String { "/eng/bbs/view.do?sCode=eng&mId=4&mPid=2&nttSeqNo=\(n)" }

    /// pipeline.json's sources turned into http sources on `server`, with fast timings.
    static func config(in dir: URL, server: SiteServer, http: [String: Any] = [:],
                       incremental: [String: Any] = ["delete_after_runs": 2, "delete_after_hours": 0]) throws -> URL {
        try Harness.fixtureConfig(in: dir) { config in
            var sources = config["sources"] as! [[String: Any]]
            for i in sources.indices {
                sources[i]["type"] = "http"
                sources[i]["root"] = nil
                sources[i]["base_url"] = server.baseURL.absoluteString
                var settings: [String: Any] = ["delay_ms": 0, "backoff_ms": 50, "retries": 2, "read_timeout_ms": 2000,
                                               "total_timeout_ms": 5000, "max_retry_after_seconds": 5,
                                               "user_agent": "TrawlTest/1.0"]
                settings.merge(http) { $1 }
                sources[i]["http"] = settings
                sources[i]["incremental"] = incremental
            }
            config["sources"] = sources
        }
    }

    /// One http source over a `GeneratedContent` site (`/list?page=N`, `/view?id=N`).
    static func generatedConfig(in dir: URL, server: SiteServer, http: [String: Any], incremental: [String: Any] = [:]) throws -> URL {
        try Harness.fixtureConfig(in: dir) { config in
            config["sources"] = [[
                "name": "generated", "type": "http", "base_url": server.baseURL.absoluteString, "seeds": ["/list?page=1"],
                "listing": ["releases": "//td[@class='subject']/a", "next": "//div[@class='paging']/a[@class='next']"],
                "release": ["title": "//h3[@class='title']", "body": "//div[@class='view_cont']"],
                "http": http, "incremental": incremental,
            ]]
        }
    }

    static func run(_ config: URL) async throws -> Harness.Result {
        try await Harness.run(["run", config.path, "--quiet"])
    }

    static func feed(_ output: URL, run: [String: Any]) throws -> [[String: Any]] {
        let id = run["run_id"] as! String
        let text = try String(contentsOf: output.appendingPathComponent("changes/\(id).jsonl"), encoding: .utf8)
        return try text.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }

    static func counts(_ summary: [String: Any]) -> [String: Int] { summary["counts"] as! [String: Int] }

    /// The English listing gains releases 9000001 and 9000002, release 3184190 gains a
    /// correction, release 3184270 answers 410. Returns the new listing page.
    static func addChangeAndDelete(on server: SiteServer) throws -> String {
        let listing = try String(contentsOf: mirror.appendingPathComponent(String(engList.dropFirst())), encoding: .utf8)
        let added = [9_000_001, 9_000_002]
        let rows = added.map { "<tr><td class=\"subject\"><a href=\"\(engView($0))\">New release \($0)</a></td></tr>" }.joined()
        let extended = listing.replacingOccurrences(of: "<tbody>", with: "<tbody>" + rows)
        server.control.set(engList, .body(Data(extended.utf8)))
        for n in added { server.control.set(engView(n), .body(Data(releasePage(n).utf8))) }
        let changed = engView(3184190)
        let original = try String(contentsOf: mirror.appendingPathComponent(String(changed.dropFirst())), encoding: .utf8)
        server.control.set(changed, .body(Data(original.replacingOccurrences(of: "nine ministries.</p>", with: "nine ministries.</p><p>Correction: the summary was revised on 2 May.</p>").utf8)))
        server.control.set(engView(3184270), .status(410))
        return extended
    }

    @Test func harvestsThenOnlyRevalidatesThenReportsExactChanges() async throws {
        let server = try await SiteServer.start(content: MirrorContent(root: Self.mirror))
        defer { Task { await server.stop() } }
        server.control.setRobots("User-agent: *\nDisallow: /admin/\n")
        let dir = try Harness.temporaryDirectory()
        let config = try Self.config(in: dir, server: server)
        let out = dir.appendingPathComponent("out")

        // Run 1: the whole site.
        let first = try await Self.run(config)
        #expect(first.status == 0, "first run failed: \(first.stderr)")
        let s1 = try Harness.summary(in: out)
        #expect(Self.counts(s1)["records"] == 15, "first run: \(Self.counts(s1))")
        // Each record is announced as created; the re-post's original is then updated once
        // (its duplicate_urls gain the re-post's URL).
        let feed1 = try Self.feed(out, run: s1)
        #expect(Set(feed1.filter { $0["op"] as? String == "created" }.map { $0["id"] as! String }).count == 15, "run 1 feed: \(feed1)")
        #expect(feed1.filter { $0["op"] as? String == "updated" }.count == 1)
        #expect(server.control.requests.allSatisfy { $0.userAgent == "TrawlTest/1.0" })
        #expect(server.control.requests.allSatisfy { $0.acceptEncoding == "gzip, deflate" })
        let before = try Self.snapshot(out)

        // Run 2: nothing changed. Only conditional requests; nothing parsed or rewritten.
        server.control.resetRequests()
        let second = try await Self.run(config)
        #expect(second.status == 0, "second run failed: \(second.stderr)")
        let s2 = try Harness.summary(in: out)
        let unconditional = server.control.requests.filter { !$0.conditional }
        #expect(unconditional.isEmpty, "unconditional requests on an unchanged site: \(unconditional.map(\.target))")
        #expect(server.control.requests.allSatisfy { $0.status == 304 }, "\(server.control.requests.map { "\($0.status) \($0.target)" })")
        #expect(try Self.feed(out, run: s2).isEmpty, "the change feed of a no-change run is empty")
        #expect(Self.counts(s2)["created"] == 0 && Self.counts(s2)["updated"] == 0 && Self.counts(s2)["unchanged"] == 15,
                "second run: \(Self.counts(s2))")
        #expect(try Self.snapshot(out) == before, "no record file was rewritten")

        // The site adds two releases, changes one and deletes one (410 on two runs).
        let extendedListing = try Self.addChangeAndDelete(on: server)

        _ = try await Self.run(config)
        let s3 = try Harness.summary(in: out)
        let feed3 = try Self.feed(out, run: s3)
        let ops3 = feed3.map { "\($0["op"]!) \(($0["url"] as! String).split(separator: "=").last!)" }.sorted()
        #expect(ops3 == ["created 9000001", "created 9000002", "updated 3184190"], "run 3 feed: \(ops3)")
        #expect(Self.counts(s3)["gone_pending"] == 1, "run 3: \(Self.counts(s3))")

        _ = try await Self.run(config)
        let s4 = try Harness.summary(in: out)
        let ops4 = try Self.feed(out, run: s4).map { "\($0["op"]!) \(($0["url"] as! String).split(separator: "=").last!)" }
        #expect(ops4 == ["deleted 3184270"], "run 4 feed: \(ops4)")
        #expect(Self.counts(s4)["deleted"] == 1)
        #expect(try Harness.records(in: out).count == 16, "15 + 2 added - 1 deleted")

        // A release that leaves the listing but still answers 200 is kept.
        let shorter = extendedListing
            .replacingOccurrences(of: #"<a href="\#(Self.engView(3184064).replacingOccurrences(of: "&", with: "&amp;"))""#, with: #"<a href="/elsewhere""#)
        server.control.set(Self.engList, .body(Data(shorter.utf8)))
        _ = try await Self.run(config)
        let s5 = try Harness.summary(in: out)
        let feed5 = try Self.feed(out, run: s5)
        #expect(feed5.isEmpty, "run 5 feed: \(feed5)")
        #expect(try Harness.records(in: out).contains { ($0["url"] as! String).hasSuffix("3184064") }, "an unlisted release answering 200 was dropped")
        #expect(server.control.requests.contains { $0.target == Self.engView(3184064) }, "the unlisted release was not revisited")
    }

    /// A harvest whose ledger an older Trawl wrote (no extraction marker on releases, attachment
    /// extractions without a format) refetches releases and attachments once, unconditionally,
    /// and is conditional again on the run after.
    @Test func aHarvestMadeByTheOlderExtractorIsRefreshedOnce() async throws {
        let server = try await SiteServer.start(content: MirrorContent(root: Self.mirror))
        defer { Task { await server.stop() } }
        let dir = try Harness.temporaryDirectory()
        let config = try Self.config(in: dir, server: server)
        let out = dir.appendingPathComponent("out")
        #expect(try await Self.run(config).status == 0)

        let ledger = out.appendingPathComponent(".trawl/ledger.sqlite").path
        let script = """
        import json, sqlite3, sys
        c = sqlite3.connect(sys.argv[1])
        c.execute("update url_state set payload = NULL where kind = 'release'")
        for url, payload in c.execute("select url, payload from url_state where kind = 'attachment'").fetchall():
            if payload:
                d = json.loads(payload); d.pop("format", None); d.pop("document", None)
                c.execute("update url_state set payload = ? where url = ? and kind = 'attachment'", (json.dumps(d).encode(), url))
        c.commit()
        """
        let py = Process()
        py.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        py.arguments = ["python3", "-c", script, ledger]
        try py.run()
        await Harness.waitDetached(py)
        #expect(py.terminationStatus == 0, "could not age the ledger")

        server.control.resetRequests()
        #expect(try await Self.run(config).status == 0)
        let refreshed = server.control.requests.filter { $0.target.contains("view.do") || $0.target.contains("download.do") }
        #expect(!refreshed.isEmpty && refreshed.allSatisfy { !$0.conditional }, "releases and attachments are fetched again: \(refreshed.map { "\($0.conditional) \($0.target)" })")
        let counts = Self.counts(try Harness.summary(in: out))
        #expect(counts["created"] == 0 && counts["updated"] == 0, "the records rebuilt are the same bytes: \(counts)")

        server.control.resetRequests()
        #expect(try await Self.run(config).status == 0)
        // (robots.txt answers 404 here, which is never remembered, so it is asked for afresh.)
        let unconditional = server.control.requests.filter { !$0.conditional && $0.target != "/robots.txt" }.map(\.target)
        #expect(unconditional.isEmpty, "the run after is conditional again: \(unconditional)")
    }

    @Test func downloadsAreCappedAndDecompressionBombsStopped() async throws {
        let server = try await SiteServer.start(content: MirrorContent(root: Self.mirror))
        defer { Task { await server.stop() } }
        // 8 MB of zeros compress about a thousandfold: beyond the 100× limit.
        server.control.set(Self.engView(3184155), .body(Data(count: 8_000_000)), .gzip)
        let dir = try Harness.temporaryDirectory()
        let config = try Self.config(in: dir, server: server)
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: config)) as! [String: Any]
        json["limits"] = ["max_attachment_bytes": 12_000]
        try JSONSerialization.data(withJSONObject: json).write(to: config)
        let result = try await Self.run(config)
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try Harness.summary(in: dir.appendingPathComponent("out"))
        let errors = summary["errors"] as! [[String: Any]]
        let bomb = errors.first { ($0["url"] as? String)?.hasSuffix("3184155") == true }
        #expect(bomb?["kind"] as? String == "decompression", "gzip bomb: \(String(describing: bomb))")
        let capped = errors.filter { $0["kind"] as? String == "too_large" }
        #expect(!capped.isEmpty && capped.allSatisfy { ($0["message"] as! String).contains("12000") }, "\(capped)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/.trawl/tmp").path), "a partial download was left behind")
    }

    @Test func everyFaultIsHandledAndReportedPerURL() async throws {
        let server = try await SiteServer.start(content: MirrorContent(root: Self.mirror))
        defer { Task { await server.stop() } }
        let c = server.control
        c.setRobots("User-agent: *\nDisallow: /eng/bbs/view.do?sCode=eng&mId=4&mPid=2&nttSeqNo=3184302\n")
        c.set(Self.engList, .gzip)                                        // gzip body
        c.set(Self.engView(3184064), .status(503, retryAfter: "1", times: 1))  // recovers after Retry-After
        c.set(Self.engView(3184101), .status(429, retryAfter: "1", times: 1))
        c.set(Self.engView(3184155), .reset(times: 1))                    // dropped connection, retried
        c.set(Self.engView(3184190), .slow(milliseconds: 10_000))         // beyond the read timeout
        c.set(Self.engView(3184233), .redirect(to: "/moved/a"))           // redirect loop
        c.set("/moved/a", .redirect(to: "/moved/b"))
        c.set("/moved/b", .redirect(to: Self.engView(3184233)))
        c.set(Self.engView(3184270), .redirect(to: "http://example.org/elsewhere"))  // off the allowed hosts
        // An HTML error page served as a PDF.
        c.set("/bbs/download.do?atchFileId=FILE_000000000812002&fileSn=1", .body(Data("<html><body>Error 500: file server busy</body></html>".utf8)), .contentType("application/pdf"))
        let kor = "/kor/bbs/list.do?sCode=user&mId=113&mPid=112"
        c.set(kor, .status(500, times: 1))

        let dir = try Harness.temporaryDirectory()
        // A read timeout with room for a busy machine: at 1 s, the retries of the dropped
        // connection and of the 500 timed out while other suites ran beside this one (CI).
        let config = try Self.config(in: dir, server: server, http: ["read_timeout_ms": 3000, "retries": 1])
        let result = try await Self.run(config)
        #expect(result.seconds < 60, "\(Int(result.seconds)) s")
        #expect(result.status == 0, "run failed: \(result.stderr)")
        let out = dir.appendingPathComponent("out")
        let summary = try Harness.summary(in: out)
        let errors = summary["errors"] as! [[String: Any]]
        func kind(of target: String) -> String? {
            errors.first { ($0["url"] as? String)?.hasSuffix(target) == true }.map { "\($0["stage"]!)/\($0["kind"]!)" }
        }
        #expect(kind(of: "nttSeqNo=3184302") == "fetch/robots", "robots: \(errors)")
        #expect(kind(of: "nttSeqNo=3184190") == "fetch/timeout")
        #expect(kind(of: "nttSeqNo=3184233") == "fetch/redirect_loop")
        #expect(kind(of: "nttSeqNo=3184270") == "fetch/refused")
        #expect(kind(of: "FILE_000000000812002&fileSn=1") == "attachment/not_pdf", "\(errors)")
        for recovered in ["nttSeqNo=3184064", "nttSeqNo=3184101", "nttSeqNo=3184155"] {
            #expect(kind(of: recovered) == nil, "\(recovered) should have been retried into success: \(kind(of: recovered) ?? "")")
        }
        let urls = try Harness.records(in: out).map { $0["url"] as! String }
        #expect(urls.contains { $0.hasSuffix("3184064") } && urls.contains { $0.hasSuffix("3184101") } && urls.contains { $0.hasSuffix("3184155") })
        #expect(urls.filter { $0.contains("/kor/") }.count == 8, "the Korean listing recovered from its 500")
        // Retry-After was honoured: the retry came at least 1 s after the 503.
        let hits = c.requests.filter { $0.target == Self.engView(3184064) }
        #expect(hits.count == 2 && hits[1].at - hits[0].at >= .milliseconds(950), "503 then retry after 1 s: \(hits.map(\.status))")
        #expect(!c.requests.contains { $0.target == Self.engView(3184302) }, "a robots-disallowed URL is never requested")
    }

    @Test func contentDispositionNamesTheDownload() async throws {
        let server = try await SiteServer.start(content: MirrorContent(root: Self.mirror))
        defer { Task { await server.stop() } }
        let target = Self.engView(3184064)
        let page = Self.releasePage(1, attachments: ["/files/a", "/files/b"])
        server.control.set(target, .body(Data(page.utf8)))
        let pdf = try Data(contentsOf: Self.mirror.appendingPathComponent("bbs/download.do?atchFileId=FILE_000000000812001&fileSn=1"))
        server.control.set("/files/a", .body(pdf), .contentType("application/pdf"),
                           .contentDisposition(Array("attachment; filename=\"fallback.pdf\"; filename*=UTF-8''%EB%B3%B4%EB%8F%84%EC%9E%90%EB%A3%8C.pdf".utf8)))
        // Raw EUC-KR bytes for "보도.pdf", as some Korean servers send them.
        server.control.set("/files/b", .body(pdf), .contentType("application/pdf"),
                           .contentDisposition(Array("attachment; filename=\"".utf8) + [0xBA, 0xB8, 0xB5, 0xB5] + Array(".pdf\"".utf8)))
        let dir = try Harness.temporaryDirectory()
        let result = try await Self.run(try Self.config(in: dir, server: server))
        #expect(result.status == 0, "\(result.stderr)")
        let record = try Harness.records(in: dir.appendingPathComponent("out")).first { ($0["url"] as! String).hasSuffix("3184064") }
        let names = (record?["attachments"] as? [[String: Any]])?.map { $0["filename"] as? String }
        #expect(names?.first == "보도자료.pdf", "RFC 5987 filename*: \(String(describing: names))")
        // The HTTP parser decodes header bytes as UTF-8, so raw EUC-KR arrives as U+FFFD and
        // cannot be recovered; the name falls back to the URL rather than showing garbage.
        #expect(names?.last == "b", "raw EUC-KR falls back to the URL's name: \(String(describing: names))")
    }

    /// `http.warc`: every request the site saw, robots.txt included, is in the archive with its
    /// response, each body as served; every file reads to the end (warcio too, when present).
    @Test func aHarvestArchivesEveryRequestAndResponseAsWARC() async throws {
        let server = try await SiteServer.start(content: MirrorContent(root: Self.mirror))
        defer { Task { await server.stop() } }
        server.control.setRobots("User-agent: *\nDisallow: /admin/\n")
        let dir = try Harness.temporaryDirectory()
        let config = try Self.config(in: dir, server: server, http: ["warc": true])
        let out = dir.appendingPathComponent("out")
        let run = try await Self.run(config)
        #expect(run.status == 0, "\(run.stderr)")
        let folder = out.appendingPathComponent("warc")
        let files = WARCFiles.finished(in: folder)
        #expect(!files.isEmpty && WARCFiles.open(in: folder).isEmpty, "warc/: \(files.map(\.lastPathComponent)) open: \(WARCFiles.open(in: folder))")
        var requested: [String] = []
        var responses: [String: Data] = [:]
        for file in files {
            let records = try await Harness.detached { try WARCFiles.records(file) }
            #expect(records.first?.type == "warcinfo", "\(file.lastPathComponent) starts with \(records.first?.type ?? "nothing")")
            for r in records where r.type == "request" { requested.append(r.uri ?? "") }
            for r in records where r.type == "response" { responses[r.uri ?? ""] = r.block }
            if let problem = try await Harness.detached({ try WARCFiles.warcioProblem(file) }) { Issue.record("\(problem)") }
        }
        if WARCFiles.warcio == nil { print("SKIPPED: warcio check of the harvest's WARC files (no warcio in Benchmarks/.venv or TRAWL_WARCIO)") }
        let base = server.baseURL.absoluteString.hasSuffix("/") ? String(server.baseURL.absoluteString.dropLast()) : server.baseURL.absoluteString
        let seen = server.control.requests.map { base + $0.target }
        #expect(requested.sorted() == seen.sorted(), "requests archived vs served: missing \(Set(seen).subtracting(requested)), extra \(Set(requested).subtracting(seen))")
        #expect(requested.contains(base + "/robots.txt"))
        // A release page's archived body is the page as the mirror holds it.
        let view = Self.engView(3184190)
        let page = try Data(contentsOf: Self.mirror.appendingPathComponent(String(view.dropFirst())))
        let block = try #require(responses[base + view])
        #expect(block.suffix(page.count) == page && String(decoding: block.prefix(40), as: UTF8.self).hasPrefix("HTTP/1.1 200"))
    }

    /// HTTP → WARC → records: the harvest's own archive, read back by a `warc` source with the
    /// site gone, gives byte-identical records.
    @Test func aWARCSourceReplaysTheHarvestIntoIdenticalRecords() async throws {
        let server = try await SiteServer.start(content: MirrorContent(root: Self.mirror))
        server.control.setRobots("User-agent: *\nDisallow: /admin/\n")
        let dir = try Harness.temporaryDirectory()
        let live = try Self.config(in: dir, server: server, http: ["warc": true])
        let harvest = try await Self.run(live)
        #expect(harvest.status == 0, "\(harvest.stderr)")
        await server.stop()

        let archive = dir.appendingPathComponent("out/warc")
        let replayDir = try Harness.temporaryDirectory("replay")
        let replay = try Harness.fixtureConfig(in: replayDir) { config in
            var sources = config["sources"] as! [[String: Any]]
            for i in sources.indices {
                sources[i]["type"] = "warc"
                sources[i]["root"] = nil
                sources[i]["base_url"] = server.baseURL.absoluteString
                sources[i]["warc_files"] = [archive.path]
            }
            config["sources"] = sources
        }
        let replayed = try await Self.run(replay)
        #expect(replayed.status == 0, "\(replayed.stderr)")
        let a = dir.appendingPathComponent("out/records"), b = replayDir.appendingPathComponent("out/records")
        let names = try FileManager.default.contentsOfDirectory(atPath: a.path).sorted()
        let replayedNames = try FileManager.default.contentsOfDirectory(atPath: b.path).sorted()
        #expect(names.count == 15 && names == replayedNames, "records: \(names.count) harvested, \(replayedNames.count) replayed")
        for name in names {
            let x = try Data(contentsOf: a.appendingPathComponent(name)), y = try Data(contentsOf: b.appendingPathComponent(name))
            #expect(x == y, "records/\(name) differs between the HTTP harvest and its WARC replay")
        }
    }

    @Test func twentyKilledRunsThenOneCleanRunEqualAnUninterruptedRun() async throws {
        let server = try await SiteServer.start(content: MirrorContent(root: Self.mirror))
        defer { Task { await server.stop() } }
        // A 30 ms politeness delay between requests keeps every run busy for a while.
        let http: [String: Any] = ["delay_ms": 30, "concurrency_per_host": 1, "warc": true, "warc_max_file_mb": 1]
        let reference = try Harness.temporaryDirectory("reference")
        let referenceConfig = try Self.config(in: reference, server: server, http: http)
        #expect(try await Self.run(referenceConfig).status == 0)
        // The fewest requests a run makes: a second run, with nothing new (revalidations).
        server.control.resetRequests()
        #expect(try await Self.run(referenceConfig).status == 0)
        let fewest = server.control.requests.count

        let dir = try Harness.temporaryDirectory()
        let config = try Self.config(in: dir, server: server, http: http)
        let out = dir.appendingPathComponent("out")
        var killedWhileRunning = 0
        var attempts = 0
        // Each run is killed after a random number of its requests, fewer than any run makes,
        // so the kill lands mid-run however fast or loaded the machine is; a run that ended
        // before it anyway does not count: 20 kills must land mid-run.
        while killedWhileRunning < 20, attempts < 40 {
            attempts += 1
            server.control.resetRequests()
            let killAfter = Int.random(in: 1...max(1, fewest - 1))
            let process = try Harness.start(["run", config.path, "--quiet"], stdout: FileHandle.nullDevice, stderr: FileHandle.nullDevice)
            let control = server.control
            await Harness.waitUntil(seconds: 120) { !process.isRunning || control.requests.count >= killAfter }
            if process.isRunning { killedWhileRunning += 1 }
            kill(process.processIdentifier, SIGKILL)
            await Harness.waitDetached(process)
            _ = try InterruptedRunTests.checkOnlyWholeFiles(in: out)
            // Finished WARC files read to the end whenever the kill lands; the one being
            // written is left `.open` and repaired by the next run.
            for file in WARCFiles.finished(in: out.appendingPathComponent("warc")) {
                _ = try await Harness.detached { try WARCFiles.records(file) }
            }
        }
        let final = try await Self.run(config)
        #expect(final.status == 0, "\(final.stderr)")
        let warc = out.appendingPathComponent("warc")
        #expect(WARCFiles.open(in: warc).isEmpty, "left open: \(WARCFiles.open(in: warc))")
        for file in WARCFiles.finished(in: warc) {
            #expect(throws: Never.self, "\(file.lastPathComponent)") { _ = try WARCFiles.records(file) }
            if let problem = try await Harness.detached({ try WARCFiles.warcioProblem(file) }) { Issue.record("\(problem)") }
        }
        #expect(killedWhileRunning == 20, "only \(killedWhileRunning) kills in \(attempts) runs landed while the run was working")

        let names = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("records").path).sorted()
        let expected = try FileManager.default.contentsOfDirectory(atPath: reference.appendingPathComponent("out/records").path).sorted()
        #expect(names == expected, "record files differ from an uninterrupted run")
        for name in expected {
            let a = try Data(contentsOf: reference.appendingPathComponent("out/records/\(name)"))
            let b = try Data(contentsOf: out.appendingPathComponent("records/\(name)"))
            #expect(a == b, "records/\(name) differs from the uninterrupted run's")
        }
        // Every record was announced: the union of all published feeds creates each one.
        var announced = Set<String>()
        for feed in try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("changes").path) {
            let text = try String(contentsOf: out.appendingPathComponent("changes/\(feed)"), encoding: .utf8)
            for line in text.split(separator: "\n") {
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
                if object["op"] as? String == "created" { announced.insert(object["id"] as! String) }
            }
        }
        #expect(announced == Set(expected.map { String($0.dropLast(5)) }), "records never announced in a feed")
    }

    @Test func aDateSortedListingStopsAfterKKnownUnchangedReleases() async throws {
        let site = GeneratedContent(count: 100)
        let server = try await SiteServer.start(content: site)
        defer { Task { await server.stop() } }
        let dir = try Harness.temporaryDirectory()
        let config = try Self.generatedConfig(in: dir, server: server, http: ["delay_ms": 0], incremental: ["stop_after_known": 5])
        let out = dir.appendingPathComponent("out")
        #expect(try await Self.run(config).status == 0)
        #expect(Self.counts(try Harness.summary(in: out))["records"] == 100)

        site.count = 103
        server.control.resetRequests()
        #expect(try await Self.run(config).status == 0)
        let summary = try Harness.summary(in: out)
        let targets = server.control.requests.map(\.target).filter { $0 != "/robots.txt" }
        #expect(!targets.contains("/list?page=2"), "paging went on past a page of known releases: \(targets)")
        #expect(targets.filter { $0.hasPrefix("/view") }.count == 10, "only the first listing page's releases: \(targets)")
        let ops = try Self.feed(out, run: summary).map { "\($0["op"]!) \(($0["url"] as! String).split(separator: "=").last!)" }.sorted()
        #expect(ops == ["created 101", "created 102", "created 103"], "\(ops)")
    }

    @Test func sigtermStopsAHarvestWithoutFalseErrors() async throws {
        let site = GeneratedContent(count: 300)
        let server = try await SiteServer.start(content: site)
        defer { Task { await server.stop() } }
        server.control.setLogging(false)
        let dir = try Harness.temporaryDirectory()
        let config = try Self.generatedConfig(in: dir, server: server, http: ["delay_ms": 20, "concurrency_per_host": 2])
        let out = dir.appendingPathComponent("out")
        let process = try Harness.start(["run", config.path, "--quiet"], stdout: FileHandle.nullDevice, stderr: FileHandle.nullDevice)
        let records = out.appendingPathComponent("records")
        let deadline = Date().addingTimeInterval(30)
        while process.isRunning, Date() < deadline, ((try? FileManager.default.contentsOfDirectory(atPath: records.path).count) ?? 0) < 20 {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(process.isRunning, "the harvest ended before it could be stopped")
        kill(process.processIdentifier, SIGTERM)
        await Harness.waitDetached(process)
        #expect(process.terminationStatus == 128 + SIGTERM)
        let summary = try Harness.summary(in: out)
        #expect(summary["interrupted"] as? Bool == true)
        // Requests cut short by the stop are left for the next run, not reported as failures.
        #expect(Self.counts(summary)["errors"] == 0, "\(summary["errors"] ?? [])")
        let written = try InterruptedRunTests.checkOnlyWholeFiles(in: out)
        #expect(written > 0 && written < 300)
        #expect(try await Self.run(config).status == 0)
        #expect(try InterruptedRunTests.checkOnlyWholeFiles(in: out) == 300)
    }

    static func releasePage(_ n: Int, attachments: [String] = []) -> String {
        let links = attachments.map { "<li><a class=\"file_down\" href=\"\($0)\">Download</a></li>" }.joined()
        return """
            <html><head><meta charset="utf-8"><title>Release \(n) | MSIT</title></head><body>
            <div class="view_head"><h3 class="title">Satellite ground station \(n) opens for public research</h3>
            <dl class="info"><dt>등록일</dt><dd>2026-11-2\(n % 10)</dd><dt>담당부서</dt><dd>Space Policy Division</dd></dl></div>
            <div class="view_cont"><p>The ground station \(n) will give universities free time on three antennas from January.</p>
            <p>Applications open on the first working day of each quarter; station \(n) publishes its schedule weekly.</p></div>
            <div class="view_file"><ul>\(links)</ul></div></body></html>
            """
    }

    /// Record file names with their bytes and modification times.
    static func snapshot(_ out: URL) throws -> [String: String] {
        let dir = out.appendingPathComponent("records")
        var result: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
            let path = dir.appendingPathComponent(name).path
            let attrs = try FileManager.default.attributesOfItem(atPath: path)
            let mtime = (attrs[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            result[name] = "\(try Data(contentsOf: URL(fileURLWithPath: path)).hashValue)@\(mtime)"
        }
        return result
    }
}
