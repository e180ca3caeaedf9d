import ArgumentParser
import Foundation
import Logging
import TrawlPostgres
import TrawlSinks

/// Indexing speed, query latency and size of the search sinks on generated records with
/// Korean and English text (a Zipf-distributed vocabulary, as real text has).
struct SearchBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Documents indexed per second, query latency and size per document of the embedded index (and PostgreSQL).")

    @Option(help: "Generated records to index.")
    var documents = 100_000

    @Option(help: "Queries to time (after indexing).")
    var queries = 300

    @Option(help: "The index file to create (replaced).")
    var path = "/tmp/trawl-bench-search.sqlite"

    @Option(help: "Also index into this PostgreSQL database (postgres://…).")
    var postgres: String?

    @Option(name: .customLong("postgres-text-index"), help: "The PostgreSQL table's text index: gin or rum (the other one is dropped).")
    var postgresTextIndex = "gin"

    @Flag(help: "Query the indexes this command built before at --path and --postgres (same --documents) instead of building them again: latency measured on a quiet machine, after a build that was not.")
    var reuse = false

    @Flag(name: .customLong("no-embedded"), help: "With --postgres: leave the embedded index out (build and queries).")
    var noEmbedded = false

    @Option(name: .customLong("rank-window"), help: "Matches ranked per query (the index's default unless given).")
    var rankWindow: Int = SearchIndex.rankWindow

    @Flag(name: .customLong("compare-packed-lengths"), help: "With --reuse: time each query with row lengths from the packed table and from FTS5's own, alternating.")
    var comparePackedLengths = false

    func validate() throws {
        if noEmbedded, postgres == nil { throw ValidationError("--no-embedded needs --postgres") }
        if PostgresSink.TextIndex(rawValue: postgresTextIndex) == nil { throw ValidationError("--postgres-text-index is gin or rum") }
        if comparePackedLengths, !reuse || noEmbedded { throw ValidationError("--compare-packed-lengths needs --reuse and the embedded index") }
    }

    func run() async throws {
        var generator = RecordGenerator(seed: 42)
        var pg: PostgresSink?
        if let url = postgres {
            var logger = Logger(label: "bench"); logger.logLevel = .error
            pg = try await PostgresSink(name: "bench", url: url, table: "trawl_bench_documents",
                                        textIndex: PostgresSink.TextIndex(rawValue: postgresTextIndex)!, logger: logger)
        }
        if reuse {
            let index = noEmbedded ? nil : try SearchIndex(file: URL(fileURLWithPath: path), create: false, rankWindow: rankWindow)
            for _ in 0..<documents { _ = generator.document(number: 0) }
            print("\(documents) generated records, indexes reused (\(noEmbedded ? "" : path + " ")\(pg == nil ? "" : "postgres"))")
            if comparePackedLengths, let index {
                let unpacked = try SearchIndex(file: URL(fileURLWithPath: path), create: false, rankWindow: rankWindow, packedLengths: false)
                try comparePacked(index, unpacked, generator: &generator)
                await pg?.close()
                return
            }
            try await measureQueries(index: index, generator: &generator, pg: pg)
            return
        }
        var index: SearchIndex?
        if !noEmbedded {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            index = try SearchIndex(file: URL(fileURLWithPath: path), rankWindow: rankWindow)
        }
        try await pg?.reset()
        var indexTime = Duration.zero, pgTime = Duration.zero
        // As a publish does: a load this large may drop the text index and build it after.
        if let pg { pgTime += try await ContinuousClock().measure { try await pg.willApply(pending: documents) } }
        var made = 0
        var batchNumber = 0
        while made < documents {
            let n = min(500, documents - made)
            batchNumber += 1
            var batch = SinkBatch(from: FeedPosition(run: "bench", seq: made + 1), through: FeedPosition(run: "bench", seq: made + n), lines: n)
            batch.after = made == 0 ? nil : FeedPosition(run: "bench", seq: made)
            batch.upserts = (0..<n).map { generator.document(number: made + $0) }
            made += n
            let clock = ContinuousClock()
            if let index { indexTime += try clock.measure { try index.apply(batch, sink: "bench") } }
            if let pg { let start = clock.now; _ = try await pg.apply(batch); pgTime += clock.now - start }
            if batchNumber % 40 == 0 { FileHandle.standardError.write(Data("indexed \(made)\n".utf8)) }
        }
        if let pg { pgTime += try await ContinuousClock().measure { try await pg.didApply() } }
        print("\(documents) generated records (Korean and English text, \(generator.meanBodyBytes / max(1, documents)) bytes of body each on average)")
        if index != nil {
            let size = ["", "-wal"].compactMap { try? FileManager.default.attributesOfItem(atPath: path + $0)[.size] as? Int }.reduce(0, +)
            print(String(format: "embedded index: %.0f documents/s (%.1f s), %.0f bytes on disk per document",
                         Double(documents) / seconds(indexTime), seconds(indexTime), Double(size) / Double(documents)))
        }
        if let pg { print(String(format: "postgres (%@ index): %.0f documents/s (%.1f s)", pg.textIndex.rawValue, Double(documents) / seconds(pgTime), seconds(pgTime))) }

        try await measureQueries(index: index, generator: &generator, pg: pg)
    }

    /// Median and p99 latency of `queries` generated queries on the embedded index (and
    /// PostgreSQL).
    func measureQueries(index: SearchIndex?, generator: inout RecordGenerator, pg: PostgresSink?) async throws {
        let sample = (0..<queries).map { generator.query(number: $0) }
        if let index {
            var latencies: [Double] = []
            var hits = 0
            for q in sample {
                let (ms, found) = try timedSearch(index, q)
                latencies.append(ms)
                hits += found
            }
            print(Self.latencyLine("embedded index", latencies, hits: hits, queries: sample.count))
        }
        if let pg {
            var pgLatencies: [Double] = []
            var pgHits = 0
            for q in sample {
                let start = ContinuousClock.now
                pgHits += try await pg.search(SearchQuery(q, limit: 10)).count
                pgLatencies.append(seconds(ContinuousClock.now - start) * 1000)
            }
            print(Self.latencyLine("postgres (\(pg.textIndex.rawValue) index)", pgLatencies, hits: pgHits, queries: sample.count))
            await pg.close()
        }
        print("query mix: \(sample.prefix(8).joined(separator: " | ")) …")
    }

    /// One query's latency in milliseconds and its number of hits (at most 10).
    func timedSearch(_ index: SearchIndex, _ query: String) throws -> (ms: Double, hits: Int) {
        var found = 0
        let d = try ContinuousClock().measure { found = try index.search(SearchQuery(query, limit: 10)).count }
        return (seconds(d) * 1000, found)
    }

    /// The same queries on `packed` and `unpacked`, in turn (which goes first alternates), so a
    /// machine that speeds up or slows down meanwhile affects both alike.
    func comparePacked(_ packed: SearchIndex, _ unpacked: SearchIndex, generator: inout RecordGenerator) throws {
        let sample = (0..<queries).map { generator.query(number: $0) }
        var times: [[Double]] = [[], []], hits = [0, 0]
        for (n, q) in sample.enumerated() {
            for side in n % 2 == 0 ? [0, 1] : [1, 0] {
                let (ms, found) = try timedSearch(side == 0 ? packed : unpacked, q)
                times[side].append(ms)
                hits[side] += found
            }
        }
        print(Self.latencyLine("packed lengths", times[0], hits: hits[0], queries: sample.count))
        print(Self.latencyLine("FTS5 lengths  ", times[1], hits: hits[1], queries: sample.count))
        let ratios = zip(times[0], times[1]).map { $0 / $1 }.sorted()
        print(String(format: "median of the per-query ratios packed/FTS5: %.3f", ratios[ratios.count / 2]))
    }

    static func latencyLine(_ name: String, _ ms: [Double], hits: Int, queries: Int) -> String {
        let sorted = ms.sorted()
        let median = sorted[sorted.count / 2]
        let p99 = sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.99))]
        return String(format: "%@ queries (limit 10): median %.2f ms, p99 %.2f ms, max %.2f ms; %.1f hits per query",
                      name, median, p99, sorted.last!, Double(hits) / Double(queries))
    }

    func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
}

