import Foundation
import Testing
import TrawlSiteServer

/// A cron harvest against a site that misbehaves between runs: whatever a bad night does, the
/// records it leaves are the good ones, and the next good run leaves records equal to a run
/// that never saw the bad night.
@Suite(.serialized) struct BadNightTests {
    typealias H = HTTPHarvestTests
    static let release = H.engView(3184064)
    static let attachment = "/bbs/download.do?atchFileId=FILE_000000000812001&fileSn=1"

    /// The Fixtures mirror served on 127.0.0.1, and a fresh folder for the harvest's output.
    static func mirrorSite() async throws -> (SiteServer, URL) {
        (try await SiteServer.start(content: MirrorContent(root: H.mirror)), try Harness.temporaryDirectory())
    }

    /// A site with no pages but those a test serves (`control.set(… .body)`), and a fresh folder.
    static func emptySite() async throws -> (SiteServer, URL) {
        (try await SiteServer.start(content: MirrorContent(root: Harness.fixtures.appendingPathComponent("nothing-here"))),
         try Harness.temporaryDirectory())
    }

    /// Generated release N's page: distinct words, a title and a date.
    static func page(_ n: Int) -> Data { GeneratedContent(count: 5).page("/view?id=\(n)")!.body }

    static func records(_ out: URL) throws -> [String: [String: Any]] {
        Dictionary(uniqueKeysWithValues: try Harness.records(in: out).map { ($0["id"] as! String, $0) })
    }

    static func recordFiles(_ out: URL) throws -> [String: Data] {
        let dir = out.appendingPathComponent("records")
        return Dictionary(uniqueKeysWithValues: try FileManager.default.contentsOfDirectory(atPath: dir.path).map {
            ($0, try Data(contentsOf: dir.appendingPathComponent($0)))
        })
    }

    static func errors(_ out: URL) throws -> [String] {
        (try Harness.summary(in: out)["errors"] as! [[String: Any]]).map { "\($0["stage"]!)/\($0["kind"]!) \($0["url"] as? String ?? "")" }
    }

    static func attachmentText(_ record: [String: Any]?, _ path: String) -> String? {
        (record?["attachments"] as? [[String: Any]])?.first { ($0["url"] as? String)?.hasSuffix(path.replacingOccurrences(of: "&amp;", with: "&")) == true }?["text"] as? String
    }

    static func record(_ out: URL, endingWith suffix: String) throws -> [String: Any]? {
        try Harness.records(in: out).first { ($0["url"] as? String)?.hasSuffix(suffix) == true }
    }

    /// Harvests the site as it is now into a fresh output: what a run that never saw the
    /// bad night leaves.
    static func reference(_ server: SiteServer, incremental: [String: Any] = ["delete_after_runs": 2, "delete_after_hours": 0]) async throws -> [String: Data] {
        let dir = try Harness.temporaryDirectory()
        let config = try H.config(in: dir, server: server, incremental: incremental)
        let r = try await H.run(config)
        #expect(r.status == 0, "\(r.stderr)")
        return try recordFiles(dir.appendingPathComponent("out"))
    }

