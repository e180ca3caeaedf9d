import ArgumentParser
import Foundation
import TrawlBench

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measurements and evaluations (not tests): near-duplicate accuracy, ledger scale.",
        subcommands: [NearDups.self, LedgerScale.self, Quality.self])

    struct NearDups: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "near-dups",
            abstract: "Precision and recall of the duplicate decision on the labelled near-dups corpus.")

        @Option(help: "The near-dups corpus folder.")
        var corpus = "../shared/corpus/near-dups"

        @Option(help: "Similarity threshold (estimated Jaccard of word/character 3-gram shingles).")
        var threshold = 0.8

        func run() throws {
            let scores = try NearDuplicateEvaluation(corpus: URL(fileURLWithPath: corpus), threshold: threshold).run()
            print("near-duplicate decision, threshold \(threshold), corpus \(corpus)")
            for s in scores { print(s) }
            if let all = scores.last {
                if !all.misses.isEmpty { print("missed pairs: \(all.misses.joined(separator: ", "))") }
                if !all.falseAlarms.isEmpty { print("false duplicates: \(all.falseAlarms.joined(separator: ", "))") }
            }
        }
    }
}

struct LedgerScale: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Insert synthetic signatures into a ledger, then time near-duplicate lookups.")

    @Option(help: "How many signatures to insert.")
    var signatures = 1_000_000

    @Option(help: "How many lookups to time.")
    var lookups = 10_000

    @Option(help: "The ledger file to create (replaced if it exists).")
    var path = "/tmp/trawl-bench-ledger.sqlite"

    func run() throws {
        let result = try LedgerScaleBenchmark(signatures: signatures, lookups: lookups, path: URL(fileURLWithPath: path))
            .run { FileHandle.standardError.write(Data("\($0)\n".utf8)) }
        print(result)
    }
}

struct Quality: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quality",
        abstract: "Main text (snippet precision/recall), titles and dates of rule-less extraction on html-gold.")

    @Option(help: "The html-gold corpus folder.")
    var corpus = "../shared/corpus/html-gold"

    @Flag(help: "List the wrong dates.")
    var verbose = false

    func run() throws {
        let evaluation = QualityEvaluation(corpus: URL(fileURLWithPath: corpus))
        print("trawl " + String(describing: try evaluation.mainText()))
        let dates = try evaluation.dates()
        print("trawl " + String(describing: dates))
        if verbose { for w in dates.wrong { print("  \(w)") } }
    }
}
