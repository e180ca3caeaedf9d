import ArgumentParser
import Foundation
import Logging
import Trawl
import TrawlPostgres
import TrawlServe
import TrawlSinks

/// Publishing the output directory's change feed to the configured sinks, after a run or on
/// its own; a sink that cannot be opened or reached is reported and the others go on.
struct SinkPublishing {
    let config: PipelineConfig
    let logger: Logger
    let showsProgress: Bool
    var only: String?
    var fromStart = false

    func publish(runID: String?) async -> [SinkStatus] {
        var statuses: [SinkStatus] = []
        for sinkConfig in config.sinks where only == nil || sinkConfig.name == only {
            let sink: any Sink
            do { sink = try await open(sinkConfig) } catch {
                var status = SinkStatus(name: sinkConfig.name, type: sinkConfig.kind.rawValue)
                status.error = "\(error)"
                status.behind = (try? ChangeFeedReader(output: config.output).count(after: nil)) ?? 0
                logger.error("sink \(sinkConfig.name): \(error)")
                statuses.append(status)
                continue
            }
            var publisher = Publisher(output: config.output)
            if let n = sinkConfig.batchSize { publisher.batchLines = n }
            let name = sinkConfig.name
            var progress: (@Sendable (Int, Int) -> Void)?
            if showsProgress {
                progress = { @Sendable (done: Int, total: Int) in
                    StatusLine.shared.show("publishing to \(name): \(done) of \(total) changes")
                }
            }
            let status = await publisher.publish(to: sink, fromStart: fromStart, progress: progress)
            StatusLine.shared.clear()
            await sink.close()
            if let error = status.error { logger.error("sink \(name): \(error); \(status.behind) changes wait for the next publish") }
            for r in status.rejects { logger.warning("sink \(name) refused record \(r.id): \(r.reason)") }
            statuses.append(status)
        }
        do { try RunSummary.recordSinks(statuses, output: config.output, runID: runID) } catch {
            logger.error("cannot record the sinks' standing: \(error)")
        }
        return statuses
    }

    func open(_ c: SinkConfig) async throws -> any Sink {
        switch c.kind {
        case .index: return try IndexSink(name: c.name, file: SearchIndex.file(output: config.output))
        case .postgres:
            return try await PostgresSink(name: c.name, url: c.url!, table: c.table ?? "trawl_documents",
                                          textIndex: c.textIndex.flatMap(PostgresSink.TextIndex.init(rawValue:)) ?? .gin,
                                          output: try OutputDirectory(root: config.output).identity(), logger: logger)
        case .elasticsearch, .opensearch, .meilisearch:
            let env = ProcessInfo.processInfo.environment
            func secret(_ variable: String?) throws -> String? {
                guard let variable else { return nil }
                guard let value = env[variable], !value.isEmpty else {
                    throw SinkError(sink: c.name, reason: "environment variable \(variable) (named by the config) is not set")
                }
                return value
            }
            let credentials = SinkCredentials(apiKey: try secret(c.apiKeyEnv), username: c.username, password: try secret(c.passwordEnv))
            let url = URL(string: c.url!)!
            let index = c.index ?? "trawl"
            if c.kind == .meilisearch {
                return MeilisearchSink(name: c.name, url: url, index: index, output: config.output, credentials: credentials,
                                       maxRequestBytes: (c.maxRequestMB ?? 20) << 20)
            }
            return ElasticsearchSink(name: c.name, type: c.kind.rawValue, url: url, index: index, output: config.output,
                                     credentials: credentials, maxRequestBytes: (c.maxRequestMB ?? 5) << 20)
        }
    }

    static func render(_ statuses: [SinkStatus]) -> String {
        statuses.map { s in
            var line = "  sink \(s.name) (\(s.type)): \(s.applied) changes applied (\(s.upserted) upserted, \(s.deleted) deleted)"
            if !s.rejects.isEmpty { line += ", \(s.rejects.count) refused" }
            line += s.behind == 0 ? ", up to date" : ", \(s.behind) behind"
            if let e = s.error { line += "\n    FAILED: \(e)" }
            return line
        }.joined(separator: "\n")
    }
}

/// Loads CONFIG, or exits 2 after printing every error with its JSON path.
func loadConfig(_ path: String) throws -> PipelineConfig {
    do { return try ConfigLoader().load(URL(fileURLWithPath: path)) } catch {
        FileHandle.standardError.write(Data("trawl: invalid configuration\n\(error)\n".utf8))
        throw ExitCodes.badConfig
    }
}

