import CTrawlFTS
import Foundation
import GRDB
import Trawl

/// The embedded full-text index, `OUTPUT/search.sqlite`: a row of main fields per record and
/// an FTS5 table of title and body (release and attachment text) ranked with BM25, cut into
/// words and CJK bigrams by `BigramTokenizer` and stemmed by porter. The publish cursor lives
/// in the same database and moves in the transaction that applies its batch.
public final class SearchIndex: Sendable {
    public static func file(output: URL) -> URL { output.appendingPathComponent("search.sqlite") }
    /// Body text beyond this many UTF-8 bytes is not indexed (the record keeps all of it).
    public static let maxBodyBytes = 4 << 20
    /// A query matching more records than this ranks the most recently indexed of them, so its
    /// time does not grow with the index (a query that common is a browse, not a search).
    public static let rankWindow = 20_000

    private let db: DatabaseQueue
    public let path: String
    /// BM25 weights of the title and the body.
    static let columnWeights = "4.0, 1.0"
    /// Rows counted per query phrase for its document frequency before `trawl_bm25`
    /// extrapolates (see CTrawlFTS.c): a common word costs this many rows, not all of its rows.
    public static let frequencySample = 2_000
    /// `rankWindow` unless a benchmark tries another.
    public let window: Int
    /// Whether ranking reads row lengths from `documents_length` (a benchmark compares).
    public let packedLengths: Bool

