import ArgumentParser
import Foundation
import Trawl

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show why two records were (or were not) judged duplicates.",
        discussion: """
        A and B are record ids or URLs. Reads the ledger of CONFIG's output directory and \
        prints the signature similarity (estimated Jaccard of 3-unit shingles), the signature \
        distance (differing MinHash values of 128), the LSH bands the two share, the exact \
        Jaccard of their texts when both records are on disk, and the decision.
        """)

    @Option(name: .customLong("config"), help: "The pipeline configuration (for its output directory).")
    var config = "pipeline.json"

    @Argument(help: "A record id or URL.")
    var a: String

    @Argument(help: "Another record id or URL.")
    var b: String

    func run() throws {
        let loaded: PipelineConfig
        do { loaded = try ConfigLoader().load(URL(fileURLWithPath: config)) } catch {
            FileHandle.standardError.write(Data("trawl: invalid configuration\n\(error)\n".utf8))
            throw ExitCodes.badConfig
        }
        do {
            print(try DuplicateExplanation(config: loaded, a: a, b: b).render())
        } catch {
            FileHandle.standardError.write(Data("trawl explain: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
