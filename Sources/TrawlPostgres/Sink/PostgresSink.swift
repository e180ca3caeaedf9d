import Foundation
import Logging
import PostgresNIO
import Trawl
import TrawlSinks

/// A sink into a PostgreSQL table: one row per record (main columns, the body text, the
/// record as `jsonb`) with a `tsvector` for full-text search, and the sink's cursor in
/// `trawl_sink_cursors`, committed in the transaction that applies its batch, so each change
/// is applied exactly once. `trawl_sink_batches` logs what each transaction applied.
///
/// The full-text index is GIN (PostgreSQL's own) or, when asked for, RUM (`TextIndex`).
///
/// Search works for English (the `english` configuration: stems) and for Korean, Japanese
/// and Chinese (CJK bigrams from `SearchTokens` in the `simple` configuration), whatever the
/// server's locale and without extensions; `PostgresSink.searchSQL` builds the query.
public final class PostgresSink: Sink {
    public let name: String
    public var type: String { "postgres" }
    public let table: String
    /// The key of this sink's cursor and batch log: the table and the output publishing to it.
    let target: String
    /// The table's full-text index.
    public let textIndex: TextIndex
    let endpoint: PostgresEndpoint
    let client: PostgresClient
    let logger: Logger
    private let runTask: Task<Void, Never>
    var pool: PoolRunner { PoolRunner(client: client, logger: logger) }

    /// Words beyond these counts are stored but not put in the tsvector (PostgreSQL caps a
    /// tsvector at 1 MB).
    static let maxVectorWords = 40_000
    static let maxVectorCJKTokens = 30_000
    /// ... and beyond these sizes: a lexeme costs its bytes and about 8 more (entry, position),
    /// so the body's two texts stay under ~1 MB together with the title's, whatever the words.
    static let maxVectorLatinBytes = 300_000
    static let maxVectorCJKBytes = 150_000

    /// How the table's tsvector is indexed.
    /// - `gin`: PostgreSQL's own index. Writes are cheap; a ranked query reads the row of every
    ///   match (to pick the most recent `rankWindow`) and the whole tsvector of each ranked one.
    /// - `rum`: the RUM extension (Postgres Pro, packaged by Debian and others) keeps each
    ///   lexeme's positions in the index and returns matches in rank order from it, so a ranked
    ///   query reads the index alone; each write costs several times more (see the README).
    /// Choosing one drops the other's index from the table.
    public enum TextIndex: String, Sendable { case gin, rum }

    /// `idleInTransaction`: see `PostgresCoordinator.Settings.idleInTransaction`. `output`: the
    /// output directory publishing here, whose own cursor this sink keeps (several outputs may
    /// write one table; without it the cursor is the table's alone).
    public init(name: String, url: String, table: String = "trawl_documents", textIndex: TextIndex = .gin,
                idleInTransaction: Duration = .seconds(10), output: String? = nil, logger: Logger) async throws {
        self.name = name
        self.table = table
        self.target = output.map { "\(table)@\($0)" } ?? table
        self.textIndex = textIndex
        self.logger = logger
        do { endpoint = try PostgresEndpoint(url: url) } catch {
            throw SinkError(sink: name, reason: "\(error)")
        }
        let client = endpoint.makeClient(maxConnections: 2, idleInTransaction: idleInTransaction, logger: logger)
        self.client = client
        runTask = Task { await client.run() }
        do {
            // The pool retries a server it cannot reach for about a minute before it gives up;
            // a sink that is down should cost a harvest less than that.
            try await Self.within(.seconds(Self.connectSeconds), what: "reaching the server") { try await self.pool.execute("SELECT 1") }
            // Not under the time limit: building an index on a table that already holds
            // records (a new table, or another text index) takes as long as it takes.
            try await migrate()
        } catch let error as SinkError {
            runTask.cancel()
            throw error
        } catch {
            runTask.cancel()
            throw SinkError(sink: name, reason: "cannot prepare \(table) in \(endpoint.redacted) (\(String(reflecting: error)))")
        }
    }

    deinit { runTask.cancel() }

    static let connectSeconds = 30

    struct TimedOut: Error, CustomStringConvertible {
        var what: String
        var after: Duration
        var description: String { "no answer after \(after) \(what)" }
    }