    /// An edited release whose attachment answers 503 keeps the attachment's last good text; a
    /// new release whose attachment answers 503 is written with the error and retried on the
    /// next run (its page's validators are not stored), which then equals a clean harvest.
    @Test func aTransientAttachmentFailureIsNeverFrozenIntoTheRecord() async throws {
        let (server, dir) = try await Self.mirrorSite()
        defer { Task { await server.stop() } }
        let config = try H.config(in: dir, server: server, http: ["retries": 0])
        let out = dir.appendingPathComponent("out")
        #expect(try await H.run(config).status == 0)
        let before = try Self.record(out, endingWith: "3184064")
        let goodText = Self.attachmentText(before, Self.attachment)
        #expect(goodText?.isEmpty == false, "the release's attachment has text on a good night")

        // The bad night: the release is edited while its file server answers 503, and a new
        // release appears whose own attachment answers 503 too.
        let page = try String(contentsOf: H.mirror.appendingPathComponent(String(Self.release.dropFirst())), encoding: .utf8)
        server.control.set(Self.release, .body(Data(page.replacingOccurrences(of: "</p>", with: " (edited)</p>").utf8)))
        server.control.set(Self.attachment, .status(503))
        let listing = try String(contentsOf: H.mirror.appendingPathComponent(String(H.engList.dropFirst())), encoding: .utf8)
        server.control.set(H.engList, .body(Data(listing.replacingOccurrences(of: "<tbody>", with: "<tbody><tr><td class=\"subject\"><a href=\"\(H.engView(9_000_001))\">New</a></td></tr>").utf8)))
        server.control.set(H.engView(9_000_001), .body(Data(H.releasePage(9_000_001, attachments: ["/files/new.pdf"]).utf8)))
        server.control.set("/files/new.pdf", .status(503))
        #expect(try await H.run(config).status == 0)
        let edited = try Self.record(out, endingWith: "3184064")
        #expect((edited?["text"] as? String ?? "").contains("(edited)"), "the edit is written")
        #expect(Self.attachmentText(edited, Self.attachment) == goodText, "the attachment's last good text is kept, not replaced by the 503")
        let badErrors = try Self.errors(out)
        #expect(badErrors.contains { $0.hasPrefix("fetch/status_503") && $0.hasSuffix("fileSn=1") }, "the 503 is reported: \(badErrors)")
        let fresh = try Self.record(out, endingWith: "9000001")
        #expect(((fresh?["attachments"] as? [[String: Any]])?.first?["error"] as? [String: Any])?["kind"] as? String == "status_503")

        // The good night after: every fault gone, the new file served.
        server.control.clear(Self.attachment)
        server.control.set("/files/new.pdf", .body(MinimalPDF.make(lines: ["The annex of release 9000001 lists the three antennas."])), .contentType("application/pdf"))
        #expect(try await H.run(config).status == 0)
        let goodErrors = try Self.errors(out)
        #expect(goodErrors.isEmpty, "\(goodErrors)")
        #expect(Self.attachmentText(try Self.record(out, endingWith: "9000001"), "/files/new.pdf")?.isEmpty == false,
                "the failed attachment was asked for again and read")
        let reference = try await Self.reference(server)
        #expect(try Self.recordFiles(out) == reference, "records differ from a harvest that never saw the bad night")
    }

    /// 404, 503, 404 is not two 404s in a row: the record stays.
    @Test func goneRunsAreCountedConsecutively() async throws {
        let (server, dir) = try await Self.mirrorSite()
        defer { Task { await server.stop() } }
        let config = try H.config(in: dir, server: server, http: ["retries": 0])
        let out = dir.appendingPathComponent("out")
        #expect(try await H.run(config).status == 0)
        for status in [404, 503, 404] {
            server.control.set(Self.release, .status(status))
            #expect(try await H.run(config).status == 0)
        }
        #expect(try Self.record(out, endingWith: "3184064") != nil, "deleted after 404, 503, 404")
        #expect(H.counts(try Harness.summary(in: out))["gone_pending"] == 1)
        #expect(try await H.run(config).status == 0)
        #expect(try Self.record(out, endingWith: "3184064") == nil, "two 404s in a row delete the record")
    }

    /// Deletion waits for time as well as runs: two 404 runs inside `delete_after_hours` (24 by
    /// default) delete nothing; a 404 on a run a day later does. The run's clock is moved
    /// forward by the test hook, not waited for.
    @Test func deletionWaitsForTimeAsWellAsRuns() async throws {
        let (server, dir) = try await Self.mirrorSite()
        defer { Task { await server.stop() } }
        let config = try H.config(in: dir, server: server, http: ["retries": 0], incremental: ["delete_after_runs": 2])
        let out = dir.appendingPathComponent("out")
        #expect(try await H.run(config).status == 0)
        server.control.set(Self.release, .status(404))
        for _ in 0..<2 { #expect(try await H.run(config).status == 0) }
        #expect(try Self.record(out, endingWith: "3184064") != nil, "deleted by two 404s a moment apart")
        let later = try await Harness.run(["run", config.path, "-q"], environment: ["TRAWL_TEST_CLOCK_HOURS": "25"])
        #expect(later.status == 0, "\(later.stderr)")
        #expect(try Self.record(out, endingWith: "3184064") == nil, "not deleted once a day had passed")
    }

    /// A release behind a login wall (302 to /login answering 200) and one answering a "not
    /// found" page with 200 are errors of the run; their records stay as they were, and are not
    /// made duplicates of each other.
    @Test func loginWallsAndSoft404sNeverOverwriteRecords() async throws {
        let (server, dir) = try await Self.mirrorSite()
        defer { Task { await server.stop() } }
        let config = try H.config(in: dir, server: server, http: ["retries": 0])
        let out = dir.appendingPathComponent("out")
        #expect(try await H.run(config).status == 0)
        let before = try Self.recordFiles(out)

        let walled = [H.engView(3184064), H.engView(3184101)]
        let login = "/member/login.do?returnUrl=%2Feng"
        for target in walled { server.control.set(target, .redirect(to: login)) }
        server.control.set(login, .body(Data("<html><head><title>Sign in</title></head><body><h1>Sign in</h1><form><input name=id><input type=\"password\" name=pw></form></body></html>".utf8)))
        server.control.set(H.engView(3184155), .body(Data("<html><head><title>Page not found</title></head><body><h1>Page not found</h1><p>The page you asked for does not exist.</p></body></html>".utf8)))
        server.control.set(H.engView(3184190), .redirect(to: "/"))
        server.control.set("/", .body(Data("<html><head><title>Ministry</title></head><body><h1>Welcome</h1></body></html>".utf8)))
        #expect(try await H.run(config).status == 0)
        let s2 = try Harness.summary(in: out)
        let feed2 = try H.feed(out, run: s2)
        #expect(feed2.isEmpty, "the bad night announced changes: \(feed2)")
        #expect(try Self.recordFiles(out) == before, "a record was overwritten by a login wall or an error page")
        let errors = try Self.errors(out)
        for n in ["3184064", "3184101", "3184190"] {
            #expect(errors.contains { $0.hasPrefix("fetch/redirected_away") && $0.hasSuffix(n) }, "\(n): \(errors)")
        }
        #expect(errors.contains { $0.hasPrefix("fetch/error_page") && $0.hasSuffix("3184155") }, "\(errors)")
        #expect((s2["duplicates"] as? [[String: Any]] ?? []).isEmpty, "sign-in pages became duplicates of each other")

        server.control.clearAll()
        #expect(try await H.run(config).status == 0)
        #expect(try H.feed(out, run: try Harness.summary(in: out)).isEmpty)
        let reference = try await Self.reference(server)
        #expect(try Self.recordFiles(out) == reference, "records differ from a harvest that never saw the bad night")
    }

    /// A small board served from memory: `/board/list?page=N` (3 releases a page, newest first)
    /// linking `/board/view?sid=N&pageIndex=P`, the listing's page carried on each link.
    static func board(_ server: SiteServer, releases: [Int]) {
        let pages = stride(from: 0, to: releases.count, by: 3).map { Array(releases[$0..<min($0 + 3, releases.count)]) }
        for (p, ids) in pages.enumerated() {
            let rows = ids.map { "<li><a class=\"r\" href=\"/board/view?sid=\($0)&amp;pageIndex=\(p + 1)\">Release \($0)</a></li>" }.joined()
            let next = p + 1 < pages.count ? "<a class=\"next\" href=\"/board/list?page=\(p + 2)\">next</a>" : ""
            server.control.set("/board/list?page=\(p + 1)", .body(Data("<html><body><ul>\(rows)</ul>\(next)</body></html>".utf8)))
            for id in ids {
                let page = "<html><head><title>Release \(id)</title></head><body><h1>Budget notice number \(id)</h1><div class=\"c\"><p>Notice \(id) sets out the ministry's budget for programme \(id * 37), with dates and contacts for each of its \(id + 3) parts.</p></div></body></html>"
                for pageIndex in 1...3 { server.control.set("/board/view?sid=\(id)&pageIndex=\(pageIndex)", .body(Data(page.utf8))) }
            }
        }
    }

    static func boardConfig(in dir: URL, server: SiteServer, urlParameters: [String: Any]?) throws -> URL {
        try Harness.fixtureConfig(in: dir) { config in
            var source: [String: Any] = [
                "name": "board", "type": "http", "base_url": server.baseURL.absoluteString, "seeds": ["/board/list?page=1"],
                "listing": ["releases": "//a[@class='r']", "next": "//a[@class='next']"],
                "release": ["title": "//h1", "body": "//div[@class='c']"],
                "http": ["delay_ms": 0, "retries": 0, "user_agent": "TrawlTest/1.0"],
            ]
            if let urlParameters { source["url_parameters"] = urlParameters }
            config["sources"] = [source]
        }
    }

    /// Releases keyed by `?sid=N` stay apart by default (sid is no tracking parameter), and a
    /// listing-context parameter the source drops does not multiply records as the listing
    /// shifts.
    @Test func urlParametersNeitherMergeNorMultiplyReleases() async throws {
        let (server, dir) = try await Self.emptySite()
        defer { Task { await server.stop() } }
        Self.board(server, releases: [6, 5, 4, 3, 2, 1])
        let out = dir.appendingPathComponent("out")
        let config = try Self.boardConfig(in: dir, server: server, urlParameters: ["drop": ["pageIndex"]])
        #expect(try await H.run(config).status == 0)
        #expect(try Harness.records(in: out).count == 6, "six releases keyed by sid")
        // A new release on top moves every other one down a place: release 4 now carries
        // pageIndex=2 on its link.
        Self.board(server, releases: [7, 6, 5, 4, 3, 2, 1])
        #expect(try await H.run(config).status == 0)
        let urls = try Harness.records(in: out).map { $0["url"] as! String }
        #expect(urls.count == 7, "the shifted listing multiplied records: \(urls.sorted())")

        // Without the setting, sid still keys releases; pageIndex then keeps copies apart,
        // which is why a source names it.
        let plain = try Harness.temporaryDirectory()
        let plainConfig = try Self.boardConfig(in: plain, server: server, urlParameters: nil)
        #expect(try await H.run(plainConfig).status == 0)
        #expect(try Harness.records(in: plain.appendingPathComponent("out")).count == 7, "sid merged releases")
    }

    /// One http source over a `GeneratedContent` site, with listing settings of its own.
    static func generated(in dir: URL, server: SiteServer, listing: [String: Any] = [:], incremental: [String: Any],
                          output: URL? = nil) throws -> URL {
        try Harness.fixtureConfig(in: dir) { config in
            if let output { config["output"] = output.path }
            var list: [String: Any] = ["releases": "//td[@class='subject']/a", "next": "//div[@class='paging']/a[@class='next']"]
            list.merge(listing) { $1 }
            config["sources"] = [[
                "name": "generated", "type": "http", "base_url": server.baseURL.absoluteString, "seeds": ["/list?page=1"],
                "listing": list, "release": ["title": "//h3[@class='title']", "body": "//div[@class='view_cont']"],
                "http": ["delay_ms": 0, "retries": 0, "user_agent": "TrawlTest/1.0"], "incremental": incremental,
            ]]
        }
    }

    static func emptyListing() -> Data { Data("<html><body><table><tbody></tbody></table></body></html>".utf8) }

    /// An outage (an empty listing, every release 404) on two runs deletes nothing: more than
    /// half an archive vanishing at once is reported, not applied. The next good run changes
    /// nothing.
    @Test func anOutageNeverWipesTheArchive() async throws {
        let site = GeneratedContent(count: 30)
        let server = try await SiteServer.start(content: site)
        defer { Task { await server.stop() } }
        let dir = try Harness.temporaryDirectory()
        let out = dir.appendingPathComponent("out")
        let config = try Self.generated(in: dir, server: server, incremental: ["delete_after_runs": 2, "delete_after_hours": 0])
        #expect(try await H.run(config).status == 0)
        let before = try Self.recordFiles(out)
        #expect(before.count == 30)
        for _ in 0..<2 {
            server.control.set("/list?page=1", .body(Self.emptyListing()))
            for id in 1...30 { server.control.set("/view?id=\(id)", .status(404)) }
            #expect(try await H.run(config).status == 0)
            #expect(try H.feed(out, run: try Harness.summary(in: out)).isEmpty, "the outage announced changes")
        }
        #expect(try Self.recordFiles(out) == before, "records were deleted by an outage")
        let outageErrors = try Self.errors(out)
        #expect(outageErrors.contains { $0.hasPrefix("source/mass_disappearance") }, "\(outageErrors)")
        server.control.clearAll()
        #expect(try await H.run(config).status == 0)
        #expect(try Self.recordFiles(out) == before)
        #expect(try H.feed(out, run: try Harness.summary(in: out)).isEmpty)
    }

    /// With the valve open, an outage deletes; when the site is back, every deleted release
    /// returns, those beyond `max_pages` too (deleted releases are asked for again).
    @Test func releasesABadNightDeletedComeBackBeyondMaxPages() async throws {
        let site = GeneratedContent(count: 30)
        let server = try await SiteServer.start(content: site)
        defer { Task { await server.stop() } }
        let dir = try Harness.temporaryDirectory()
        let out = dir.appendingPathComponent("out")
        // The archive was first harvested whole; the cron run reads one listing page.
        let wideDir = dir.appendingPathComponent("wide")
        try FileManager.default.createDirectory(at: wideDir, withIntermediateDirectories: true)
        let wide = try Self.generated(in: wideDir, server: server, incremental: ["delete_after_runs": 2, "delete_after_hours": 0, "max_deleted_fraction": 1], output: out)
        #expect(try await H.run(wide).status == 0)
        let config = try Self.generated(in: dir, server: server, listing: ["max_pages": 1],
                                        incremental: ["delete_after_runs": 2, "delete_after_hours": 0, "max_deleted_fraction": 1])
        #expect(try Harness.records(in: out).count == 30)
        for _ in 0..<2 {
            server.control.set("/list?page=1", .body(Self.emptyListing()))
            for id in 1...30 { server.control.set("/view?id=\(id)", .status(404)) }
            #expect(try await H.run(config).status == 0)
        }
        #expect(try Harness.records(in: out).isEmpty, "the valve was open: the outage deleted the archive")
        server.control.clearAll()
        #expect(try await H.run(config).status == 0)
        #expect(try Harness.records(in: out).count == 30, "releases beyond max_pages did not come back")
    }

    /// A first harvest cut short by a listing page that answered 500 is completed by the next
    /// runs even with `stop_after_known`; only then does paging stop at known releases.
    @Test func stopAfterKnownCompletesAFirstHarvestCutShort() async throws {
        let site = GeneratedContent(count: 30)
        let server = try await SiteServer.start(content: site)
        defer { Task { await server.stop() } }
        let dir = try Harness.temporaryDirectory()
        let out = dir.appendingPathComponent("out")
        let config = try Self.generated(in: dir, server: server, incremental: ["stop_after_known": 5])
        server.control.set("/list?page=2", .status(500))
        #expect(try await H.run(config).status == 0)
        #expect(try Harness.records(in: out).count == 10)
        server.control.clearAll()
        #expect(try await H.run(config).status == 0)
        #expect(try Harness.records(in: out).count == 30, "the cut-short first harvest was never completed")
        site.count = 33
        server.control.resetRequests()
        #expect(try await H.run(config).status == 0)
        #expect(try Harness.records(in: out).count == 33)
        let targets = server.control.requests.map(\.target)
        #expect(!targets.contains("/list?page=2"), "paging went on past known releases after a finished harvest: \(targets)")
    }

    /// `stop_after_known` reads every listing page again every `full_pass_after_runs` runs: an
    /// older release's correction and its deletion are seen.
    @Test func stopAfterKnownMakesAFullPassOnSchedule() async throws {
        let site = GeneratedContent(count: 30)
        let server = try await SiteServer.start(content: site)
        defer { Task { await server.stop() } }
        let dir = try Harness.temporaryDirectory()
        let out = dir.appendingPathComponent("out")
        let config = try Self.generated(in: dir, server: server, incremental: ["stop_after_known": 5, "full_pass_after_runs": 3,
                                                                             "delete_after_runs": 2, "delete_after_hours": 0])
        #expect(try await H.run(config).status == 0)
        let old = site.page("/view?id=5")!.body
        server.control.set("/view?id=5", .body(Data(String(decoding: old, as: UTF8.self).replacingOccurrences(of: "</h3>", with: " (corrected)</h3>").utf8)))
        server.control.set("/view?id=3", .status(404))
        for _ in 0..<2 { #expect(try await H.run(config).status == 0) }
        #expect(!((try Self.record(out, endingWith: "id=5"))?["title"] as? String ?? "").contains("corrected"), "runs between full passes stop early")
        #expect(try await H.run(config).status == 0)
        #expect(((try Self.record(out, endingWith: "id=5"))?["title"] as? String ?? "").contains("corrected"), "the full pass missed the correction")
        #expect(try await H.run(config).status == 0)
        #expect(try Self.record(out, endingWith: "id=3") == nil, "the release the full pass found gone was not deleted")
    }

    /// A server that sends the same ETag for changed content gets conditional requests only
    /// until the validators' age runs out; then the page, and an attachment replaced at the
    /// same URL, are read again.
    @Test func staleValidatorsExpire() async throws {
        let (server, dir) = try await Self.mirrorSite()
        defer { Task { await server.stop() } }
        let out = dir.appendingPathComponent("out")
        let config = try H.config(in: dir, server: server, incremental: ["max_age_hours": 48])
        server.control.set(Self.release, .fixedETag("same"))
        server.control.set(Self.attachment, .fixedETag("same-file"))
        server.control.set(H.engList, .fixedETag("same-listing"))
        #expect(try await H.run(config).status == 0)
        // The listing gains a release behind the same ETag.
        let listing = try String(contentsOf: H.mirror.appendingPathComponent(String(H.engList.dropFirst())), encoding: .utf8)
        server.control.set(H.engList, .fixedETag("same-listing"), .body(Data(listing.replacingOccurrences(of: "<tbody>", with: "<tbody><tr><td class=\"subject\"><a href=\"\(H.engView(9_000_001))\">New</a></td></tr>").utf8)))
        server.control.set(H.engView(9_000_001), .body(Data(H.releasePage(9_000_001).utf8)))
        let page = try String(contentsOf: H.mirror.appendingPathComponent(String(Self.release.dropFirst())), encoding: .utf8)
        server.control.set(Self.release, .fixedETag("same"), .body(Data(page.replacingOccurrences(of: "</p>", with: " (revised)</p>").utf8)))
        let pdf = MinimalPDF.make(lines: ["The replaced annex names the new satellite operator."])
        server.control.set(Self.attachment, .fixedETag("same-file"), .body(pdf), .contentType("application/pdf"))
        #expect(try await H.run(config).status == 0)
        #expect(!((try Self.record(out, endingWith: "3184064"))?["text"] as? String ?? "").contains("(revised)"),
                "within max_age_hours the validators are trusted (the premise of this test)")
        // Two days later by the run's clock (moved by the test hook, not waited for).
        let later = try await Harness.run(["run", config.path, "-q"], environment: ["TRAWL_TEST_CLOCK_HOURS": "49"])
        #expect(later.status == 0, "\(later.stderr)")
        let record = try Self.record(out, endingWith: "3184064")
        #expect((record?["text"] as? String ?? "").contains("(revised)"), "the page behind a stale ETag was never read again")
        #expect((Self.attachmentText(record, Self.attachment) ?? "").contains("satellite operator"), "the replaced attachment was never read again")
        #expect(try Self.record(out, endingWith: "9000001") != nil, "the release behind a listing's stale ETag was never discovered")
    }

    /// A release page whose title rule no longer matches (a redesign, a page that is not the
    /// release) is an error and the record stays; a source that asks for the page's own title
    /// takes it instead.
    @Test func aTitleRuleThatMatchesNothingIsAnErrorUnlessAFallbackIsAsked() async throws {
        let (server, dir) = try await Self.mirrorSite()
        defer { Task { await server.stop() } }
        let out = dir.appendingPathComponent("out")
        let config = try H.config(in: dir, server: server)
        #expect(try await H.run(config).status == 0)
        let before = try Self.recordFiles(out)
        let page = try String(contentsOf: H.mirror.appendingPathComponent(String(Self.release.dropFirst())), encoding: .utf8)
        let redesigned = page.replacingOccurrences(of: "<h3 class=\"title\">", with: "<h2 class=\"headline\">").replacingOccurrences(of: "</h3>", with: "</h2>")
        #expect(redesigned != page)
        server.control.set(Self.release, .body(Data(redesigned.utf8)))
        #expect(try await H.run(config).status == 0)
        #expect(try Self.recordFiles(out) == before, "a record was rewritten with a fallback title")
        let errors = try Self.errors(out)
        #expect(errors.contains { $0.hasPrefix("page/rule_no_match") && $0.hasSuffix("3184064") }, "\(errors)")
        let fallback = try Harness.fixtureConfig(in: dir) { c in
            let base = try! JSONSerialization.jsonObject(with: Data(contentsOf: config)) as! [String: Any]
            var sources = base["sources"] as! [[String: Any]]
            for i in sources.indices {
                var release = sources[i]["release"] as! [String: Any]
                release["title_fallback"] = true
                sources[i]["release"] = release
            }
            c["sources"] = sources
        }
        #expect(try await H.run(fallback).status == 0)
        let provenance = try Self.record(out, endingWith: "3184064")?["provenance"] as? [String: Any]
        #expect((provenance?["title"] as? String).map { !$0.hasPrefix("xpath:") } == true, "with title_fallback the page's own title is taken: \(provenance ?? [:])")
    }

    /// A board served from memory: `/b/list` links `/b/v?id=N` for each entry, and each page is
    /// a generated release's (distinct words, a title and a date), possibly another's copy.
    static func serveBoard(_ server: SiteServer, _ entries: [(id: Int, page: Data)]) {
        let rows = entries.map { "<li><a class=\"r\" href=\"/b/v?id=\($0.id)\">\($0.id)</a></li>" }.joined()
        server.control.set("/b/list", .body(Data("<html><body><ul>\(rows)</ul></body></html>".utf8)))
        for e in entries { server.control.set("/b/v?id=\(e.id)", .body(e.page)) }
    }

    static func boardSource(in dir: URL, server: SiteServer, duplicates: String) throws -> URL {
        try Harness.fixtureConfig(in: dir) { config in
            config["duplicates"] = duplicates
            config["sources"] = [[
                "name": "b", "type": "http", "base_url": server.baseURL.absoluteString, "seeds": ["/b/list"],
                "listing": ["releases": "//a[@class='r']"],
                "release": ["title": "//h3[@class='title']", "published": "//dl[@class='info']/dd", "body": "//div[@class='view_cont']"],
                "http": ["delay_ms": 0, "retries": 0, "user_agent": "TrawlTest/1.0"], "incremental": ["delete_after_runs": 2, "delete_after_hours": 0],
            ]]
        }
    }

    static func referenceBoard(_ server: SiteServer, duplicates: String) async throws -> [String: Data] {
        let dir = try Harness.temporaryDirectory()
        #expect(try await H.run(try boardSource(in: dir, server: server, duplicates: duplicates)).status == 0)
        return try recordFiles(dir.appendingPathComponent("out"))
    }

    /// A release moves to a new URL and its old URL answers 404: once the old record is
    /// deleted, the copy at the new URL is the original (never `duplicate_of` a deleted
    /// record), and under `skip` it is written then; the output equals a fresh harvest.
    @Test(arguments: ["mark", "skip"]) func aMovedReleaseIsReDecidedWhenItsOldRecordGoes(policy: String) async throws {
        let (server, dir) = try await Self.emptySite()
        defer { Task { await server.stop() } }
        let out = dir.appendingPathComponent("out")
        let config = try Self.boardSource(in: dir, server: server, duplicates: policy)
        Self.serveBoard(server, [(1, Self.page(1)), (2, Self.page(2)), (3, Self.page(3))])
        #expect(try await H.run(config).status == 0)
        #expect(try Harness.records(in: out).count == 3)

        // Release 2 moves to id=20; its old URL answers 404.
        Self.serveBoard(server, [(1, Self.page(1)), (20, Self.page(2)), (3, Self.page(3))])
        server.control.set("/b/v?id=2", .status(404))
        for _ in 0..<3 { #expect(try await H.run(config).status == 0) }
        let ids = Set(try Harness.records(in: out).map { $0["id"] as! String })
        for record in try Harness.records(in: out) {
            if let original = record["duplicate_of"] as? String {
                #expect(ids.contains(original), "\(record["url"]!) points at a deleted record")
            }
        }
        let reference = try await Self.referenceBoard(server, duplicates: policy)
        #expect(try Self.recordFiles(out) == reference, "records differ from a fresh harvest of the site as it is")
        server.control.resetRequests()
        #expect(try await H.run(config).status == 0)
        // Only the deleted release is asked for without validators (it may come back).
        let unconditional = server.control.requests.filter { !$0.conditional && $0.target.hasPrefix("/b/v") && $0.target != "/b/v?id=2" }.map(\.target)
        #expect(unconditional.isEmpty, "releases fetched unconditionally on a no-change run: \(unconditional)")
    }

    /// An original rewritten into something else no longer has the copy of its old text as a
    /// duplicate: the copy becomes an original of its own (under `skip`, written next run).
    @Test(arguments: ["mark", "skip"]) func duplicatesAreReDecidedWhenTheirOriginalChanges(policy: String) async throws {
        let (server, dir) = try await Self.emptySite()
        defer { Task { await server.stop() } }
        let out = dir.appendingPathComponent("out")
        let config = try Self.boardSource(in: dir, server: server, duplicates: policy)
        Self.serveBoard(server, [(1, Self.page(1)), (20, Self.page(1)), (3, Self.page(3))])
        #expect(try await H.run(config).status == 0)
        // Release 1's page now carries release 4's text (its title and date stay).
        let rewritten = String(decoding: Self.page(1), as: UTF8.self).replacingOccurrences(of: #"<div class="view_cont">.*</div>"#, with:
            String(String(decoding: Self.page(4), as: UTF8.self).firstMatch(of: #/<div class="view_cont">.*?</div>/#)!.0), options: .regularExpression)
        Self.serveBoard(server, [(1, Data(rewritten.utf8)), (20, Self.page(1)), (3, Self.page(3))])
        for _ in 0..<2 { #expect(try await H.run(config).status == 0) }
        let reference = try await Self.referenceBoard(server, duplicates: policy)
        #expect(try Self.recordFiles(out) == reference, "records differ from a fresh harvest once the original changed")
        #expect(try Self.record(out, endingWith: "id=20")?["duplicate_of"] is NSNull)
    }

    /// A run killed after the ledger made an earlier-published copy the original, and before
    /// the group's records were rewritten, is finished by the next run: the records equal a
    /// fresh harvest.
    @Test func aKillDuringADuplicateRewriteIsFinishedByTheNextRun() async throws {
        let (server, dir) = try await Self.emptySite()
        defer { Task { await server.stop() } }
        let out = dir.appendingPathComponent("out")
        let config = try Self.boardSource(in: dir, server: server, duplicates: "mark")
        Self.serveBoard(server, [(1, Self.page(1)), (2, Self.page(2))])
        #expect(try await H.run(config).status == 0)
        // A copy of release 1 dated a year earlier appears: it becomes the original, and
        // release 1's record must become its duplicate.
        let earlier = Data(String(decoding: Self.page(1), as: UTF8.self).replacingOccurrences(of: "<dd>2026-", with: "<dd>2025-").utf8)
        Self.serveBoard(server, [(30, earlier), (1, Self.page(1)), (2, Self.page(2))])
        let killed = try await Harness.run(["run", config.path, "-q"], environment: ["TRAWL_TEST_KILL": "after-supersede-ledger"])
        #expect(killed.status != 0, "the hook did not fire")
        #expect(try await H.run(config).status == 0)
        let reference = try await Self.referenceBoard(server, duplicates: "mark")
        #expect(try Self.recordFiles(out) == reference, "records differ from a fresh harvest after a kill during the rewrite")
        let one = try Self.record(out, endingWith: "id=1")
        #expect(one?["duplicate_of"] as? String != nil, "release 1 still claims to be the original")
    }

    static func allFeeds(_ out: URL) throws -> [String] {
        let dir = out.appendingPathComponent("changes")
        return try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted().flatMap { name in
            try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8).split(separator: "\n").map { line in
                let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
                return "\(o["op"]!) \(o["id"]!)"
            }
        }
    }

    /// One bad night with everything at once (a listing's outage, a login wall, 5xx bursts, a
    /// slow page, a failing attachment) while the site also publishes and edits: the next
    /// good run leaves records equal to a harvest that never saw the bad night, and the feeds
    /// announce the same changes.
    @Test func aBadNightThenAGoodOneEqualsOnlyGoodNights() async throws {
        let server = try await SiteServer.start(content: MirrorContent(root: H.mirror))
        defer { Task { await server.stop() } }
        let badDir = try Harness.temporaryDirectory(), goodDir = try Harness.temporaryDirectory()
        let http: [String: Any] = ["retries": 1, "read_timeout_ms": 1000, "total_timeout_ms": 3000, "backoff_ms": 20]
        let bad = try H.config(in: badDir, server: server, http: http), good = try H.config(in: goodDir, server: server, http: http)
        let badOut = badDir.appendingPathComponent("out"), goodOut = goodDir.appendingPathComponent("out")
        #expect(try await H.run(bad).status == 0)
        #expect(try await H.run(good).status == 0)

        // The site publishes a release and edits another; the good harvest sees it calmly.
        let listing = try String(contentsOf: H.mirror.appendingPathComponent(String(H.engList.dropFirst())), encoding: .utf8)
        server.control.set(H.engList, .body(Data(listing.replacingOccurrences(of: "<tbody>", with: "<tbody><tr><td class=\"subject\"><a href=\"\(H.engView(9_000_001))\">New</a></td></tr>").utf8)))
        server.control.set(H.engView(9_000_001), .body(Data(H.releasePage(9_000_001).utf8)))
        let edited = H.engView(3184233)
        let page = try String(contentsOf: H.mirror.appendingPathComponent(String(edited.dropFirst())), encoding: .utf8)
        server.control.set(edited, .body(Data(page.replacingOccurrences(of: "</p>", with: " (updated)</p>").utf8)))
        #expect(try await H.run(good).status == 0)

        // The bad harvest's night: everything fails at once.
        let kor = "/kor/bbs/list.do?sCode=user&mId=113&mPid=112"
        server.control.set(kor, .status(500))
        server.control.set(Self.release, .redirect(to: "/member/login.do?returnUrl=%2F"))
        server.control.set("/member/login.do?returnUrl=%2F", .body(Data("<html><head><title>Sign in</title></head><body><form><input type=password></form></body></html>".utf8)))
        server.control.set(H.engView(3184101), .status(503))
        server.control.set(H.engView(3184155), .slow(milliseconds: 4000))
        server.control.set("/bbs/download.do?atchFileId=FILE_000000000812002&fileSn=1", .status(502))
        server.control.set(edited, .status(503, times: 2))
        #expect(try await H.run(bad).status == 0)
        #expect(!(try Self.errors(badOut)).isEmpty, "the bad night reported nothing")

        // The next night is good for both.
        server.control.clearAll()
        server.control.set(H.engList, .body(Data(listing.replacingOccurrences(of: "<tbody>", with: "<tbody><tr><td class=\"subject\"><a href=\"\(H.engView(9_000_001))\">New</a></td></tr>").utf8)))
        server.control.set(H.engView(9_000_001), .body(Data(H.releasePage(9_000_001).utf8)))
        server.control.set(edited, .body(Data(page.replacingOccurrences(of: "</p>", with: " (updated)</p>").utf8)))
        #expect(try await H.run(bad).status == 0)
        #expect(try await H.run(good).status == 0)
        let badErrors = try Self.errors(badOut)
        #expect(badErrors.isEmpty, "the good night after still reports: \(badErrors)")
        #expect(try Self.recordFiles(badOut) == (try Self.recordFiles(goodOut)), "records differ from a harvest that never saw the bad night")
        #expect(try Self.allFeeds(badOut).sorted() == (try Self.allFeeds(goodOut)).sorted(), "the feeds announce different changes")
    }
}
