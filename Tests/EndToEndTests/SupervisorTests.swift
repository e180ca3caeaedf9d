import Foundation
import Testing

/// Extraction worker processes: a worker killed by a signal, one that hangs, one that exceeds its
/// memory cap and one that exceeds its CPU cap each cost exactly one document; the others
/// are extracted, the run completes, and the harmful inputs are quarantined.
@Suite(.serialized) struct SupervisorTests {
    static let hooks = ["CRASH", "HANG", "ALLOC", "SPIN"]
    static let expectedKinds = ["CRASH": "crash", "HANG": "timeout", "ALLOC": "memory", "SPIN": "cpu"]

    static var goodPDF: Data {
        get throws {
            try Data(contentsOf: Harness.fixtures.appendingPathComponent("archive/www.msit.example/bbs/download.do?atchFileId=FILE_000000000812006&fileSn=1"))
        }
    }

    static func withHooks(_ arguments: [String]) async throws -> Harness.Result {
        try await Harness.run(arguments, environment: ["TRAWL_WORKER_TEST_HOOKS": "1"])
    }

    @Test func eachFailureCostsOneDocumentInExtract() async throws {
        let dir = try Harness.temporaryDirectory()
        var files: [String] = []
        for (n, hook) in Self.hooks.enumerated() {
            let good = dir.appendingPathComponent("good\(n).pdf")
            try Self.goodPDF.write(to: good)
            let bad = dir.appendingPathComponent("\(hook.lowercased()).pdf")
            try Data("%PDF-TRAWL-TEST-\(hook)\n".utf8).write(to: bad)
            files += [good.path, bad.path]
        }
        // OCR is on (50 pages a document): a document that hangs or spins before any page is
        // read still has only its own 8 s and 1 CPU second, not 50 pages' worth.
        // The 20 s timeout leaves the spinning document time to use its 1 CPU second on a
        // loaded machine, so the CPU cap, not the clock, stops it.
        let r = try await Self.withHooks(["extract", "--timeout", "20", "--memory-mb", "1024", "--cpu-seconds", "1", "--workers", "2",
                                          "--ocr", "auto", "--ocr-max-pages", "50"] + files)
        #expect(r.status == 0, "\(r.stderr.suffix(1000))")
        #expect(r.seconds < 60, "the run must not wait on a hung worker (\(Int(r.seconds)) s)")
        let lines = r.stdout.split(separator: "\n").map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        #expect(lines.count == files.count)
        for (line, file) in zip(lines, files) {
            #expect(line["input"] as? String == file)
            let name = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent.uppercased()
            let error = line["error"] as? [String: Any]
            if let kind = Self.expectedKinds[name] {
                #expect(error?["kind"] as? String == kind, "\(file): expected \(kind), got \(error ?? [:])")
                #expect((error?["message"] as? String ?? "").contains(URL(fileURLWithPath: file).lastPathComponent))
            } else {
                #expect(error == nil, "\(file): a good file failed: \(error ?? [:])")
                let text = (line["file"] as? [String: Any])?["text"] as? String ?? ""
                #expect(text.contains("정부는 2027년까지"), "\(file): text missing")
            }
        }
    }

    /// `extraction.formats` gives one format caps of its own: the hanging PDF is stopped by
    /// the PDF's 3 s, not the pool's 120 s, and a format allowed more memory than the pool
    /// reads normally in a worker whose cap was raised for it.
    @Test func aFormatsOwnCapsApplyToItsDocumentsOnly() async throws {
        let dir = try Harness.temporaryDirectory()
        let documents: [(name: String, source: Harness.Either)] = [("hang", .bytes(Data("%PDF-TRAWL-TEST-HANG\n".utf8))),
                                                                    ("good", .bytes(try Self.goodPDF))]
        let file = try Harness.linkingArchive(in: dir, documents: documents, extraction: [
            "workers": 1, "timeout_seconds": 120, "memory_mb": 1024,
            "formats": ["pdf": ["timeout_seconds": 3, "memory_mb": 1536]]])
        let r = try await Self.withHooks(["run", file.path, "-q"])
        #expect(r.status == 0, "\(r.stderr.suffix(1000))")
        #expect(r.seconds < 60, "the PDF's own 3 s stopped the hang (\(Int(r.seconds)) s)")
        let byKind = try Harness.summary(in: dir.appendingPathComponent("out"))["errors_by_kind"] as? [String: Int]
        #expect(byKind == ["pdf/timeout": 1], "\(byKind ?? [:])")
        let good = try Harness.records(in: dir.appendingPathComponent("out")).filter { ($0["title"] as? String ?? "").contains("good") }
        #expect(good.count == 1 && ((good[0]["attachments"] as! [[String: Any]])[0]["text"] as? String ?? "").contains("정부는"))
    }

    @Test func aRunSurvivesHarmfulPDFsAndQuarantinesThem() async throws {
        let dir = try Harness.temporaryDirectory()
        let names = ["good"] + Self.hooks.map { $0.lowercased() } + ["good2"]
        let documents: [(name: String, source: Harness.Either)] = try names.map { name in
            (name, .bytes(name.hasPrefix("good") ? try Self.goodPDF : Data("%PDF-TRAWL-TEST-\(name.uppercased())\n".utf8)))
        }
        let file = try Harness.linkingArchive(in: dir, documents: documents,
                                              extraction: ["workers": 2, "timeout_seconds": 20, "memory_mb": 1024, "cpu_seconds": 1])
        let out = dir.appendingPathComponent("out")

        let first = try await Self.withHooks(["run", file.path, "-q"])
        #expect(first.status == 0, "\(first.stderr.suffix(1000))")
        var byKind = try Harness.summary(in: out)["errors_by_kind"] as! [String: Int]
        #expect(byKind == ["pdf/crash": 1, "pdf/timeout": 1, "pdf/memory": 1, "pdf/cpu": 1], "\(byKind)")
        let records = try Harness.records(in: out)
        #expect(records.count == 6, "every page is written, the harmful PDFs' pages included")
        let good = records.filter { ($0["title"] as? String ?? "").contains("good") }
        #expect(good.count == 2 && good.allSatisfy { (($0["attachments"] as! [[String: Any]])[0]["text"] as? String ?? "").contains("정부는") })

        let list = try await Harness.run(["quarantine", "list", "--config", file.path])
        for reason in ["crash", "timeout", "memory", "cpu"] { #expect(list.stdout.contains("  \(reason)  "), "\(list.stdout)") }

        // The next run skips them without starting a worker for them.
        let second = try await Self.withHooks(["run", file.path, "-q"])
        #expect(second.status == 0)
        #expect(second.seconds < 20, "quarantined inputs must not be retried (a retry would wait out the 20 s timeout)")
        byKind = try Harness.summary(in: out)["errors_by_kind"] as! [String: Int]
        #expect(byKind == ["pdf/quarantined": 4], "\(byKind)")

        let cleared = try await Harness.run(["quarantine", "clear", "--all", "--config", file.path])
        #expect(cleared.stdout.contains("cleared 4 quarantined inputs"))
        #expect(try await Harness.run(["quarantine", "list", "--config", file.path]).stdout.contains("no quarantined inputs"))
    }
}
