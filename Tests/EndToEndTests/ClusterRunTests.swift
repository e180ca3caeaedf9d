import Foundation
import Testing
import TrawlSiteServer

/// Several real `trawl run --coordinator` processes sharing one harvest through a PostgreSQL
/// started by the test: the result equals an embedded run byte for byte, whatever happens to
/// the processes (killed workers, a killed writer, a paused one), politeness holds for the
/// whole cluster, and a cron re-run of an unchanged site changes nothing.
@Suite(.serialized) struct ClusterRunTests {
    /// A test's server, database and processes.
    final class Cluster: @unchecked Sendable {
        let server: PostgresServer
        let url: String
        let dir: URL
        var processes: [Process] = []
        var logs: [URL] = []

        init(_ name: String = #function) throws {
            server = try PostgresServer()
            url = try server.createDatabase()
            dir = try Harness.temporaryDirectory(name)
        }

        /// Starts `count` processes on `config`, each logging to its own file.
        func start(_ count: Int, config: URL, lease: Double = 2) throws {
            for _ in 0..<count {
                let log = dir.appendingPathComponent("process-\(logs.count).log")
                _ = FileManager.default.createFile(atPath: log.path, contents: nil)
                let handle = try FileHandle(forWritingTo: log)
                processes.append(try Harness.start(["run", config.path, "--coordinator", url, "--lease", "\(lease)"],
                                                   stdout: handle, stderr: handle))
                logs.append(log)
            }
        }

        func waitAll(timeout: Duration = .seconds(180)) async throws {
            let deadline = ContinuousClock.now + timeout
            while processes.contains(where: \.isRunning) {
                guard ContinuousClock.now < deadline else {
                    // Where a hung process is stuck goes into its log (gdb, where installed).
                    for (i, p) in processes.enumerated() where p.isRunning {
                        if FileManager.default.isExecutableFile(atPath: "/usr/bin/gdb") {
                            let trace = try? await Harness.run(["-c", "/usr/bin/gdb -p \(p.processIdentifier) -batch -ex 'thread apply all bt 15' >> \(logs[i].path) 2>&1"],
                                                               binary: URL(fileURLWithPath: "/bin/sh"))
                            _ = trace
                        }
                        kill(p.processIdentifier, SIGKILL)
                        Issue.record("process \(i) (pid \(p.processIdentifier)) hung:\n\(log(i).suffix(6000))")
                    }
                    throw PostgresServer.Failure("the cluster did not finish in \(timeout)")
                }
                try await Task.sleep(for: .milliseconds(50))
            }
        }

        func sql(_ query: String) throws -> String { try server.psql(url, query) }
        func int(_ query: String) throws -> Int { Int(try sql(query)) ?? -1 }

        /// The pid of a member (`host-pid-random`).
        static func pid(of member: String) -> pid_t? {
            let parts = member.split(separator: "-")
            return parts.count >= 3 ? pid_t(parts[parts.count - 2]) : nil
        }

        func log(_ i: Int) -> String { (try? String(contentsOf: logs[i], encoding: .utf8)) ?? "" }

        /// Waits until `done / discovered` reaches `fraction` (of a discovered harvest).
        func waitForProgress(_ fraction: Double, timeout: Duration = .seconds(60)) async throws {
            let deadline = ContinuousClock.now + timeout
            while ContinuousClock.now < deadline {
                let row = (try? sql("SELECT coalesce(h.discovered, -1), (SELECT count(*) FROM trawl_work w WHERE w.harvest = h.id AND state = 'done') FROM trawl_harvests h ORDER BY started DESC LIMIT 1")) ?? ""
                let parts = row.split(separator: "|").compactMap { Int($0) }
                if parts.count == 2, parts[0] > 0, Double(parts[1]) >= fraction * Double(parts[0]) { return }
                try await Task.sleep(for: .milliseconds(20))
            }
            throw PostgresServer.Failure("the harvest never reached \(fraction)")
        }

        func stop() {
            for p in processes where p.isRunning { kill(p.processIdentifier, SIGKILL) }
            server.stop()
        }
    }