    /// Runs `body`, or throws `TimedOut` once `limit` has passed (the body is cancelled).
    static func within<R: Sendable>(_ limit: Duration, what: String, _ body: @escaping @Sendable () async throws -> R) async throws -> R {
        try await withThrowingTaskGroup(of: R?.self) { group in
            group.addTask { try await body() }
            group.addTask { try await Task.sleep(for: limit); return nil }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else { throw TimedOut(what: what, after: limit) }
            return value
        }
    }

    public func close() async { runTask.cancel() }

    func migrate() async throws {
        let t = table
        if textIndex == .rum,
           try await pool.count("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'") == 0 {
            throw SinkError(sink: name, reason: "text_index 'rum' needs the rum extension, which \(endpoint.redacted) does not have "
                + "(Debian and Ubuntu: apt-get install postgresql-<version>-rum; or use text_index 'gin')")
        }
        try await pool.transaction { db in
            try await db.execute("SELECT pg_advisory_xact_lock(\(Locks.sinks))")
            for statement in [
                """
                CREATE TABLE IF NOT EXISTS \(t) (
                    id text PRIMARY KEY, source text NOT NULL, url text NOT NULL, title text, published text, language text,
                    body text NOT NULL, record jsonb NOT NULL, content_sha256 text NOT NULL, record_sha256 text NOT NULL,
                    search tsvector NOT NULL, indexed_at timestamptz NOT NULL DEFAULT now())
                """,
            ] + textIndexStatements + [
                "CREATE INDEX IF NOT EXISTS \(t)_source_published ON \(t) (source, published)",
                "CREATE TABLE IF NOT EXISTS trawl_sink_cursors (target text PRIMARY KEY, run text NOT NULL, seq bigint NOT NULL)",
                """
                CREATE TABLE IF NOT EXISTS trawl_sink_batches (target text NOT NULL, from_run text NOT NULL, from_seq bigint NOT NULL,
                    through_run text NOT NULL, through_seq bigint NOT NULL, documents integer NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())
                """,
            ] {
                try await db.execute(PostgresQuery(unsafeSQL: statement))
            }
        }
    }

    /// Creates the chosen text index (and the RUM extension) and drops the other one.
    private var textIndexStatements: [String] {
        switch textIndex {
        case .gin: return [createTextIndex, "DROP INDEX IF EXISTS \(table)_search_rum"]
        case .rum: return ["CREATE EXTENSION IF NOT EXISTS rum", createTextIndex, "DROP INDEX IF EXISTS \(table)_search"]
        }
    }

    private var textIndexName: String { textIndex == .gin ? "\(table)_search" : "\(table)_search_rum" }

    private var createTextIndex: String {
        let using = textIndex == .gin ? "gin (search)" : "rum (search rum_tsvector_ops)"
        return "CREATE INDEX IF NOT EXISTS \(textIndexName) ON \(table) USING \(using)"
    }

    /// Building a text index over the whole table costs per row a small part of what updating
    /// it costs per inserted row (RUM: about 1/17, measured at 1,000,000 records; GIN less
    /// so). A load that brings at least `bulkLoadMinimum` changes and a tenth of the rows the
    /// table will hold drops the index first and builds it again after (`didApply`); queries
    /// meanwhile scan the table. Killed in between, the index is built when the sink opens.
    static let bulkLoadMinimum = 2_000

    /// Whether `pending` changes into a table of about `rows` rows are built faster by
    /// building the text index afterwards.
    static func rebuildsIndex(pending: Int, rows: Int) -> Bool {
        pending >= bulkLoadMinimum && pending * 10 >= rows + pending
    }

    public func willApply(pending: Int) async throws {
        guard pending >= Self.bulkLoadMinimum else { return }
        try await guarded {
            let rows = try await pool.first(PostgresQuery(unsafeSQL: "SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE oid = '\(table)'::regclass"),
                                            Int.self) ?? 0
            guard Self.rebuildsIndex(pending: pending, rows: rows) else { return }
            logger.info("dropping the text index for a load", metadata: ["sink": "\(name)", "pending": "\(pending)", "rows": "\(rows)"])
            try await pool.execute(PostgresQuery(unsafeSQL: "DROP INDEX IF EXISTS \(textIndexName)"))
        }
    }

