import ArgumentParser
import Foundation
import Trawl
import TrawlLedger

struct Quarantine: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List or clear inputs that crashed, hung or exhausted an extraction worker.",
        discussion: """
        Such an input is remembered by its SHA-256 in the ledger and skipped on later runs \\
        (its attachment shows the error `quarantined` with the recorded reason) until its \\
        bytes change or it is cleared here.
        """,
        subcommands: [List.self, Clear.self], defaultSubcommand: List.self)

    struct Options: ParsableArguments {
        @Option(name: .customLong("config"), help: "The pipeline configuration (for its output directory).")
        var config = "pipeline.json"

        func ledger() throws -> Ledger {
            let loaded: PipelineConfig
            do { loaded = try ConfigLoader().load(URL(fileURLWithPath: config)) } catch {
                FileHandle.standardError.write(Data("trawl: invalid configuration\n\(error)\n".utf8))
                throw ExitCodes.badConfig
            }
            return try Ledger(path: OutputDirectory(root: loaded.output).ledger.path)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List quarantined inputs.")
        @OptionGroup var options: Options

        func run() throws {
            let entries = try options.ledger().quarantineList()
            if entries.isEmpty { print("no quarantined inputs") }
            for e in entries { print("\(e.sha256)  \(e.reason)  since \(e.since)  \(e.url)\n    \(e.message)") }
        }
    }

    struct Clear: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Clear quarantined inputs (by SHA-256, or --all).")
        @OptionGroup var options: Options
        @Flag(help: "Clear every entry.") var all = false
        @Argument(help: "SHA-256 of inputs to clear.") var sha256: [String] = []

        func validate() throws {
            if all == !sha256.isEmpty { throw ValidationError("give SHA-256 values or --all (not both)") }
        }

        func run() throws {
            let n = try options.ledger().clearQuarantine(all ? nil : sha256)
            print("cleared \(n) quarantined input\(n == 1 ? "" : "s")")
        }
    }
}