struct Publish: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Publish the change feed to the configured sinks (search indexes).",
        discussion: """
        Each sink applies the changes of OUTPUT/changes/ from its own durable cursor, in feed \
        order, in batches: created and updated records are upserted by id, deleted ones \
        deleted. `trawl run` does this after writing; run it alone to catch up a sink that \
        was down, or with --from-start to fill a new or rebuilt index. Exits 6 when a sink \
        could not be brought up to date (its cursor stays; the others are published).
        """)

    @Argument(help: "The pipeline configuration file.")
    var config = "pipeline.json"

    @Option(help: "Publish to this sink only.")
    var sink: String?

    @Flag(help: "Forget the sink's cursor and what it holds, and replay every feed.")
    var fromStart = false

    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let logger = logging.bootstrap()
        let loaded = try loadConfig(config)
        if let sink, !loaded.sinks.contains(where: { $0.name == sink }) {
            FileHandle.standardError.write(Data("trawl: no sink named '\(sink)' in \(config) (sinks: \(loaded.sinks.map(\.name).joined(separator: ", ")))\n".utf8))
            throw ExitCodes.badConfig
        }
        let lock: RunLock
        do { lock = try RunLock(output: OutputDirectory(root: loaded.output), file: "publish.lock", what: "publish") } catch {
            FileHandle.standardError.write(Data("trawl: \(error)\n".utf8))
            throw error is RunLock.Held ? ExitCodes.locked : ExitCodes.output
        }
        defer { withExtendedLifetime(lock) {} }
        var publishing = SinkPublishing(config: loaded, logger: logger, showsProgress: logging.showsProgress)
        publishing.only = sink
        publishing.fromStart = fromStart
        let statuses = await publishing.publish(runID: nil)
        print("publish:\n" + SinkPublishing.render(statuses))
        if statuses.contains(where: { $0.error != nil }) { throw ExitCodes.sink }
    }
}

struct Search: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Search the records of an output directory (its embedded index).",
        discussion: """
        Words are all required; OR between two words accepts either; "…" is a phrase; word* \
        is a prefix. Korean, Japanese and Chinese words match inside compounds (반도체 finds \
        인공지능반도체). Hits are ranked by BM25 (title weighted over text; attachment text \
        included) and printed with title, date, URL and a snippet whose matches are \
        highlighted.
        """)

    @Argument(help: "What to search for.")
    var query: [String]

    @Option(help: "The pipeline configuration file (its output directory holds the index).")
    var config = "pipeline.json"

    @Option(help: "Only records of this source.")
    var source: String?

    @Option(help: "Only records published on or after this date (YYYY-MM-DD).")
    var since: String?

    @Option(help: "At most this many hits.")
    var limit = 10

    @Flag(help: "One JSON object per hit (snippet matches as <mark>…</mark>, HTML-escaped).")
    var json = false

    func validate() throws {
        if query.isEmpty { throw ValidationError("give a query") }
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
        if let since, since.range(of: #"^\d{4}(-\d{2}(-\d{2})?)?$"#, options: .regularExpression) == nil {
            throw ValidationError("--since takes a date YYYY-MM-DD (or YYYY-MM, YYYY), got '\(since)'")
        }
    }

    func run() async throws {
        let loaded = try loadConfig(config)
        let hits: [SearchHit]
        do {
            let index = try SearchIndex(file: SearchIndex.file(output: loaded.output), create: false)
            hits = try index.search(SearchQuery(query.joined(separator: " "), source: source, since: since, limit: limit))
        } catch {
            FileHandle.standardError.write(Data("trawl: \(error)\n".utf8))
            throw ExitCodes.output
        }
        if json {
            for hit in hits {
                var object = hit
                object.snippet = hit.marked(open: "<mark>", close: "</mark>", escape: { HTML.escape($0) })
                let data = try TrawlJSON.encoder(pretty: false).encode(object)
                print(String(decoding: data, as: UTF8.self))
            }
            return
        }
        let tty = isatty(STDOUT_FILENO) == 1
        if hits.isEmpty { print("no records match"); return }
        for (i, hit) in hits.enumerated() {
            let title = hit.title ?? "(untitled)"
            print("\(i + 1). \(tty ? "\u{1B}[1m\(title)\u{1B}[0m" : title)  \(hit.published ?? "")")
            print("   \(hit.url)")
            let snippet = hit.marked(open: tty ? "\u{1B}[1;33m" : "[", close: tty ? "\u{1B}[0m" : "]")
            print("   " + snippet.replacingOccurrences(of: "\n", with: " "))
        }
    }
}

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "A read-only web page over the output directory: search, records, recent runs.",
        discussion: """
        Serves a search box over the embedded index (filters by source and date), a page per \
        record (fields, provenance, attachments with their text and quality flags, duplicates) \
        and the recent runs (counts, errors by kind with their URLs, quarantined files, sink \
        lag, a plot of records and errors per run). Listens on 127.0.0.1 unless --host says \
        otherwise; --port 0 picks a free port. Prints the address, then serves until stopped.
        """)

    @Argument(help: "The pipeline configuration file.")
    var config = "pipeline.json"

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port (0: any free port).")
    var port = 8080

    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let logger = logging.bootstrap()
        let loaded = try loadConfig(config)
        let server = StatusServer(output: loaded.output, sources: loaded.sources.map(\.name), host: host, port: port, logger: logger)
        try await server.run { address in
            // Written straight to the descriptor: a test or script waits for this line.
            FileHandle.standardOutput.write(Data("serving \(loaded.output.path) at \(address)\n".utf8))
        }
    }
}