    public func didApply() async throws {
        try await guarded {
            guard try await pool.count(PostgresQuery(unsafeSQL: "SELECT 1 WHERE to_regclass('\(textIndexName)') IS NULL")) == 1 else { return }
            try await pool.transaction { db in
                try await db.execute("SET LOCAL maintenance_work_mem = '256MB'")
                try await db.execute(PostgresQuery(unsafeSQL: createTextIndex))
            }
        }
    }

    // The cursor belongs to the table and the output: it says which of that output's changes
    // the table holds. A cursor kept by the table alone (before outputs had their own) is
    // taken over by the first output that publishes.
    public func cursor() async throws -> FeedPosition? {
        let target = self.target, table = self.table
        return try await guarded {
            if target != table {
                try await pool.execute("""
                    UPDATE trawl_sink_cursors SET target = \(target) WHERE target = \(table)
                      AND NOT EXISTS (SELECT 1 FROM trawl_sink_cursors WHERE target = \(target))
                    """)
            }
            return try await pool.first("SELECT run, seq FROM trawl_sink_cursors WHERE target = \(target)", (String, Int).self)
                .map { FeedPosition(run: $0.0, seq: $0.1) }
        }
    }

    public func apply(_ batch: SinkBatch) async throws -> [SinkStatus.Reject] {
        let t = table
        let docs = batch.upserts
        // PostgreSQL's text cannot hold U+0000, nor jsonb its escape: both become U+FFFD.
        func clean(_ s: String?) -> String? { s.map { $0.contains("\u{0}") ? $0.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}") : $0 } }
        let ids = docs.map(\.id)
        let sources = docs.map(\.source)
        let urls = docs.map(\.url)
        let titles = docs.map { clean($0.title) ?? "" }
        let hasTitle = docs.map { $0.title != nil }
        let published = docs.map { $0.published ?? "" }
        let languages = docs.map { $0.language ?? "" }
        let bodies = docs.map { clean($0.body)! }
        // The text is cut once here: other words go to the `english` configuration, CJK
        // bigrams to `simple` (whole Korean words would only bloat the english vector).
        let titleTexts = docs.map { SearchTokens.indexTexts($0.title ?? "", latinLimit: 1_000, cjkLimit: 1_000) }
        let bodyTexts = docs.map {
            SearchTokens.indexTexts($0.body, latinLimit: Self.maxVectorWords, cjkLimit: Self.maxVectorCJKTokens,
                                    latinBytes: Self.maxVectorLatinBytes, cjkBytes: Self.maxVectorCJKBytes)
        }
        let titleLatin = titleTexts.map(\.latin), titleCJK = titleTexts.map(\.cjk)
        let bodyLatin = bodyTexts.map(\.latin), bodyCJK = bodyTexts.map(\.cjk)
        let records = docs.map { String(decoding: $0.record, as: UTF8.self).replacingOccurrences(of: "\\u0000", with: "\\ufffd") }
        let contents = docs.map(\.contentSHA256)
        let hashes = docs.map(\.recordSHA256)
        let columns = [ids, sources, urls, titles, published, languages, bodies, titleLatin, bodyLatin, titleCJK, bodyCJK, records, contents, hashes]
        /// Inserts the documents at `rows` in one statement.
        func insert(_ rows: [Int], _ db: ConnectionRunner) async throws {
            var binds = PostgresBindings()
            for column in columns { binds.append(rows.map { column[$0] }) }
            binds.append(rows.map { hasTitle[$0] })
            try await db.execute(PostgresQuery(unsafeSQL: Self.upsertSQL(t), binds: binds))
        }
        var rejects: [SinkStatus.Reject] = []
        do {
            try await guarded { try await commit(batch, documents: docs.count) { db in try await insert(Array(docs.indices), db) } }
        } catch let error as SinkError where error.reason.contains("tsvector") || error.reason.contains("54000") {
            // A document the server still cannot index (its vector over PostgreSQL's limit)
            // is refused by id; the rest of the batch and the cursor go on.
            rejects = []
            try await guarded {
                try await commit(batch, documents: docs.count) { db in
                    for row in docs.indices {
                        try await db.execute("SAVEPOINT trawl_document")
                        do {
                            try await insert([row], db)
                            try await db.execute("RELEASE SAVEPOINT trawl_document")
                        } catch {
                            try await db.execute("ROLLBACK TO SAVEPOINT trawl_document")
                            rejects.append(.init(id: ids[row], reason: "PostgreSQL cannot index it: \(String(reflecting: error).prefix(300))"))
                        }
                    }
                }
            }
        }
        return rejects
    }

    /// The upsert of documents given as parallel arrays.
    static func upsertSQL(_ t: String) -> String {
        """
        INSERT INTO \(t) (id, source, url, title, published, language, body, record, content_sha256, record_sha256, search, indexed_at)
        SELECT id, source, url, CASE WHEN has_title THEN title END, nullif(published, ''), nullif(language, ''), body,
               record::jsonb, content_sha256, record_sha256,
               setweight(to_tsvector('english', title_latin), 'A') || setweight(to_tsvector('simple', title_cjk), 'A')
                 || to_tsvector('english', body_latin) || to_tsvector('simple', body_cjk),
               now()
        FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                    $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::bool[])
             AS u(id, source, url, title, published, language, body, title_latin, body_latin, title_cjk, body_cjk, record,
                  content_sha256, record_sha256, has_title)
        ON CONFLICT (id) DO UPDATE SET source = excluded.source, url = excluded.url, title = excluded.title,
            published = excluded.published, language = excluded.language, body = excluded.body, record = excluded.record,
            content_sha256 = excluded.content_sha256, record_sha256 = excluded.record_sha256,
            search = excluded.search, indexed_at = excluded.indexed_at
        """
    }

    /// One batch's transaction: the cursor check, the deletes, `upserts`, the cursor and the
    /// batch log, committed together.
    private func commit(_ batch: SinkBatch, documents: Int, upserts: (ConnectionRunner) async throws -> Void) async throws {
        let t = table, target = self.target
        let name = self.name
        try await pool.transaction { db in
            // Compare-and-set: the cursor moves only from where this publish found it.
            let row = try await db.first("SELECT run, seq FROM trawl_sink_cursors WHERE target = \(target) FOR UPDATE", (String, Int).self)
            let current = row.map { FeedPosition(run: $0.0, seq: $0.1) }
            guard current == batch.after else { throw batch.cursorMoved(sink: name, found: current) }
            if !batch.deletes.isEmpty {
                try await db.execute(PostgresQuery(unsafeSQL: "DELETE FROM \(t) WHERE id = ANY($1)", binds: Self.binds(batch.deletes)))
            }
            if documents > 0 { try await upserts(db) }
            try await db.execute("""
                INSERT INTO trawl_sink_cursors (target, run, seq) VALUES (\(target), \(batch.through.run), \(batch.through.seq))
                ON CONFLICT (target) DO UPDATE SET run = excluded.run, seq = excluded.seq
                """)
            try await db.execute("""
                INSERT INTO trawl_sink_batches (target, from_run, from_seq, through_run, through_seq, documents)
                VALUES (\(target), \(batch.from.run), \(batch.from.seq), \(batch.through.run), \(batch.through.seq), \(documents + batch.deletes.count))
                """)
        }
    }

    public func reset() async throws {
        let t = table
        try await guarded {
            try await pool.transaction { db in
                try await db.execute(PostgresQuery(unsafeSQL: "DELETE FROM \(t)"))
                // The table is emptied for every output writing to it: their cursors go too, so
                // each replays its feeds.
                let prefix = t + "@"
                try await db.execute("DELETE FROM trawl_sink_cursors WHERE target = \(t) OR left(target, \(prefix.count)) = \(prefix)")
                try await db.execute("DELETE FROM trawl_sink_batches WHERE target = \(t) OR left(target, \(prefix.count)) = \(prefix)")
            }
        }
    }

    /// Ids with the SHA-256 of the record each row was written from.
    public func contents() async throws -> [String: String] {
        let rows = try await pool.all(PostgresQuery(unsafeSQL: "SELECT id, record_sha256 FROM \(table)"), (String, String).self)
        return Dictionary(rows.map { ($0.0, $0.1) }, uniquingKeysWith: { a, _ in a })
    }

    /// The batches applied, in order.
    public func appliedBatches() async throws -> [(from: FeedPosition, through: FeedPosition)] {
        try await pool.all("""
            SELECT from_run, from_seq, through_run, through_seq FROM trawl_sink_batches WHERE target = \(target) ORDER BY applied_at, through_run, through_seq
            """, (String, Int, String, Int).self).map { (FeedPosition(run: $0.0, seq: $0.1), FeedPosition(run: $0.2, seq: $0.3)) }
    }

    /// Ids of the best matches for `query`, ranked (title first).
    public func search(_ query: SearchQuery) async throws -> [String] {
        guard let (sql, binds) = Self.searchSQL(query, table: table, textIndex: textIndex) else { return [] }
        return try await pool.all(PostgresQuery(unsafeSQL: sql, binds: binds), String.self)
    }

    /// A ranked search of a sink's table for `query` (same syntax as the embedded index),
    /// as SQL with its parameters. With a GIN index, the most recent `window` matches are
    /// ranked with `ts_rank_cd`; with RUM, every match, in the index's order (`<=>`, its
    /// ts_rank distance).
    public static func searchSQL(_ query: SearchQuery, table: String, textIndex: TextIndex = .gin,
                                 window: Int = SearchIndex.rankWindow) -> (String, PostgresBindings)? {
        var binds = PostgresBindings()
        func param(_ value: String) -> String { binds.append(value); return "$\(binds.count)" }
        var clauses: [String] = []
        var pendingOr = false
        for term in SearchQuery.terms(query.text) {
            if !term.quoted, term.text == "OR" { pendingOr = !clauses.isEmpty; continue }
            var body = term.text
            var prefix = false
            if !term.quoted, body.hasSuffix("*") { body.removeLast(); prefix = true }
            var pieces: [String] = []
            var latin: [String] = []
            var cjk: [String] = []
            SearchTokens.scan(body, forQuery: true) { t in
                if let first = t.text.unicodeScalars.first, SearchTokens.isCJK(first) { cjk.append(t.text) } else { latin.append(t.text) }
            }
            if cjk.count == 1, cjk[0].unicodeScalars.count == 1 {
                pieces.append("to_tsquery('simple', \(param(cjk[0] + ":*")))")
            } else if !cjk.isEmpty {
                pieces.append("phraseto_tsquery('simple', \(param(cjk.joined(separator: " "))))")
            }
            if !latin.isEmpty {
                if prefix, latin.count == 1, latin[0].allSatisfy({ $0.isLetter || $0.isNumber }) {
                    pieces.append("to_tsquery('english', \(param(latin[0] + ":*")))")
                } else {
                    pieces.append("phraseto_tsquery('english', \(param(latin.joined(separator: " "))))")
                }
            }
            guard !pieces.isEmpty else { continue }
            let clause = "(" + pieces.joined(separator: " && ") + ")"
            if pendingOr, let last = clauses.popLast() { clauses.append("(\(last) || \(clause))"); pendingOr = false } else { clauses.append(clause) }
        }
        guard !clauses.isEmpty else { return nil }
        let q = "(" + clauses.joined(separator: " && ") + ")"
        var filters = ""
        if let source = query.source { filters += " AND source = \(param(source))" }
        if let since = query.since { filters += " AND published >= \(param(since))" }
        binds.append(query.limit)
        if textIndex == .rum {
            // The query inline (not from a CTE): the index orders by `<=>` only against a
            // value known when the scan starts.
            return ("SELECT id FROM \(table) WHERE search @@ \(q)\(filters) ORDER BY search <=> \(q) LIMIT $\(binds.count)", binds)
        }
        // As in the embedded index, a query matching more than `rankWindow` rows ranks the most
        // recently indexed of them: ranking reads every ranked row's whole tsvector.
        let recent = "SELECT id, search, published FROM \(table), query WHERE search @@ q\(filters) ORDER BY indexed_at DESC LIMIT \(window)"
        let sql = "WITH query AS (SELECT \(q) AS q) "
            + "SELECT id FROM (\(recent)) AS recent, query ORDER BY ts_rank_cd(search, q) DESC, published DESC NULLS LAST LIMIT $\(binds.count)"
        return (sql, binds)
    }

    static func binds(_ values: [String]) -> PostgresBindings {
        var b = PostgresBindings()
        b.append(values)
        return b
    }

    /// A database that cannot be reached is the sink being down, said in one line.
    private func guarded<R>(_ body: () async throws -> R) async throws -> R {
        do { return try await body() } catch let error as SinkError { throw error } catch {
            throw SinkError(sink: name, reason: "\(endpoint.redacted): \(String(reflecting: error))")
        }
    }
}
