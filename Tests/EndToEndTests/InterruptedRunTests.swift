import Foundation
import Synchronization
import Testing

/// Kills `trawl run` with SIGKILL in the middle of a large archive and checks that the
/// output directory holds only whole files, and that the next run completes it.
@Suite struct InterruptedRunTests {
    static let releases = 1200

    /// A mirror with `releases` release pages over 24 listing pages; each release links its
    /// own copy of a fixture PDF, so the run takes long enough to be interrupted.
    static func makeArchive(in dir: URL) throws -> URL {
        let site = dir.appendingPathComponent("mirror")
        let bbs = site.appendingPathComponent("bbs")
        try FileManager.default.createDirectory(at: bbs, withIntermediateDirectories: true)
        let pdf = try Data(contentsOf: Harness.fixtures.appendingPathComponent("archive/www.msit.example/bbs/download.do?atchFileId=FILE_000000000812001&fileSn=1"))
        let perPage = 50
        for page in 0..<(releases / perPage) {
            var rows = ""
            for n in (page * perPage)..<((page + 1) * perPage) {
                rows += "<li><a href=\"view.do?no=\(n)\">Release \(n)</a></li>\n"
                let html = """
                <html><head><meta charset="utf-8"><title>Release \(n)</title></head><body><nav>Menu</nav>
                <h3 class="title">Release number \(n)</h3><p class="date">2024-01-\(String(format: "%02d", n % 28 + 1))</p>
                <div class="body"><p>Body of release \(n), unique text \(n * 7919).</p></div>
                <a class="file" href="download.do?id=\(n)">release-\(n).pdf</a></body></html>
                """
                try Data(html.utf8).write(to: bbs.appendingPathComponent("view.do?no=\(n)"))
                try pdf.write(to: bbs.appendingPathComponent("download.do?id=\(n)"))
            }
            let next = page + 1 < releases / perPage ? "<a class=\"next\" href=\"list.do?page=\(page + 1)\">next</a>" : ""
            try Data("<html><body><ul>\(rows)</ul>\(next)</body></html>".utf8)
                .write(to: bbs.appendingPathComponent(page == 0 ? "list.do" : "list.do?page=\(page)"))
        }
        let config: [String: Any] = [
            "output": dir.appendingPathComponent("out").path,
            "workers": ["pages": 2, "attachments": 2],
            "sources": [[
                "name": "big", "type": "directory", "root": site.path, "base_url": "https://big.example/",
                "seeds": ["bbs/list.do"],
                "listing": ["releases": "//ul/li/a", "next": "//a[@class='next']"],
                "release": ["title": "//h3[@class='title']", "published": "//p[@class='date']",
                            "body": "//div[@class='body']", "attachments": "//a[@class='file']"],
            ]],
        ]
        let file = dir.appendingPathComponent("pipeline.json")
        try JSONSerialization.data(withJSONObject: config).write(to: file)
        return file
    }

