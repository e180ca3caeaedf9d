import ArgumentParser
import Foundation
import TrawlBench
import TrawlSiteServer

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measurements and evaluations (not tests): near-duplicate accuracy, ledger scale.",
        subcommands: [NearDups.self, LedgerScale.self, Quality.self, Harvest.self, Serve.self, QueueBench.self, SearchBench.self, CleanPages.self])

    struct NearDups: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "near-dups",
            abstract: "Precision and recall of the duplicate decision on the labelled near-dups corpus.")

        @Option(help: "The near-dups corpus folder.")
        var corpus = "../shared/corpus/near-dups"

        @Option(help: "Similarity threshold (estimated Jaccard of word/character 3-gram shingles).")
        var threshold = 0.8

        func run() async throws {
            let scores = try await NearDuplicateEvaluation(corpus: URL(fileURLWithPath: corpus), threshold: threshold).run()
            print("near-duplicate decision, threshold \(threshold), corpus \(corpus)")
            for s in scores { print(s) }
            if let all = scores.last {
                if !all.misses.isEmpty { print("missed pairs: \(all.misses.joined(separator: ", "))") }
                if !all.falseAlarms.isEmpty { print("false duplicates: \(all.falseAlarms.joined(separator: ", "))") }
            }
        }
    }
}

struct LedgerScale: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Insert synthetic signatures into a ledger, then time near-duplicate lookups.")

    @Option(help: "How many signatures to insert.")
    var signatures = 1_000_000

    @Option(help: "How many lookups to time.")
    var lookups = 10_000

    @Option(help: "The ledger file to create (replaced if it exists).")
    var path = "/tmp/trawl-bench-ledger.sqlite"

    func run() async throws {
        let result = try await LedgerScaleBenchmark(signatures: signatures, lookups: lookups, path: URL(fileURLWithPath: path))
            .run { FileHandle.standardError.write(Data("\($0)\n".utf8)) }
        print(result)
    }
}

struct Quality: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quality",
        abstract: "Main text (snippet precision/recall), titles and dates of rule-less extraction on html-gold.")

    @Option(help: "The html-gold corpus folder.")
    var corpus = "../shared/corpus/html-gold"

    @Flag(help: "List the wrong dates.")
    var verbose = false

    @Flag(help: "Measure main-text speed only (for profiling).")
    var speedOnly = false

    @Option(help: "Write what Trawl extracts from every page of every development set to this file, one JSON object per line (for Benchmarks/quality_eval.py), and nothing else.")
    var dump: String?

    func run() async throws {
        let evaluation = QualityEvaluation(corpus: URL(fileURLWithPath: corpus))
        if let dump {
            guard FileManager.default.createFile(atPath: dump, contents: nil), let out = FileHandle(forWritingAtPath: dump) else {
                throw ValidationError("cannot write \(dump)")
            }
            defer { try? out.close() }
            try evaluation.dump(to: out)
            return
        }
        if speedOnly {
            print("trawl " + String(describing: try await evaluation.mainTextSpeed(rounds: 10)))
            return
        }
        print("trawl " + String(describing: try evaluation.mainText()))
        print("trawl " + String(describing: try await evaluation.mainTextSpeed()))
        let dates = try evaluation.dates()
        print("trawl " + String(describing: dates))
        if verbose { for w in dates.wrong { print("  \(w)") } }
    }
}

struct Harvest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "harvest",
        abstract: "Harvest generated sites on 127.0.0.1: pages/s, peak RSS, no-change re-run cost, per-host rate.")

    @Option(parsing: .upToNextOption, help: "Site sizes in releases (10 per listing page).")
    var releases: [Int] = [1_000, 5_000]

    @Option(help: "concurrency_per_host for the throughput runs.")
    var concurrency = 4

    @Option(help: "delay_ms for the politeness check (0 skips it).")
    var delayMs = 20

    @Option(help: "Releases in the politeness check.")
    var rateReleases = 300

    @Option(help: "Scratch folder (replaced).")
    var work = "/tmp/trawl-bench-harvest"

    func run() async throws {
        let binary = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).standardizedFileURL
        let bench = HarvestBenchmark(binary: URL(fileURLWithPath: binary.path.hasPrefix("/") ? binary.path
                                                   : FileManager.default.currentDirectoryPath + "/" + binary.path),
                                     work: URL(fileURLWithPath: work))
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        for n in releases {
            print(try await bench.run(releases: n, concurrency: concurrency, attachments: false))
            print(try await bench.run(releases: n, concurrency: concurrency, attachments: true))
        }
        if delayMs > 0 { print(try await bench.rate(releases: rateReleases, delayMs: delayMs)) }
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a generated release site (or a mirror folder) on 127.0.0.1 until stopped; prints its URL.")

    @Option(help: "Releases in the generated site (10 per listing page at /list?page=N).")
    var releases = 1_000

    @Flag(help: "Give each release its own one-page PDF.")
    var attachments = false

    @Option(help: "Serve this wget-mirror folder instead of a generated site.")
    var mirror: String?

    func run() async throws {
        let content: any SiteContent = mirror.map { MirrorContent(root: URL(fileURLWithPath: $0)) }
            ?? GeneratedContent(count: releases, attachments: attachments)
        let server = try await SiteServer.start(content: content)
        server.control.setLogging(false)
        FileHandle.standardOutput.write(Data((server.baseURL.absoluteString + "\n").utf8))
        while true { try await Task.sleep(for: .seconds(3600)) }
    }
}