/// Deterministic records: Korean words made of common syllables and English-like words, each
/// drawn with Zipf frequencies, 70% Korean; titles of 8 words, bodies of 150-450.
struct RecordGenerator {
    private var state: UInt64
    private let korean: [String]
    private let english: [String]
    private let zipf: [Double]
    private(set) var meanBodyBytes = 0

    init(seed: UInt64) {
        state = seed
        let syllables = Array("가각간갈감강개거건걸검게격견결경계고곡공과관광교구국군권규균그극근금기긴길김나남내년노농능다단담당대도독동두등디라로료루류리마만말망매면명모목무문물미민바박반발방배백법변별보복본부북분비사산상새생서석선설성세소속수순술시식신실심아안압애야약양어업여역연영예오온완왕외요용우운원위유육윤은음의이인일임입자작장재저적전절정제조종주준중증지직진질차참창책처천청체초총최추출충취측치칙친통투특파판평포표품풍피하학한할함합항해핵행향허혁현협형호화확환활회효후훈휴희")
        var next = seed
        func random() -> UInt64 { next = next &* 6364136223846793005 &+ 1442695040888963407; return next >> 33 }
        var k: [String] = []
        for _ in 0..<20_000 {
            let length = 2 + Int(random() % 3)
            k.append(String((0..<length).map { _ in syllables[Int(random() % UInt64(syllables.count))] }))
        }
        let letters = Array("abcdefghijklmnopqrstuvwxyz"), vowels = Array("aeiou")
        var e: [String] = []
        for _ in 0..<20_000 {
            let length = 2 + Int(random() % 4)
            e.append(String((0..<length).flatMap { _ in [letters[Int(random() % 26)], vowels[Int(random() % 5)]] }))
        }
        korean = k
        english = e
        // Cumulative Zipf weights (s = 1) over 20,000 ranks.
        var total = 0.0
        var cumulative: [Double] = []
        for r in 1...20_000 { total += 1 / Double(r); cumulative.append(total) }
        zipf = cumulative.map { $0 / total }
    }