    /// Every `.json` file under the output is complete, valid JSON (records also valid against
    /// the schema); anything else lives only in the scratch folder `.trawl/tmp` or is the
    /// ledger (SQLite, whose transactions survive a kill on their own).
    static func checkOnlyWholeFiles(in out: URL) throws -> Int {
        let validator = try JSONSchemaValidator(schema: Data(contentsOf: Harness.projectRoot.appendingPathComponent("schema/record.schema.json")))
        var records = 0
        let e = FileManager.default.enumerator(at: out, includingPropertiesForKeys: [.isRegularFileKey])!
        for case let url as URL in e where (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true {
            let relative = url.path.replacingOccurrences(of: out.path + "/", with: "")
            if relative.hasPrefix(".trawl/tmp/") || relative.hasPrefix(".trawl/ledger.sqlite") || relative == ".trawl/lock" { continue }
            if relative == "trawl.prom" { continue }  // text metrics, written atomically too
            // The search index: a SQLite database, whole by its own journal (PublishTests kill it).
            if relative.hasPrefix("search.sqlite") || relative == ".trawl/publish.lock" { continue }
            // The feed being written: appended line by line, published by the next run.
            if relative.hasPrefix(".trawl/feed/") { continue }
            // WARC files: finished ones are read to the end by the caller; `.open` ones are
            // repaired by the next run.
            if relative.hasPrefix("warc/") { continue }
            if relative.hasPrefix("changes/") {
                // Published feeds hold whole lines only, each a JSON object.
                let text = try String(contentsOf: url, encoding: .utf8)
                #expect(text.isEmpty || text.hasSuffix("\n"), "\(relative) ends in a partial line")
                for line in text.split(separator: "\n") {
                    #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil, "\(relative): not a JSON line: \(line)")
                }
                continue
            }
            #expect(url.pathExtension == "json", "unexpected file \(relative)")
            let object = try? JSONSerialization.jsonObject(with: Data(contentsOf: url))
            #expect(object != nil, "\(relative) is not whole JSON")
            if relative.hasPrefix("records/"), let object {
                records += 1
                let failures = try validator.validate(object)
                #expect(failures.isEmpty, "\(relative): \(failures)")
            }
        }
        return records
    }

    @Test func sigkillLeavesNoPartialFileAndTheNextRunCompletes() async throws {
        let dir = try Harness.temporaryDirectory()
        let config = try Self.makeArchive(in: dir)
        let out = dir.appendingPathComponent("out")
        let records = out.appendingPathComponent("records")

        for attempt in 0..<3 {
            // Its stderr is kept beside the output, so that a run that ends early says why.
        let log = out.deletingLastPathComponent().appendingPathComponent("run-\(UUID().uuidString.prefix(8)).stderr")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = try Harness.start(["run", config.path, "--quiet"], stdout: FileHandle.nullDevice, stderr: try FileHandle(forWritingTo: log))
            // Wait until records are being written, then kill at once.
            let folder = records.path
            // Killed on the thread that saw the records, without a hop back to the pool.
            let wasRunning = (try? await Harness.detached { () -> Bool in
                let deadline = Date().addingTimeInterval(60)
                while Date() < deadline, process.isRunning,
                      ((try? FileManager.default.contentsOfDirectory(atPath: folder).count) ?? 0) <= 20 * (attempt + 1) { usleep(2_000) }
                let running = process.isRunning
                kill(process.processIdentifier, SIGKILL)
                return running
            }) ?? false
            let written = (try? FileManager.default.contentsOfDirectory(atPath: folder).count) ?? 0
            await Harness.waitDetached(process)
            #expect(wasRunning, "attempt \(attempt): the run ended before it could be interrupted (\(written) records)")
            let whole = try Self.checkOnlyWholeFiles(in: out)
            #expect(whole < Self.releases, "attempt \(attempt): the run was not interrupted midway")
        }

        let final = try await Harness.run(["run", config.path, "--quiet"])
        #expect(final.status == 0, "\(final.stderr)")
        #expect(try Self.checkOnlyWholeFiles(in: out) == Self.releases)
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent(".trawl/tmp").path), "scratch folder left behind")
        let summary = try Harness.summary(in: out)
        #expect((summary["counts"] as! [String: Int])["attachments_extracted"] == Self.releases)
    }

    /// Starts a run and returns once it has written at least `records` records.
    /// Starts a run and waits until it has written `records` records; `then` runs on the same
    /// Dispatch thread at that moment, so that a signal lands mid-run however busy the pool is.
    /// Whether some process holds the run lock of `out` (a lock this process could take is
    /// given back at once).
    static func runLockIsHeld(in out: URL) -> Bool {
        let fd = open(out.appendingPathComponent(".trawl/lock").path, O_RDWR)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        if flock(fd, LOCK_EX | LOCK_NB) == 0 { flock(fd, LOCK_UN); return false }
        return true
    }

    static func startAndWait(_ config: URL, out: URL, records: Int, then: @escaping @Sendable (Process) -> Void = { _ in }) async throws -> Process {
        // Its stderr is kept beside the output, so that a run that ends early says why.
        let log = out.deletingLastPathComponent().appendingPathComponent("run-\(UUID().uuidString.prefix(8)).stderr")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = try Harness.start(["run", config.path, "--quiet"], stdout: FileHandle.nullDevice, stderr: try FileHandle(forWritingTo: log))
        let folder = out.appendingPathComponent("records").path
        await Harness.waitUntil(seconds: 60) {
            let seen = !process.isRunning || ((try? FileManager.default.contentsOfDirectory(atPath: folder).count) ?? 0) >= records
            if seen { then(process) }
            return seen
        }
        return process
    }

    /// How a run started by `startAndWait` ended: exit status, records written, its stderr.
    static func ended(_ process: Process, out: URL) -> String {
        let records = (try? FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("records").path).count) ?? 0
        let logs = ((try? FileManager.default.contentsOfDirectory(at: out.deletingLastPathComponent(), includingPropertiesForKeys: nil)) ?? [])
            .filter { $0.pathExtension == "stderr" }
        let stderr = logs.compactMap { try? String(contentsOf: $0, encoding: .utf8) }.joined(separator: "\n").suffix(800)
        let status = process.isRunning ? "still running" : "exit \(process.terminationStatus) (\(process.terminationReason == .exit ? "exit" : "signal"))"
        return "\(status), \(records) records, stderr: \(stderr)"
    }

    @Test func sigtermStopsTheRunGracefully() async throws {
        let dir = try Harness.temporaryDirectory()
        let config = try Self.makeArchive(in: dir)
        let out = dir.appendingPathComponent("out")
        let wasRunning = Mutex(false)
        let process = try await Self.startAndWait(config, out: out, records: 30) { process in
            wasRunning.withLock { $0 = process.isRunning }
            kill(process.processIdentifier, SIGTERM)
        }
        #expect(wasRunning.withLock { $0 }, "the run ended before it could be stopped")
        let deadline = Date().addingTimeInterval(30)
        while process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(10)) }
        #expect(!process.isRunning, "SIGTERM did not stop the run within 30 s")
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        await Harness.waitDetached(process)
        #expect(process.terminationReason == .exit && process.terminationStatus == 128 + SIGTERM,
                "exit \(process.terminationStatus) (\(process.terminationReason == .exit ? "exit" : "signal"))")
        let summary = try Harness.summary(in: out)
        #expect(summary["interrupted"] as? Bool == true)
        let metrics = try String(contentsOf: out.appendingPathComponent("trawl.prom"), encoding: .utf8)
        #expect(metrics.contains("trawl_last_run_interrupted 1"))
        #expect(!metrics.contains("trawl_last_success_timestamp_seconds"), "no run has succeeded yet")
        let written = try Self.checkOnlyWholeFiles(in: out)
        #expect(written < Self.releases, "the run stopped early")
        #expect((summary["counts"] as! [String: Int])["records"] == written, "the summary counts what was written")
        let next = try await Harness.run(["run", config.path, "--quiet"])
        #expect(next.status == 0)
        #expect(try Self.checkOnlyWholeFiles(in: out) == Self.releases)
        let after = try String(contentsOf: out.appendingPathComponent("trawl.prom"), encoding: .utf8)
        #expect(after.contains("trawl_last_run_interrupted 0") && after.contains("trawl_last_success_timestamp_seconds "))
        #expect(after.contains("trawl_last_run_items{kind=\"records\"} \(Self.releases)"), "\(after)")
    }

    @Test func aSecondRunOnTheSameOutputIsRefused() async throws {
        var attempt = 0, dir: URL, config: URL, out: URL, first: Process
        // The first run is frozen (SIGSTOP) as soon as records appear, so that it holds its
        // lock for as long as the test needs. On a loaded machine the poll can come so late
        // that the run has finished and let the lock go (it is then publishing): that
        // attempt proves nothing and is made again.
        repeat {
            attempt += 1
            dir = try Harness.temporaryDirectory()
            config = try Self.makeArchive(in: dir)
            out = dir.appendingPathComponent("out")
            first = try await Self.startAndWait(config, out: out, records: 5) { kill($0.processIdentifier, SIGSTOP) }
            if Self.runLockIsHeld(in: out) { break }
            kill(first.processIdentifier, SIGKILL)
            await Harness.waitDetached(first)
        } while attempt < 3
        #expect(Self.runLockIsHeld(in: out), "in \(attempt) attempts the first run never held its lock when polled: \(Self.ended(first, out: out))")
        let second = try await Harness.run(["run", config.path, "--quiet"], queued: false)
        #expect(second.status == 4, "exit \(second.status): \(second.stderr)")
        #expect(second.stderr.contains("another trawl run is using this output directory"))
        kill(first.processIdentifier, SIGKILL)
        await Harness.waitDetached(first)
        // The kernel released the killed run's lock: the next run proceeds and completes it.
        let third = try await Harness.run(["run", config.path, "--quiet"])
        #expect(third.status == 0, "\(third.stderr)")
        #expect(try Self.checkOnlyWholeFiles(in: out) == Self.releases)
    }
}