    /// Opens (creating when `create`) the index at `file`.
    public init(file: URL, create: Bool = true, rankWindow: Int = SearchIndex.rankWindow, packedLengths: Bool = true) throws {
        path = file.path
        window = rankWindow
        self.packedLengths = packedLengths
        if !create, !FileManager.default.fileExists(atPath: file.path) {
            throw SinkError(sink: "index", reason: "no search index at \(file.path) (a run or `trawl publish` builds it)")
        }
        let config = Self.configuration()
        do {
            if create { try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true) }
            db = try DatabaseQueue(path: file.path, configuration: config)
            // WAL: `trawl search` and the status page read while a publish writes.
            try db.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = WAL") }
            try db.write { db in
                try db.execute(sql: """
                    CREATE TABLE IF NOT EXISTS documents(
                        rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, source TEXT NOT NULL, url TEXT NOT NULL,
                        title TEXT, published TEXT, language TEXT,
                        content_sha256 TEXT NOT NULL, record_sha256 TEXT NOT NULL);
                    CREATE INDEX IF NOT EXISTS documents_source_published ON documents(source, published);
                    CREATE INDEX IF NOT EXISTS documents_published ON documents(published);
                    CREATE VIRTUAL TABLE IF NOT EXISTS documents_text USING fts5(title, body, tokenize = 'porter trawl_bigram');
                    CREATE TABLE IF NOT EXISTS cursors(sink TEXT PRIMARY KEY, run TEXT NOT NULL, seq INTEGER NOT NULL);
                    CREATE TABLE IF NOT EXISTS batches(
                        sink TEXT NOT NULL, from_run TEXT NOT NULL, from_seq INTEGER NOT NULL,
                        through_run TEXT NOT NULL, through_seq INTEGER NOT NULL, documents INTEGER NOT NULL, applied_at TEXT NOT NULL);
                    """)
                try Self.createLengths(db)
            }
        } catch {
            throw SinkError(sink: "index", reason: "cannot open the search index \(file.path) (\(error))")
        }
    }

    /// Every connection gets the tokenizer and `trawl_bm25`, and waits for a writer.
    static func configuration() -> Configuration {
        var config = Configuration()
        config.prepareDatabase { db in
            db.add(tokenizer: BigramTokenizer.self)
            let rc = trawl_fts_register(db.sqliteConnection)
            if rc != 0 { throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: "cannot register trawl_bm25") }
        }
        config.busyMode = .timeout(30)
        return config
    }

    // MARK: Row lengths

    /// Rowids per block of `documents_length`.
    static let lengthBlockBits = Int(TRAWL_FTS_LENGTH_BLOCK_BITS)

    /// `documents_length`: each row's length in tokens, packed by blocks of rowids, so that
    /// ranking reads one row per block instead of one FTS5 %_docsize row per match (see
    /// CTrawlFTS.c). Triggers on `documents` delete a block whenever one of its records
    /// changes, whoever changes it (an older Trawl too): a missing block is read from FTS5,
    /// a stale one is never read. `apply` writes the blocks it touched again. An index made
    /// before the table existed gets it filled once, here.
    static func createLengths(_ db: Database) throws {
        guard try !db.tableExists("documents_length") else { return }
        let block = "rowid >> \(lengthBlockBits)"
        try db.execute(sql: """
            CREATE TABLE documents_length(block INTEGER PRIMARY KEY, lengths BLOB NOT NULL);
            CREATE TRIGGER IF NOT EXISTS documents_length_insert AFTER INSERT ON documents
                BEGIN DELETE FROM documents_length WHERE block = NEW.\(block); END;
            CREATE TRIGGER IF NOT EXISTS documents_length_update AFTER UPDATE ON documents
                BEGIN DELETE FROM documents_length WHERE block = OLD.\(block) OR block = NEW.\(block); END;
            CREATE TRIGGER IF NOT EXISTS documents_length_delete AFTER DELETE ON documents
                BEGIN DELETE FROM documents_length WHERE block = OLD.\(block); END;
            INSERT INTO documents_length(block, lengths)
                SELECT id >> \(lengthBlockBits), trawl_length_block(id, sz) FROM documents_text_docsize GROUP BY id >> \(lengthBlockBits);
            """)
    }

    /// Writes the blocks holding `rowids` again from FTS5's row sizes.
    static func writeLengths(_ db: Database, rowids: some Sequence<Int64>) throws {
        let blocks = Set(rowids.map { $0 >> Int64(lengthBlockBits) })
        for block in blocks.sorted() {
            let low = block << Int64(lengthBlockBits), high = low + (1 << Int64(lengthBlockBits)) - 1
            try db.execute(sql: "DELETE FROM documents_length WHERE block = ?", arguments: [block])
            try db.execute(sql: """
                INSERT INTO documents_length(block, lengths)
                SELECT ?, trawl_length_block(id, sz) FROM documents_text_docsize WHERE id BETWEEN ? AND ? GROUP BY id >> \(lengthBlockBits)
                """, arguments: [block, low, high])
        }
    }

    // MARK: Publishing

    public func cursor(sink: String) throws -> FeedPosition? {
        try db.read { db in
            try Row.fetchOne(db, sql: "SELECT run, seq FROM cursors WHERE sink = ?", arguments: [sink])
                .map { FeedPosition(run: $0["run"], seq: $0["seq"]) }
        }
    }

    /// Applies a batch and moves the cursor in one transaction: a kill at any point leaves
    /// either all of it or none.
    public func apply(_ batch: SinkBatch, sink: String) throws {
        try db.write { db in
            let current = try Row.fetchOne(db, sql: "SELECT run, seq FROM cursors WHERE sink = ?", arguments: [sink])
                .map { FeedPosition(run: $0["run"], seq: $0["seq"]) }
            guard current == batch.after else { throw batch.cursorMoved(sink: sink, found: current) }
            var touched: [Int64] = []
            for id in batch.deletes {
                if let rowid = try Int64.fetchOne(db, sql: "SELECT rowid FROM documents WHERE id = ?", arguments: [id]) {
                    try db.execute(sql: "DELETE FROM documents_text WHERE rowid = ?", arguments: [rowid])
                    try db.execute(sql: "DELETE FROM documents WHERE rowid = ?", arguments: [rowid])
                    touched.append(rowid)
                }
            }
            for d in batch.upserts {
                let rowid = try Int64.fetchOne(db, sql: """
                    INSERT INTO documents(id, source, url, title, published, language, content_sha256, record_sha256)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET source = excluded.source, url = excluded.url, title = excluded.title,
                        published = excluded.published, language = excluded.language,
                        content_sha256 = excluded.content_sha256, record_sha256 = excluded.record_sha256
                    RETURNING rowid
                    """, arguments: [d.id, d.source, d.url, d.title, d.published, d.language, d.contentSHA256, d.recordSHA256])!
                try db.execute(sql: "DELETE FROM documents_text WHERE rowid = ?", arguments: [rowid])
                try db.execute(sql: "INSERT INTO documents_text(rowid, title, body) VALUES (?, ?, ?)",
                               arguments: [rowid, d.title ?? "", Self.capped(d.body)])
                touched.append(rowid)
            }
            try Self.writeLengths(db, rowids: touched)
            try db.execute(sql: "INSERT INTO cursors(sink, run, seq) VALUES (?, ?, ?) ON CONFLICT(sink) DO UPDATE SET run = excluded.run, seq = excluded.seq",
                           arguments: [sink, batch.through.run, batch.through.seq])
            try db.execute(sql: "INSERT INTO batches VALUES (?, ?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
                           arguments: [sink, batch.from.run, batch.from.seq, batch.through.run, batch.through.seq, batch.upserts.count + batch.deletes.count])
        }
    }

    /// Empties the index and forgets the cursor, for a replay from the first feed.
    public func reset(sink: String) throws {
        try db.write { db in
            try db.execute(sql: "DELETE FROM documents_length; DELETE FROM documents_text; DELETE FROM documents; DELETE FROM batches WHERE sink = ?; DELETE FROM cursors WHERE sink = ?",
                           arguments: [sink, sink])
        }
    }

    static func capped(_ body: String) -> String {
        guard body.utf8.count > maxBodyBytes else { return body }
        // A cut inside a character decodes as U+FFFD at the end: dropped.
        var text = String(decoding: body.utf8.prefix(maxBodyBytes), as: UTF8.self)
        while text.unicodeScalars.last == "\u{FFFD}" { text.unicodeScalars.removeLast() }
        return text
    }

    // MARK: Reading

    /// Ids with the SHA-256 of the record each was indexed from.
    public func contents() throws -> [String: String] {
        try db.read { db in
            var out: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, record_sha256 FROM documents") { out[row["id"]] = row["record_sha256"] }
            return out
        }
    }

    public func count() throws -> Int { try db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM documents") ?? 0 } }

    /// The batches applied, in order (for checking that none was applied twice).
    public func appliedBatches(sink: String) throws -> [(from: FeedPosition, through: FeedPosition)] {
        try db.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM batches WHERE sink = ? ORDER BY rowid", arguments: [sink]).map {
                (FeedPosition(run: $0["from_run"], seq: $0["from_seq"]), FeedPosition(run: $0["through_run"], seq: $0["through_seq"]))
            }
        }
    }

    /// Ranked hits for a query (see `SearchQuery` for its syntax); BM25 (`trawl_bm25`, see
    /// CTrawlFTS.c) with the title weighted 4 to 1 over the body, newer first among equals.
    public func search(_ query: SearchQuery) throws -> [SearchHit] {
        guard let match = query.matchExpression() else { return [] }
        // First the best rows by rank alone, then fields and snippets for those few: computed
        // in one statement, SQLite would build a snippet for every matching row before sorting.
        // trawl_bm25's frequency estimate needs the rowid range the index spans: one aggregate
        // per subquery, so that SQLite reads each from an end of the b-tree, once per query.
        let span = "(SELECT min(rowid) FROM documents), (SELECT max(rowid) FROM documents)"
        var top = "SELECT t.rowid, trawl_bm25(documents_text, ?, \(span), \(packedLengths ? "'documents_length'" : "NULL"), \(Self.columnWeights)) AS score FROM documents_text t"
        var arguments: StatementArguments = [Self.frequencySample]
        if query.source != nil || query.since != nil { top += " JOIN documents d ON d.rowid = t.rowid" }
        top += " WHERE documents_text MATCH ?"
        _ = arguments.append(contentsOf: [match])
        if let source = query.source { top += " AND d.source = ?"; _ = arguments.append(contentsOf: [source]) }
        if let since = query.since { top += " AND d.published >= ?"; _ = arguments.append(contentsOf: [since]) }
        // The cost of ranking grows with the matches; beyond `rankWindow` of them, the most
        // recently indexed are ranked (FTS5 walks rowids newest first without ranking).
        top = "SELECT rowid, score FROM (" + top + " ORDER BY t.rowid DESC LIMIT \(window)) ORDER BY score LIMIT ?"
        _ = arguments.append(contentsOf: [query.limit])
        let details = """
            SELECT d.id, d.source, d.url, d.title, d.published, snippet(documents_text, -1, char(1), char(2), '…', 16) AS snippet
            FROM documents_text JOIN documents d ON d.rowid = documents_text.rowid
            WHERE documents_text MATCH ? AND documents_text.rowid = ?
            """
        do {
            return try db.read { db in
                var hits: [SearchHit] = []
                // Cached: compiling (and GRDB's authorizer) cost a tenth of a query, once per hit.
                let detailStatement = try db.cachedStatement(sql: details)
                for row in try Row.fetchAll(db.cachedStatement(sql: top), arguments: arguments) {
                    let rowid: Int64 = row[0], rank: Double = row[1]
                    guard let d = try Row.fetchOne(detailStatement, arguments: [match, rowid]) else { continue }
                    hits.append(SearchHit(id: d["id"], source: d["source"], url: d["url"], title: d["title"], published: d["published"],
                                          snippet: d["snippet"] ?? "", score: -rank))
                }
                // Equal scores (copies of one release): the newer first.
                return hits.enumerated().sorted { a, b in
                    a.element.score != b.element.score ? a.element.score > b.element.score
                        : (a.element.published ?? "", b.offset) > (b.element.published ?? "", a.offset)
                }.map(\.element)
            }
        } catch {
            throw SinkError(sink: "index", reason: "cannot search for \(query.text.debugDescription) (\(error))")
        }
    }
}

/// One search result; `snippet` marks matches with U+0001 … U+0002 (see `SearchHit.marked`).
public struct SearchHit: Sendable, Codable, Equatable {
    public var id: String
    public var source: String
    public var url: String
    public var title: String?
    public var published: String?
    public var snippet: String
    /// Higher is better (BM25, sign turned).
    public var score: Double

    /// The snippet with its matches wrapped in `open` … `close`, each piece of text passed
    /// through `escape` (HTML pages escape, terminals do not).
    public func marked(open: String, close: String, escape: (Substring) -> String = { String($0) }) -> String {
        var out = ""
        var rest = Substring(snippet)
        while let i = rest.firstIndex(where: { $0 == "\u{1}" || $0 == "\u{2}" }) {
            out += escape(rest[..<i])
            out += rest[i] == "\u{1}" ? open : close
            rest = rest[rest.index(after: i)...]
        }
        return out + escape(rest)
    }
}
