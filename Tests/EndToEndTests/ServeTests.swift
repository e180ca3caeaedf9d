import Foundation
import Testing

extension PublishingSuites {
    /// `trawl serve` in a real browser: headless Chromium (Debian's `chromium`) loads the search
    /// page, runs a Korean query, opens a record and the runs page; what it shows is checked in
    /// the DOM it rendered, and 1280×800 screenshots are attached to the test run (and left in a
    /// folder whose path the test prints).
    @Suite struct ServeTests {
        static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
            .first { FileManager.default.isExecutableFile(atPath: $0) }

        /// Starts `trawl serve` on a free port; its address from the line it prints.
        static func serve(_ config: URL) async throws -> (Process, URL) {
            let out = Pipe()
            let process = try Harness.start(["serve", config.path, "--port", "0", "--quiet"], stdout: out, stderr: FileHandle.nullDevice)
            // A server that never prints its address is stopped, which ends the read below.
            let watchdog = Harness.Watchdog(process: process, seconds: 120)
            defer { watchdog.cancel() }
            let line = try await Harness.detached { () -> String in
                var data = Data()
                while !data.contains(0x0A) {
                    let chunk = out.fileHandleForReading.availableData
                    if chunk.isEmpty { break }
                    data += chunk
                }
                return String(decoding: data, as: UTF8.self)
            }
            guard let range = line.range(of: #"http://127\.0\.0\.1:\d+/"#, options: .regularExpression) else {
                process.terminate()
                throw PostgresServer.Failure("trawl serve printed no address: \(line)")
            }
            return (process, URL(string: String(line[range]))!)
        }

        static func browser(_ arguments: [String], profile: URL) async throws -> Harness.Result {
            try await Harness.run(["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
                                           "--user-data-dir=\(profile.path)", "--window-size=1280,800"] + arguments,
                                          binary: URL(fileURLWithPath: chromium!), timeout: 120)
        }

        /// The DOM after Chromium loaded and rendered `url`.
        static func dom(_ url: URL, profile: URL) async throws -> String {
            let r = try await browser(["--dump-dom", url.absoluteString], profile: profile)
            #expect(r.status == 0, "chromium --dump-dom \(url) failed: \(r.stderr.suffix(1000))")
            return r.stdout
        }

        /// A 1280×800 screenshot of `url`, attached to the test and kept in `folder`.
        static func screenshot(_ url: URL, _ name: String, folder: URL, profile: URL) async throws {
            let file = folder.appendingPathComponent("\(name).png")
            let r = try await browser(["--screenshot=\(file.path)", url.absoluteString], profile: profile)
            #expect(r.status == 0, "chromium --screenshot \(url) failed: \(r.stderr.suffix(1000))")
            let png = try Data(contentsOf: file)
            // The PNG header's IHDR: width and height, big-endian, at bytes 16-23.
            #expect(png.count > 20_000 && png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "\(name).png is not a real screenshot (\(png.count) bytes)")
            let width = png[16..<20].reduce(0) { $0 << 8 | Int($1) }, height = png[20..<24].reduce(0) { $0 << 8 | Int($1) }
            #expect(width == 1280 && height == 800, "\(name).png is \(width)×\(height)")
            Attachment.record(png, named: "\(name).png")
        }

        @Test func aBrowserSearchesInKoreanOpensARecordAndSeesTheRuns() async throws {
            guard Self.chromium != nil else { print("SKIPPED aBrowserSearchesInKoreanOpensARecordAndSeesTheRuns: chromium is not installed"); return }
            let dir = try Harness.temporaryDirectory()
            let config = try Harness.fixtureConfig(in: dir)
            let run = try await Harness.run(["run", config.path, "--quiet"])
            #expect(run.status == 0, "run failed: \(run.stderr)")
            let (server, base) = try await Self.serve(config)
            defer { server.terminate() }
            let profile = dir.appendingPathComponent("chromium-profile")
            let shots = dir.appendingPathComponent("screenshots")
            try FileManager.default.createDirectory(at: shots, withIntermediateDirectories: true)

            // The search page: a form with the query box and the filters.
            let home = try await Self.dom(base, profile: profile)
            #expect(home.contains("<form class=\"search\"") && home.contains("name=\"q\"") && home.contains("name=\"source\"") && home.contains("name=\"since\""),
                    "search page: \(home.prefix(2000))")

            // A Korean query, as the form submits it.
            var query = URLComponents(url: base, resolvingAgainstBaseURL: false)!
            query.queryItems = [URLQueryItem(name: "q", value: "반도체"), URLQueryItem(name: "source", value: ""), URLQueryItem(name: "since", value: "")]
            let results = try await Self.dom(query.url!, profile: profile)
            #expect(results.contains("2 records match"), "results: \(results.prefix(3000))")
            #expect(results.contains("인공지능 반도체 산업 육성 전략 발표"))
            #expect(results.contains("<mark>반도체</mark>"), "no highlighted match")
            try await Self.screenshot(query.url!, "search-results", folder: shots, profile: profile)
            guard let link = results.range(of: #"/record/[0-9a-f]+"#, options: .regularExpression) else {
                Issue.record("no record link in the results"); return
            }

            // The record it links first.
            let recordURL = URL(string: String(results[link]), relativeTo: base)!.absoluteURL
            let record = try await Self.dom(recordURL, profile: profile)
            #expect(record.contains("<h1 id=\"title\">인공지능 반도체 산업 육성 전략 발표</h1>"), "record page: \(record.prefix(3000))")
            for part in ["Provenance", "Attachments (", "document.quality", "nttSeqNo=3185255", "duplicate_of"] {
                #expect(record.contains(part), "the record page lacks \(part)")
            }
            try await Self.screenshot(recordURL, "record", folder: shots, profile: profile)

            // The runs: the run, its errors by kind with URLs, the plot.
            let runsURL = base.appendingPathComponent("runs")
            let runs = try await Self.dom(runsURL, profile: profile)
            let summary = try Harness.summary(in: dir.appendingPathComponent("out"))
            #expect(runs.contains(summary["run_id"] as! String), "runs page: \(runs.prefix(3000))")
            #expect(runs.contains("<svg id=\"plot\"") && runs.contains("pdf/damaged") && runs.contains("attachment/missing"))
            #expect(runs.contains("atchFileId=FILE_000000000812005&amp;fileSn=1") && !runs.contains("&amp;amp;"), "error URLs are shown once escaped")
            try await Self.screenshot(runsURL, "runs", folder: shots, profile: profile)

            // A missing record and a hostile id are a 404 page, not a file read.
            let missing = try await Self.dom(URL(string: "record/..%2F..%2Fetc%2Fpasswd", relativeTo: base)!.absoluteURL, profile: profile)
            #expect(missing.contains("No record") && !missing.contains("root:"), "hostile id: \(missing.prefix(500))")
            print("screenshots of trawl serve: \(shots.path)")
        }
    }
}