    // MARK: Comparing with an embedded run

    static func recordFiles(_ out: URL) throws -> [String: Data] {
        let dir = out.appendingPathComponent("records")
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
            files[name] = try Data(contentsOf: dir.appendingPathComponent(name))
        }
        return files
    }

    /// Every feed line of every published feed, as (op, id), in file then line order.
    static func feedLines(_ out: URL) throws -> [(op: String, id: String, seq: Int, run: String)] {
        let dir = out.appendingPathComponent("changes")
        var lines: [(String, String, Int, String)] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() {
            let text = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
            for line in text.split(separator: "\n") {
                let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
                lines.append((o["op"] as! String, o["id"] as! String, o["seq"] as! Int, o["run"] as! String))
            }
        }
        return lines
    }

    /// Records byte for byte, the same changes announced (as a multiset), each once.
    static func expectParity(_ out: URL, reference: URL, _ context: String) throws {
        let a = try recordFiles(reference.appendingPathComponent("out"))
        let b = try recordFiles(out)
        #expect(a.keys.sorted() == b.keys.sorted(), "\(context): record files differ: \(Set(a.keys).symmetricDifference(b.keys))")
        for (name, data) in a where b[name] != data {
            Issue.record("\(context): records/\(name) differs from the embedded run's")
        }
        let fa = try feedLines(reference.appendingPathComponent("out")).map { "\($0.op) \($0.id)" }.sorted()
        let fb = try feedLines(out).map { "\($0.op) \($0.id)" }.sorted()
        #expect(fa == fb, "\(context): the change feeds differ:\n embedded \(fa)\n cluster  \(fb)")
        let lines = try feedLines(out)
        let seqs = lines.map(\.seq)
        #expect(seqs == Array(1...max(1, seqs.count)).prefix(seqs.count).map { $0 }, "\(context): the feed has a gap or a repeat: \(seqs)")
    }

    static func embeddedRun(_ config: URL) async throws {
        let r = try await Harness.run(["run", config.path, "--quiet"])
        #expect(r.status == 0, "embedded run failed: \(r.stderr)")
    }

    /// A generated http site slow enough (latency per response) that processes overlap.
    static func slowSite(count: Int, latency: Int) async throws -> SiteServer {
        let server = try await SiteServer.start(content: GeneratedContent(count: count, attachments: true))
        server.control.setLatency(latency)
        return server
    }

    static func httpConfig(in dir: URL, server: SiteServer, http: [String: Any] = [:]) throws -> URL {
        var settings: [String: Any] = ["delay_ms": 0, "concurrency_per_host": 8, "retries": 2, "backoff_ms": 50,
                                       "read_timeout_ms": 5000, "total_timeout_ms": 10000, "user_agent": "TrawlTest/1.0"]
        settings.merge(http) { $1 }
        return try HTTPHarvestTests.generatedConfig(in: dir, server: server, http: settings)
    }

    // MARK: Tests

    @Test func threeProcessesWriteWhatOneEmbeddedRunWrites() async throws {
        guard PostgresServer.available else { print("SKIPPED: PostgreSQL is not installed"); return }
        let cluster = try await Harness.detached { try Cluster() }
        defer { cluster.stop() }
        let reference = try Harness.temporaryDirectory("reference")
        try await Self.embeddedRun(try Harness.fixtureConfig(in: reference))
        let config = try Harness.fixtureConfig(in: cluster.dir)
        try cluster.start(3, config: config)
        try await cluster.waitAll()
        for (i, p) in cluster.processes.enumerated() {
            #expect(p.terminationStatus == 0, "process \(i) failed:\n\(cluster.log(i))")
        }
        try Self.expectParity(cluster.dir.appendingPathComponent("out"), reference: reference, "3 processes")
        #expect(try cluster.int("SELECT count(*) FROM trawl_work WHERE state = 'done'") == 15)
        #expect(try cluster.int("SELECT count(*) FROM trawl_work WHERE attempt > 1") == 0, "items retried without a failure")
        // `trawl export` again changes nothing (idempotent).
        let export = try await Harness.run(["export", cluster.dir.appendingPathComponent("out").path, "--coordinator", cluster.url])
        #expect(export.status == 0 && export.stdout.contains("0 records written"), "\(export.stdout)\(export.stderr)")
        let status = try await Harness.run(["status", "--coordinator", cluster.url])
        #expect(status.stdout.contains("done 15") && status.stdout.contains("dead 0"), "\(status.stdout)")
    }

    @Test func aWorkerKilledMidHarvestCostsOnlyItsOwnItems() async throws {
        guard PostgresServer.available else { print("SKIPPED: PostgreSQL is not installed"); return }
        let site = try await Self.slowSite(count: 100, latency: 40)
        defer { Task { await site.stop() } }
        let reference = try Harness.temporaryDirectory("reference")
        try await Self.embeddedRun(try Self.httpConfig(in: reference, server: site))
        let cluster = try await Harness.detached { try Cluster() }
        defer { cluster.stop() }
        try cluster.start(4, config: try Self.httpConfig(in: cluster.dir, server: site))
        try await cluster.waitForProgress(0.3)
        // The member holding the most leases right now.
        var victim = ""
        for _ in 0..<50 where victim.isEmpty {
            victim = try cluster.sql("SELECT owner FROM trawl_work WHERE state = 'leased' GROUP BY owner ORDER BY count(*) DESC, owner LIMIT 1")
            if victim.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        }
        if victim.isEmpty {
            // A loaded machine can miss the moment; the busiest worker so far is the next best.
            victim = try cluster.sql("SELECT owner FROM trawl_work WHERE owner IS NOT NULL GROUP BY owner ORDER BY count(*) DESC, owner LIMIT 1")
        }
        let pid = try #require(Cluster.pid(of: victim), "no member holds a lease at 30%")
        kill(pid, SIGKILL)
        try await cluster.waitAll()
        for (i, p) in cluster.processes.enumerated() where p.processIdentifier != pid {
            #expect(p.terminationStatus == 0, "process \(i) failed:\n\(cluster.log(i))")
        }
        try Self.expectParity(cluster.dir.appendingPathComponent("out"), reference: reference, "a worker killed")
        // Only the victim's items were leased again, and only once more.
        let retried = try cluster.sql("SELECT array_to_string(owners, ',') FROM trawl_work WHERE attempt > 1").split(separator: "\n")
        for owners in retried {
            let list = owners.split(separator: ",").map(String.init)
            #expect(list.dropLast().allSatisfy { $0 == victim }, "an item of a live process was retried: \(owners)")
        }
        #expect(try cluster.int("SELECT count(*) FROM trawl_work WHERE state <> 'done'") == 0)
    }

    @Test func aKilledWriterIsReplacedAndTheFeedHasNoGapNorRepeat() async throws {
        guard PostgresServer.available else { print("SKIPPED: PostgreSQL is not installed"); return }
        let site = try await Self.slowSite(count: 60, latency: 40)
        defer { Task { await site.stop() } }
        let reference = try Harness.temporaryDirectory("reference")
        try await Self.embeddedRun(try Self.httpConfig(in: reference, server: site))
        let cluster = try await Harness.detached { try Cluster() }
        defer { cluster.stop() }
        try cluster.start(3, config: try Self.httpConfig(in: cluster.dir, server: site), lease: 3)
        var writer = ""
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            writer = (try? cluster.sql("SELECT writer FROM trawl_writer WHERE next_item > 5")) ?? ""
            if !writer.isEmpty { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        let pid = try #require(Cluster.pid(of: writer), "the writer never got going")
        kill(pid, SIGKILL)
        let killedAt = ContinuousClock.now
        var successor = ""
        while ContinuousClock.now < killedAt + .seconds(10) {
            successor = (try? cluster.sql("SELECT writer FROM trawl_writer")) ?? ""
            if !successor.isEmpty, successor != writer { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        let takeover = ContinuousClock.now - killedAt
        #expect(successor != writer && !successor.isEmpty, "no process took the writer role over")
        #expect(takeover < .seconds(3), "the writer role was taken over after \(takeover), more than one lease period (3 s)")
        try await cluster.waitAll()
        try Self.expectParity(cluster.dir.appendingPathComponent("out"), reference: reference, "the writer killed")
    }

    /// Disabled while a defect stays open: under the whole suite's load, the paused process
    /// sometimes never resumes work after SIGCONT (no thread blocked, no timer pending in NIO
    /// or Dispatch: a task waits on something nothing will complete). It passes alone. The
    /// fencing it checks is also covered in-process by
    /// `WorkQueueTests.aLateCompletionIsRefusedAndTheNewHolderWins`.
    @Test
    func aPausedWorkersLateCompletionsAreRefused() async throws {
        guard PostgresServer.available else { print("SKIPPED: PostgreSQL is not installed"); return }
        let site = try await SiteServer.start(content: GeneratedContent(count: 40))
        site.control.setLatency(60)
        defer { Task { await site.stop() } }
        let reference = try Harness.temporaryDirectory("reference")
        try await Self.embeddedRun(try Self.httpConfig(in: reference, server: site))
        let cluster = try await Harness.detached { try Cluster() }
        defer { cluster.stop() }
        try cluster.start(3, config: try Self.httpConfig(in: cluster.dir, server: site))
        try await cluster.waitForProgress(0.2)
        // A member with items in hand that is not the writer.
        // A member with items in hand that is not the writer, paused while it holds them.
        var zombie = ""
        var pid: pid_t = 0
        var held = ""
        for _ in 0..<500 where held.isEmpty {
            zombie = try cluster.sql("""
                SELECT owner FROM trawl_work WHERE state = 'leased' AND owner <> (SELECT coalesce(writer, '') FROM trawl_writer)
                GROUP BY owner ORDER BY count(*) DESC LIMIT 1
                """)
            guard let p = Cluster.pid(of: zombie) else { try await Task.sleep(for: .milliseconds(10)); continue }
            pid = p
            kill(pid, SIGSTOP)
            held = try cluster.sql("SELECT coalesce(string_agg(seq::text, ','), '') FROM trawl_work WHERE state = 'leased' AND owner = '\(zombie)'")
            if held.isEmpty { kill(pid, SIGCONT) }
        }
        try #require(!held.isEmpty, "no worker besides the writer could be paused holding a lease")
        // The others finish its items (its leases lapse after 2 s).
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline,
              try cluster.int("SELECT count(*) FROM trawl_work WHERE seq IN (\(held)) AND state = 'done'") < held.split(separator: ",").count {
            try await Task.sleep(for: .milliseconds(50))
        }
        let takenBy = try cluster.sql("SELECT DISTINCT owner FROM trawl_work WHERE seq IN (\(held))")
        #expect(!takenBy.contains(zombie), "the paused worker's items were not taken over: \(takenBy)")
        kill(pid, SIGCONT)
        try await cluster.waitAll()
        let index = try #require(cluster.processes.firstIndex { $0.processIdentifier == pid })
        #expect(cluster.log(index).contains("late completion refused"), "the paused worker's completions were not refused:\n\(cluster.log(index))")
        try Self.expectParity(cluster.dir.appendingPathComponent("out"), reference: reference, "a paused worker")
        #expect(try cluster.sql("SELECT DISTINCT owner FROM trawl_work WHERE seq IN (\(held))") == takenBy, "a late completion changed an item")
    }

    @Test func politenessHoldsForTheWholeCluster() async throws {
        guard PostgresServer.available else { print("SKIPPED: PostgreSQL is not installed"); return }
        let a = try await SiteServer.start(content: GeneratedContent(count: 8), host: "127.0.0.2")
        let b = try await SiteServer.start(content: GeneratedContent(count: 8), host: "127.0.0.3")
        defer { Task { await a.stop(); await b.stop() } }
        for s in [a, b] { s.control.setLatency(30) }
        a.control.set("/view?id=5", .status(503, retryAfter: "2", times: 1))
        let cluster = try await Harness.detached { try Cluster() }
        defer { cluster.stop() }
        let config = try Harness.fixtureConfig(in: cluster.dir) { config in
            config["sources"] = [a, b].enumerated().map { i, server in [
                "name": "site\(i)", "type": "http", "base_url": server.baseURL.absoluteString, "seeds": ["/list?page=1"],
                "listing": ["releases": "//td[@class='subject']/a", "next": "//div[@class='paging']/a[@class='next']"],
                "release": ["title": "//h3[@class='title']", "body": "//div[@class='view_cont']"],
                "http": ["delay_ms": 200, "concurrency_per_host": 1, "retries": 2, "backoff_ms": 50, "max_retry_after_seconds": 5,
                         "user_agent": "TrawlTest/1.0"],
            ] as [String: Any] }
        }
        try cluster.start(4, config: config)
        try await cluster.waitAll()
        for (i, p) in cluster.processes.enumerated() {
            #expect(p.terminationStatus == 0, "process \(i) failed:\n\(cluster.log(i))")
        }
        for (name, server) in [("127.0.0.2", a), ("127.0.0.3", b)] {
            let requests = server.control.requests.sorted { $0.at < $1.at }
            #expect(requests.count >= 10, "\(name): only \(requests.count) requests")
            #expect(requests.allSatisfy { $0.overlapping == 0 }, "\(name): requests overlapped")
            for (x, y) in zip(requests, requests.dropFirst()) {
                let gap = y.at - x.at
                #expect(gap >= .milliseconds(195), "\(name): \(x.target) and \(y.target) only \(gap) apart")
            }
        }
        let requests = a.control.requests.sorted { $0.at < $1.at }
        let busy = try #require(requests.firstIndex { $0.status == 503 }, "the 503 was never served")
        if busy + 1 < requests.count {
            let pause = requests[busy + 1].at - requests[busy].at
            #expect(pause >= .milliseconds(1950), "a request \(pause) after a 503 Retry-After: 2")
        }
        #expect(try Harness.records(in: cluster.dir.appendingPathComponent("out")).count == 16)
    }

    @Test func aCronRerunOfAnUnchangedSiteChangesNothing() async throws {
        guard PostgresServer.available else { print("SKIPPED: PostgreSQL is not installed"); return }
        let site = try await SiteServer.start(content: MirrorContent(root: HTTPHarvestTests.mirror))
        defer { Task { await site.stop() } }
        site.control.setRobots("User-agent: *\nDisallow: /admin/\n")
        let cluster = try await Harness.detached { try Cluster() }
        defer { cluster.stop() }
        let config = try HTTPHarvestTests.config(in: cluster.dir, server: site)
        try cluster.start(3, config: config)
        try await cluster.waitAll()
        let out = cluster.dir.appendingPathComponent("out")
        let first = try Self.recordFiles(out)
        #expect(first.count == 15)
        site.control.resetRequests()
        try cluster.start(3, config: config)
        try await cluster.waitAll()
        for (i, p) in cluster.processes.enumerated() {
            #expect(p.terminationStatus == 0, "process \(i) failed:\n\(cluster.log(i))")
        }
        let harvests = try cluster.sql("SELECT id FROM trawl_harvests ORDER BY started").split(separator: "\n")
        #expect(harvests.count == 2, "the re-run did not open a second harvest: \(harvests)")
        let feed = try Self.feedLines(out).filter { $0.run == String(harvests.last ?? "") }
        #expect(feed.isEmpty, "the re-run's feed is not empty: \(feed.map { "\($0.op) \($0.id)" })")
        let requests = site.control.requests
        #expect(!requests.isEmpty && requests.allSatisfy { $0.conditional && $0.status == 304 },
                "\(requests.filter { !$0.conditional || $0.status != 304 }.map { "\($0.status) \($0.target)" })")
        #expect(try Self.recordFiles(out) == first, "a record changed on an unchanged site")
    }
}
