import Foundation
import GRDB
import TrawlDedup

/// A document the ledger remembers: a record (by its id) or an attachment (by its SHA-256).
public struct LedgerDocument: Sendable, Equatable {
    public enum Kind: String, Sendable { case record, attachment }

    /// The content hash of a retired document (a deleted record's): no content hashes to it.
    public static let retired = "retired"

    public var id: String
    public var kind: Kind
    public var url: String
    public var published: String?
    public var contentSHA256: String
    public var signature: MinHashSignature
    /// The original this document repeats, when it is a duplicate.
    public var duplicateOf: String?
    public var similarity: Double?
    public var firstRun: String
    public var lastRun: String

    public init(id: String, kind: Kind, url: String, published: String?, contentSHA256: String,
                signature: MinHashSignature, duplicateOf: String? = nil, similarity: Double? = nil,
                firstRun: String, lastRun: String) {
        self.id = id; self.kind = kind; self.url = url; self.published = published
        self.contentSHA256 = contentSHA256; self.signature = signature
        self.duplicateOf = duplicateOf; self.similarity = similarity
        self.firstRun = firstRun; self.lastRun = lastRun
    }
}

/// Trawl's state between runs, in one SQLite file (WAL): every document seen, its content
/// hash and MinHash signature, and LSH band buckets so that a near-duplicate lookup reads a
/// handful of index entries instead of scanning every document.
public final class Ledger: Sendable {
    public struct Error: Swift.Error, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "ledger \(path): \(reason)" }
    }

    private let db: DatabasePool
    public let path: String

    /// `writerCacheMiB` bounds the writer's page cache: small for runs (memory stays flat as
    /// the ledger grows; the OS page cache still holds hot pages), large for bulk loads.
    public init(path: String, writerCacheMiB: Int = 8) throws {
        self.path = path
        do {
            try FileManager.default.createDirectory(at: URL(fileURLWithPath: path).deletingLastPathComponent(),
                                                    withIntermediateDirectories: true)
            var config = Configuration()
            config.busyMode = .timeout(10)
            // Each reader connection holds its own page cache, which fills as the ledger
            // grows; a run's stages never read with more connections than there are cores.
            config.maximumReaderCount = max(2, min(ProcessInfo.processInfo.activeProcessorCount, 5))
            config.prepareDatabase { db in
                // WAL with NORMAL sync is durable across process crashes (the case that
                // matters for a killed run).
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                // Only the writer gets the large cache: each reader connection of the pool
                // has its own, and several large reader caches would grow memory with the
                // ledger's size. Readers keep SQLite's default (2 MiB).
                if !db.configuration.readonly { try db.execute(sql: "PRAGMA cache_size = -\(writerCacheMiB * 1024)") }
            }
            db = try DatabasePool(path: path, configuration: config)
            try Self.migrator.migrate(db)
        } catch {
            throw Error(path: path, reason: "cannot open (\(error))")
        }
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE documents (
                    rowid INTEGER PRIMARY KEY,
                    id TEXT NOT NULL UNIQUE,
                    kind TEXT NOT NULL,
                    url TEXT NOT NULL,
                    published TEXT,
                    content_sha256 TEXT NOT NULL,
                    signature BLOB NOT NULL,
                    duplicate_of TEXT,
                    similarity REAL,
                    first_run TEXT NOT NULL,
                    last_run TEXT NOT NULL
                );
                CREATE INDEX documents_content ON documents(content_sha256);
                CREATE INDEX documents_duplicate_of ON documents(duplicate_of) WHERE duplicate_of IS NOT NULL;
                -- One row per (band key, document). WITHOUT ROWID keeps the bucket index and
                -- the table one and the same B-tree.
                CREATE TABLE lsh_bands (
                    key INTEGER NOT NULL,
                    doc INTEGER NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE,
                    PRIMARY KEY (key, doc)
                ) WITHOUT ROWID;
                CREATE TABLE runs (id TEXT PRIMARY KEY, started TEXT NOT NULL, finished TEXT);
                """)
        }
        m.registerMigration("v2-quarantine") { db in
            try db.execute(sql: """
                CREATE TABLE quarantine (
                    sha256 TEXT PRIMARY KEY,
                    reason TEXT NOT NULL,
                    message TEXT NOT NULL,
                    url TEXT NOT NULL,
                    since TEXT NOT NULL
                );
                """)
        }
        registerURLState(&m)
        return m
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T { try db.read(body) }
    func write<T>(_ body: (Database) throws -> T) throws -> T { try db.write(body) }

    // MARK: Quarantine

    /// An input that crashed, hung or exhausted a worker: skipped until its bytes change
    /// (a different SHA-256) or the operator clears it.
    public struct QuarantineEntry: Sendable, Equatable {
        public var sha256: String
        public var reason: String
        public var message: String
        public var url: String
        public var since: String

        public init(sha256: String, reason: String, message: String, url: String, since: String) {
            self.sha256 = sha256; self.reason = reason; self.message = message; self.url = url; self.since = since
        }
    }

    public func quarantined(_ sha256: String) throws -> QuarantineEntry? {
        try db.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM quarantine WHERE sha256 = ?", arguments: [sha256]).map(Self.entry)
        }
    }

    public func quarantine(_ e: QuarantineEntry) throws {
        try db.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO quarantine (sha256, reason, message, url, since) VALUES (?, ?, ?, ?, ?)",
                           arguments: [e.sha256, e.reason, e.message, e.url, e.since])
        }
    }

    public func quarantineList() throws -> [QuarantineEntry] {
        try db.read { db in try Row.fetchAll(db, sql: "SELECT * FROM quarantine ORDER BY since, sha256").map(Self.entry) }
    }

    /// Clears the given entries (all when `sha256s` is nil); returns how many were removed.
    public func clearQuarantine(_ sha256s: [String]?) throws -> Int {
        try db.write { db in
            if let sha256s {
                for sha in sha256s { try db.execute(sql: "DELETE FROM quarantine WHERE sha256 = ?", arguments: [sha]) }
            } else {
                try db.execute(sql: "DELETE FROM quarantine")
            }
            return db.changesCount
        }
    }

    private static func entry(_ row: Row) -> QuarantineEntry {
        QuarantineEntry(sha256: row["sha256"], reason: row["reason"], message: row["message"], url: row["url"], since: row["since"])
    }

    // MARK: Runs

    public func beginRun(_ id: String, at date: String) throws {
        try db.write { try $0.execute(sql: "INSERT OR REPLACE INTO runs(id, started) VALUES (?, ?)", arguments: [id, date]) }
    }

    public func finishRun(_ id: String, at date: String) throws {
        try db.write { try $0.execute(sql: "UPDATE runs SET finished = ? WHERE id = ?", arguments: [date, id]) }
    }

    // MARK: Documents

    private static let columns = "rowid, id, kind, url, published, content_sha256, signature, duplicate_of, similarity, first_run, last_run"

    private static func document(_ row: Row) -> LedgerDocument? {
        guard let signature = MinHashSignature(bytes: [UInt8](row["signature"] as Data)),
              let kind = LedgerDocument.Kind(rawValue: row["kind"]) else { return nil }
        return LedgerDocument(id: row["id"], kind: kind, url: row["url"], published: row["published"],
                              contentSHA256: row["content_sha256"], signature: signature,
                              duplicateOf: row["duplicate_of"], similarity: row["similarity"],
                              firstRun: row["first_run"], lastRun: row["last_run"])
    }

    public func document(id: String) throws -> LedgerDocument? {
        try db.read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT \(Self.columns) FROM documents WHERE id = ?"), arguments: [id]).flatMap(Self.document)
        }
    }

    /// Documents of `kind` with exactly this content, oldest first.
    public func documents(contentSHA256: String, kind: LedgerDocument.Kind) throws -> [LedgerDocument] {
        try db.read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT \(Self.columns) FROM documents WHERE content_sha256 = ? AND kind = ? ORDER BY rowid"),
                             arguments: [contentSHA256, kind.rawValue]).compactMap(Self.document)
        }
    }

    /// Documents of `kind` that share at least one LSH band with `signature`, oldest first.
    public func candidates(for signature: MinHashSignature, kind: LedgerDocument.Kind) throws -> [LedgerDocument] {
        try db.read { db in
            var rowids = Set<Int64>()
            let statement = try db.cachedStatement(sql: "SELECT doc FROM lsh_bands WHERE key = ?")
            for key in signature.bandKeys {
                rowids.formUnion(try Int64.fetchAll(statement, arguments: [key]))
            }
            guard !rowids.isEmpty else { return [] }
            return try Row.fetchAll(db, sql: "SELECT \(Self.columns) FROM documents WHERE rowid IN (\(rowids.sorted().map(String.init).joined(separator: ","))) AND kind = ? ORDER BY rowid",
                                    arguments: [kind.rawValue]).compactMap(Self.document)
        }
    }

    /// Inserts or updates a document (its bands follow its signature).
    public func save(_ d: LedgerDocument) throws {
        try db.write { db in try Self.save(d, in: db) }
    }

    /// Saves many documents in one transaction (the fast path for bulk loads): band rows are
    /// inserted in key order, so each page of the band index is visited once per batch.
    public func save(_ documents: [LedgerDocument]) throws {
        try db.write { db in
            var bands: [(key: Int64, doc: Int64)] = []
            for d in documents {
                let (rowid, keys) = try Self.saveRow(d, in: db)
                bands += keys.map { (key: $0, doc: rowid) }
            }
            bands.sort { ($0.key, $0.doc) < ($1.key, $1.doc) }
            let insert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO lsh_bands (key, doc) VALUES (?, ?)")
            for band in bands { try insert.execute(arguments: [band.key, band.doc]) }
        }
    }

    private static func save(_ d: LedgerDocument, in db: Database) throws {
        let (rowid, keys) = try saveRow(d, in: db)
        let insert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO lsh_bands (key, doc) VALUES (?, ?)")
        for key in keys { try insert.execute(arguments: [key, rowid]) }
    }

    /// Writes the document row; returns its rowid and the band keys still to insert (none
    /// when the signature did not change).
    private static func saveRow(_ d: LedgerDocument, in db: Database) throws -> (Int64, [Int64]) {
        let existing = try Row.fetchOne(db.cachedStatement(sql: "SELECT rowid, signature FROM documents WHERE id = ?"), arguments: [d.id])
        let blob = Data(d.signature.bytes)
        let rowid: Int64
        if let existing {
            rowid = existing["rowid"]
            try db.cachedStatement(sql: """
                UPDATE documents SET kind = ?, url = ?, published = ?, content_sha256 = ?, signature = ?,
                    duplicate_of = ?, similarity = ?, last_run = ? WHERE rowid = ?
                """).execute(arguments: [d.kind.rawValue, d.url, d.published, d.contentSHA256, blob, d.duplicateOf, d.similarity, d.lastRun, rowid])
            if (existing["signature"] as Data) == blob { return (rowid, []) }
            try db.execute(sql: "DELETE FROM lsh_bands WHERE doc = ?", arguments: [rowid])
        } else {
            try db.cachedStatement(sql: """
                INSERT INTO documents (id, kind, url, published, content_sha256, signature, duplicate_of, similarity, first_run, last_run)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [d.id, d.kind.rawValue, d.url, d.published, d.contentSHA256, blob, d.duplicateOf, d.similarity, d.firstRun, d.lastRun])
            rowid = db.lastInsertedRowID
        }
        return (rowid, d.signature.bandKeys)
    }

    /// Points every duplicate of `ids` (and `ids` themselves) at `original`.
    public func redirectDuplicates(of ids: [String], to original: String) throws -> [String] {
        try db.write { db in
            var moved: [String] = []
            for id in ids {
                let dups = try String.fetchAll(db, sql: "SELECT id FROM documents WHERE duplicate_of = ?", arguments: [id])
                try db.execute(sql: "UPDATE documents SET duplicate_of = ? WHERE duplicate_of = ? OR id = ?", arguments: [original, id, id])
                moved += [id] + dups
            }
            return moved
        }
    }

    public func retireDocument(id: String) throws {
        try db.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT rowid, signature FROM documents WHERE id = ?", arguments: [id]) else { return }
            let rowid: Int64 = row["rowid"]
            // By key and document: the bands' primary key, not a scan for the document.
            if let signature = MinHashSignature(bytes: [UInt8](row["signature"] as Data)) {
                let delete = try db.cachedStatement(sql: "DELETE FROM lsh_bands WHERE key = ? AND doc = ?")
                for key in signature.bandKeys { try delete.execute(arguments: [key, rowid]) }
            }
            try db.execute(sql: "UPDATE documents SET content_sha256 = ?, duplicate_of = NULL, similarity = NULL WHERE rowid = ?",
                           arguments: [LedgerDocument.retired, rowid])
        }
    }

    /// Ids of the documents that repeat `id`.
    public func duplicates(of id: String) throws -> [LedgerDocument] {
        try db.read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.columns) FROM documents WHERE duplicate_of = ? ORDER BY rowid", arguments: [id]).compactMap(Self.document)
        }
    }

    public func count(kind: LedgerDocument.Kind? = nil) throws -> Int {
        try db.read { db in
            if let kind { return try Int.fetchOne(db, sql: "SELECT count(*) FROM documents WHERE kind = ?", arguments: [kind.rawValue]) ?? 0 }
            return try Int.fetchOne(db, sql: "SELECT count(*) FROM documents") ?? 0
        }
    }

    /// Folds the write-ahead log into the main file (for size measurements and backups).
    public func checkpoint() throws {
        try db.writeWithoutTransaction { try $0.checkpoint(.truncate) }
    }
}