    private mutating func random() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 33 }
    private mutating func unit() -> Double { Double(random() % 1_000_000) / 1_000_000 }
    private mutating func rank() -> Int {
        let u = unit()
        var lo = 0, hi = zipf.count - 1
        while lo < hi { let mid = (lo + hi) / 2; if zipf[mid] < u { lo = mid + 1 } else { hi = mid } }
        return lo
    }
    private mutating func word() -> String { random() % 10 < 7 ? korean[rank()] : english[rank()] }

    mutating func document(number: Int) -> SinkDocument {
        let title = (0..<8).map { _ in word() }.joined(separator: " ")
        let words = 150 + Int(random() % 300)
        var body = ""
        for i in 0..<words { body += word(); body += i % 12 == 11 ? ". " : " " }
        meanBodyBytes += body.utf8.count
        let id = String(format: "%032x", number)
        return SinkDocument(id: id, source: "bench", url: "https://bench.example/\(number)", title: title,
                            published: String(format: "20%02d-%02d-%02d", 10 + number % 15, 1 + number % 12, 1 + number % 28),
                            language: nil, body: body, contentSHA256: id + id, recordSHA256: id + id, record: Data("{}".utf8))
    }

    /// Queries as people type them: a Korean word, a part of one, an English word, two words.
    mutating func query(number: Int) -> String {
        let r = 20 + Int(random() % 2000)   // specific words, not the commonest
        switch number % 4 {
        case 0: return korean[r]
        case 1: return String(korean[r].prefix(2))
        case 2: return english[r]
        default: return korean[r] + " " + english[20 + Int(random() % 2000)]
        }
    }
}
