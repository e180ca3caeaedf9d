import ArgumentParser
import Foundation
import Logging
import Trawl

@main
struct TrawlCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trawl",
        abstract: "Turn web release archives into clean, deduplicated JSON records.",
        discussion: """
        Trawl scrapes release pages with libxml2, extracts the PDFs attached to them with \
        Poppler, normalises text, metadata and dates, and writes one JSON record per release.

        Exit codes: 0 success (per-item errors are reported in the run summary, not fatal); \
        2 invalid configuration or arguments; 3 the output cannot be written.
        """,
        subcommands: [Run.self, Extract.self, Validate.self, Explain.self, Bench.self])
}

struct LoggingOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Log every item (debug level).")
    var verbose = false

    @Flag(name: .shortAndLong, help: "Log only errors.")
    var quiet = false

    func bootstrap() -> Logger {
        let level: Logger.Level = verbose ? .debug : (quiet ? .error : .info)
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return Logger(label: "trawl")
    }
}

enum ExitCodes {
    static let badConfig = ExitCode(2)
    static let output = ExitCode(3)
}

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ingest the archives a pipeline config names and write records.",
        discussion: """
        Reads CONFIG (default ./pipeline.json), crawls each source's listing pages to its \
        release pages, scrapes them, extracts their attachments once each, and writes \
        OUTPUT/records/<id>.json (one per release, written atomically) and \
        OUTPUT/runs/<run-id>.json (counts, errors by kind, timings).
        """)

    @Argument(help: "The pipeline configuration file.")
    var config = "pipeline.json"

    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let logger = logging.bootstrap()
        let loaded: PipelineConfig
        do {
            loaded = try ConfigLoader().load(URL(fileURLWithPath: config))
        } catch {
            FileHandle.standardError.write(Data("trawl: invalid configuration\n\(error)\n".utf8))
            throw ExitCodes.badConfig
        }
        do {
            let summary = try await Pipeline(config: loaded, configPath: config, logger: logger).run()
            print(SummaryText.render(summary))
        } catch let error as OutputError {
            FileHandle.standardError.write(Data("trawl: cannot write output: \(error)\n".utf8))
            throw ExitCodes.output
        }
    }
}

struct Extract: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Extract HTML or PDF files to JSON on stdout, one line per file.",
        discussion: """
        For debugging rules, scripting and benchmarks. HTML files are scraped with the \
        fallback rules (og:title/<title>, <main>/<article>, links that look like files); \
        other files are sniffed by their bytes and PDFs are extracted with Poppler. A file \
        that cannot be read gives a line with an "error" object; the others still print.
        """)

    @Argument(help: "HTML or PDF files.")
    var files: [String]

    @Option(help: "The URL a single file was served from (resolves links and ids).")
    var url: String?

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one FILE") }
        if url != nil && files.count > 1 { throw ValidationError("--url applies to a single FILE; got \(files.count) files") }
        if let url, URL(string: url)?.scheme == nil { throw ValidationError("--url must be an absolute URL, got '\(url)'") }
    }

    func run() async throws {
        let extractor = FileExtractor()
        for file in files {
            let result = await extractor.extract(path: file, url: url.flatMap(URL.init(string:)))
            print(FileExtractor.jsonLine(result))
        }
    }
}

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a pipeline config; errors name the JSON path and the reason.")

    @Argument(help: "The pipeline configuration file.")
    var config = "pipeline.json"

    func run() throws {
        do {
            let loaded = try ConfigLoader().load(URL(fileURLWithPath: config))
            print("\(config): ok (\(loaded.sources.count) source\(loaded.sources.count == 1 ? "" : "s"), output \(loaded.output.path))")
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCodes.badConfig
        }
    }
}
