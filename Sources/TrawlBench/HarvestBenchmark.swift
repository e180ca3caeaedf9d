import Foundation
import TrawlSiteServer

/// Harvests a generated site of N releases served on 127.0.0.1 with the real `trawl` binary
/// (a child process, so its peak RSS is its own), with or without a PDF per release, then
/// re-runs it unchanged: pages per second,
/// the cost of the no-change re-run as a fraction of the first, and the request rate the site
/// saw per second against the configured politeness.
public struct HarvestBenchmark {
    public struct Result: CustomStringConvertible {
        public var releases: Int
        public var firstSeconds: Double
        public var firstRSSMiB: Double
        public var firstRequests: Int
        public var recheckSeconds: Double
        public var recheckRequests: Int
        public var recheckConditional: Int
        public var stopSeconds: Double
        public var stopRequests: Int
        public var records: Int
        public var attachments: Bool

        public var pagesPerSecond: Double { Double(firstRequests) / firstSeconds }

        public var description: String {
            String(format: "%7d releases%@: first run %.2f s, %d requests (%.0f pages/s), %d records, peak RSS %.1f MiB; "
                   + "no-change re-run %.2f s (%.1f%% of the first), %d requests, %d conditional; "
                   + "with stop_after_known=20: %.2f s (%.1f%%), %d requests",
                   releases, attachments ? " + 1 PDF each" : "", firstSeconds, firstRequests, pagesPerSecond, records, firstRSSMiB,
                   recheckSeconds, 100 * recheckSeconds / firstSeconds, recheckRequests, recheckConditional,
                   stopSeconds, 100 * stopSeconds / firstSeconds, stopRequests)
        }
    }

    public struct RateCheck: CustomStringConvertible {
        public var requests: Int
        public var seconds: Double
        public var delayMs: Int
        public var minGapMs: Double
        public var busiestSecond: Int

        public var description: String {
            String(format: "politeness: delay_ms=%d, concurrency_per_host=1: %d requests in %.2f s (%.1f/s, limit %.1f/s), "
                   + "smallest gap between request starts %.1f ms, busiest 1 s window %d requests",
                   delayMs, requests, seconds, Double(requests) / seconds, 1000.0 / Double(delayMs), minGapMs, busiestSecond)
        }
    }

    let binary: URL
    let work: URL

    public init(binary: URL, work: URL) {
        self.binary = binary
        self.work = work
    }

    public func run(releases: Int, concurrency: Int, attachments: Bool) async throws -> Result {
        let site = GeneratedContent(count: releases, attachments: attachments)
        let server = try await SiteServer.start(content: site)
        defer { Task { await server.stop() } }
        let dir = work.appendingPathComponent("harvest-\(releases)\(attachments ? "-pdf" : "")")
        try? FileManager.default.removeItem(at: dir)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let full = try config(in: dir, name: "full", server: server, http: ["delay_ms": 0, "concurrency_per_host": concurrency], incremental: [:])
        let stop = try config(in: dir, name: "stop", server: server, http: ["delay_ms": 0, "concurrency_per_host": concurrency],
                              incremental: ["stop_after_known": 20])

        let (first, rss) = try runTrawl(full)
        let firstRequests = server.control.requests.count
        server.control.resetRequests()
        let (recheck, _) = try runTrawl(full)
        let recheckRequests = server.control.requests
        server.control.resetRequests()
        let (stopped, _) = try runTrawl(stop)
        let stopRequests = server.control.requests.count
        let records = (try? FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("out/records").path).count) ?? 0
        return Result(releases: releases, firstSeconds: first, firstRSSMiB: rss, firstRequests: firstRequests,
                      recheckSeconds: recheck, recheckRequests: recheckRequests.count,
                      recheckConditional: recheckRequests.filter(\.conditional).count,
                      stopSeconds: stopped, stopRequests: stopRequests, records: records, attachments: attachments)
    }

    /// Crawls `releases` with a politeness delay and one request at a time per host, and
    /// reports what the server saw.
    public func rate(releases: Int, delayMs: Int) async throws -> RateCheck {
        let server = try await SiteServer.start(content: GeneratedContent(count: releases))
        defer { Task { await server.stop() } }
        let dir = work.appendingPathComponent("rate-\(releases)")
        try? FileManager.default.removeItem(at: dir)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = try config(in: dir, name: "rate", server: server, http: ["delay_ms": delayMs, "concurrency_per_host": 1], incremental: [:])
        _ = try runTrawl(file)
        let starts = server.control.requests.map(\.at).sorted()
        guard let first = starts.first, let last = starts.last else { return RateCheck(requests: 0, seconds: 0, delayMs: delayMs, minGapMs: 0, busiestSecond: 0) }
        let gaps = zip(starts, starts.dropFirst()).map { Self.ms($1 - $0) }
        var busiest = 0
        var lo = 0
        for hi in starts.indices {
            while starts[hi] - starts[lo] >= .seconds(1) { lo += 1 }
            busiest = max(busiest, hi - lo + 1)
        }
        return RateCheck(requests: starts.count, seconds: Self.ms(last - first) / 1000, delayMs: delayMs,
                         minGapMs: gaps.min() ?? 0, busiestSecond: busiest)
    }

    static func ms(_ d: Duration) -> Double {
        Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    }

    private func config(in dir: URL, name: String, server: SiteServer, http: [String: Any], incremental: [String: Any]) throws -> URL {
        let config: [String: Any] = [
            "output": dir.appendingPathComponent("out").path,
            "workers": ["pages": 4, "attachments": 2],
            "sources": [[
                "name": "generated", "type": "http", "base_url": server.baseURL.absoluteString, "seeds": ["/list?page=1"],
                "listing": ["releases": "//td[@class='subject']/a", "next": "//div[@class='paging']/a[@class='next']"],
                "release": ["title": "//h3[@class='title']", "published": "//dl[@class='info']/dd[1]", "body": "//div[@class='view_cont']",
                            "attachments": "//div[@class='view_file']//a"],
                "http": http, "incremental": incremental,
            ]],
        ]
        let file = dir.appendingPathComponent("\(name).json")
        try JSONSerialization.data(withJSONObject: config, options: [.prettyPrinted]).write(to: file)
        return file
    }

    /// Runs `trawl run` under /usr/bin/time; returns wall seconds and peak RSS in MiB.
    private func runTrawl(_ config: URL) throws -> (Double, Double) {
        let rssFile = work.appendingPathComponent("rss.txt")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/time")
        p.arguments = ["-f", "%M", "-o", rssFile.path, binary.path, "run", config.path, "--quiet"]
        p.standardOutput = FileHandle.nullDevice
        let clock = ContinuousClock()
        let start = clock.now
        try p.run()
        p.waitUntilExit()
        let seconds = Self.ms(clock.now - start) / 1000
        guard p.terminationStatus == 0 else {
            throw NSError(domain: "trawl.bench", code: Int(p.terminationStatus),
                          userInfo: [NSLocalizedDescriptionKey: "trawl run \(config.path) exited with \(p.terminationStatus)"])
        }
        let kib = Double((try? String(contentsOf: rssFile, encoding: .utf8))?.split(separator: "\n").last.map(String.init) ?? "0") ?? 0
        return (seconds, kib / 1024)
    }
}
