import Foundation
import GRDB

/// What the ledger remembers about one fetched URL between runs: the server's validators (so
/// the next request is conditional), what the body was, and for releases how many runs in a
/// row it answered 404/410.
public struct URLState: Sendable, Equatable {
    public enum Kind: String, Sendable { case listing, release, attachment, robots }

    public var url: String
    public var kind: Kind
    public var source: String
    public var recordID: String?
    public var etag: String?
    public var lastModified: String?
    public var bodySHA256: String?
    /// Kind-specific memory: a listing's links, an attachment's extraction (JSON).
    public var payload: Data?
    public var goneRuns = 0
    /// The run that saw the first 404/410 of the current streak: deletion waits for time as
    /// well as runs, so a cron that runs every minute does not delete on a short outage.
    public var goneSince: String?
    public var deleted = false
    public var lastRun: String

    public init(url: String, kind: Kind, source: String, recordID: String? = nil, etag: String? = nil,
                lastModified: String? = nil, bodySHA256: String? = nil, payload: Data? = nil,
                goneRuns: Int = 0, goneSince: String? = nil, deleted: Bool = false, lastRun: String) {
        self.url = url; self.kind = kind; self.source = source; self.recordID = recordID
        self.etag = etag; self.lastModified = lastModified; self.bodySHA256 = bodySHA256
        self.payload = payload; self.goneRuns = goneRuns; self.goneSince = goneSince; self.deleted = deleted; self.lastRun = lastRun
    }
}

extension Ledger {
    static func registerURLState(_ m: inout DatabaseMigrator) {
        m.registerMigration("v3-url-state") { db in
            try db.execute(sql: """
                CREATE TABLE url_state (
                    url TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    source TEXT NOT NULL,
                    record_id TEXT,
                    etag TEXT,
                    last_modified TEXT,
                    body_sha256 TEXT,
                    payload BLOB,
                    gone_runs INTEGER NOT NULL DEFAULT 0,
                    deleted INTEGER NOT NULL DEFAULT 0,
                    last_run TEXT NOT NULL,
                    PRIMARY KEY (url, kind)
                ) WITHOUT ROWID;
                CREATE INDEX url_state_source ON url_state(source, kind);
                """)
        }
        m.registerMigration("v4-gone-since") { db in
            try db.execute(sql: "ALTER TABLE url_state ADD COLUMN gone_since TEXT")
        }
    }

    public func urlState(_ url: String, kind: URLState.Kind) throws -> URLState? {
        try read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM url_state WHERE url = ? AND kind = ?"),
                             arguments: [url, kind.rawValue]).map(Self.urlState)
        }
    }

    public func saveURLState(_ s: URLState) throws {
        try write { db in
            try db.cachedStatement(sql: """
                INSERT OR REPLACE INTO url_state
                    (url, kind, source, record_id, etag, last_modified, body_sha256, payload, gone_runs, gone_since, deleted, last_run)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [s.url, s.kind.rawValue, s.source, s.recordID, s.etag, s.lastModified,
                                         s.bodySHA256, s.payload, s.goneRuns, s.goneSince, s.deleted, s.lastRun])
        }
    }

    /// Releases of `source` that are not deleted (for the sweep over releases the listings no
    /// longer show); only those already answering 404/410 when `goneOnly`.
    public func releaseURLs(source: String, goneOnly: Bool) throws -> [String] {
        try read { db in
            try String.fetchAll(db, sql: """
                SELECT url FROM url_state WHERE source = ? AND kind = 'release' AND deleted = 0
                \(goneOnly ? "AND (gone_runs > 0 OR body_sha256 IS NULL)" : "") ORDER BY url
                """, arguments: [source])
        }
    }

    public func releasesDue(source: String, goneRuns: Int) throws -> [URLState] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM url_state WHERE source = ? AND kind = 'release' AND deleted = 0 AND gone_runs >= ? ORDER BY url
                """, arguments: [source, goneRuns]).map(Self.urlState)
        }
    }

    public func deletedReleaseURLs(source: String, since: String) throws -> [String] {
        try read { db in
            try String.fetchAll(db, sql: """
                SELECT url FROM url_state WHERE source = ? AND kind = 'release' AND deleted = 1 AND last_run >= ? ORDER BY url
                """, arguments: [source, since])
        }
    }

    private static func urlState(_ row: Row) -> URLState {
        URLState(url: row["url"], kind: URLState.Kind(rawValue: row["kind"]) ?? .release, source: row["source"],
                 recordID: row["record_id"], etag: row["etag"], lastModified: row["last_modified"],
                 bodySHA256: row["body_sha256"], payload: row["payload"], goneRuns: row["gone_runs"],
                 goneSince: row["gone_since"], deleted: row["deleted"], lastRun: row["last_run"])
    }
}
