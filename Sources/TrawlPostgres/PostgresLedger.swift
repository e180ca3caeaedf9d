import Foundation
import PostgresNIO
import TrawlDedup
import TrawlLedger

/// The ledger in PostgreSQL: the same tables and the same answers as the embedded SQLite
/// ledger (documents oldest first by a serial rowid, one row per LSH band and document).
struct PostgresLedger: LedgerStore {
    let db: any SQLRunner

    private static let columns = "rowid, id, kind, url, published, content_sha256, signature, duplicate_of, similarity, first_run, last_run"
    private typealias DocumentRow = (Int64, String, String, String, String?, String, Data, String?, Double?, String, String)

    private static func document(_ r: DocumentRow) -> LedgerDocument? {
        guard let signature = MinHashSignature(bytes: [UInt8](r.6)), let kind = LedgerDocument.Kind(rawValue: r.2) else { return nil }
        return LedgerDocument(id: r.1, kind: kind, url: r.3, published: r.4, contentSHA256: r.5, signature: signature,
                              duplicateOf: r.7, similarity: r.8, firstRun: r.9, lastRun: r.10)
    }

    private func documents(_ query: PostgresQuery) async throws -> [LedgerDocument] {
        var out: [LedgerDocument] = []
        for row in try await db.all(query, DocumentRow.self) {
            if let d = Self.document(row) { out.append(d) }
        }
        return out
    }

    func document(id: String) async throws -> LedgerDocument? {
        try await documents("SELECT \(unescaped: Self.columns) FROM trawl_documents WHERE id = \(id)").first
    }

    func documents(contentSHA256: String, kind: LedgerDocument.Kind) async throws -> [LedgerDocument] {
        try await documents("SELECT \(unescaped: Self.columns) FROM trawl_documents WHERE content_sha256 = \(contentSHA256) AND kind = \(kind.rawValue) ORDER BY rowid")
    }

    func candidates(for signature: MinHashSignature, kind: LedgerDocument.Kind) async throws -> [LedgerDocument] {
        let keys = signature.bandKeys
        return try await documents("""
            SELECT \(unescaped: Self.columns) FROM trawl_documents
            WHERE rowid IN (SELECT doc FROM trawl_lsh_bands WHERE key = ANY(\(keys))) AND kind = \(kind.rawValue) ORDER BY rowid
            """)
    }

    func save(_ d: LedgerDocument) async throws {
        let blob = Data(d.signature.bytes)
        // Upsert; the old signature comes back so that unchanged bands are left alone.
        var rowid: Int64 = 0
        var signatureChanged = true
        for (id, same) in try await db.all("""
            WITH old AS (SELECT rowid, signature FROM trawl_documents WHERE id = \(d.id))
            INSERT INTO trawl_documents (id, kind, url, published, content_sha256, signature, duplicate_of, similarity, first_run, last_run)
            VALUES (\(d.id), \(d.kind.rawValue), \(d.url), \(d.published), \(d.contentSHA256), \(blob), \(d.duplicateOf), \(d.similarity), \(d.firstRun), \(d.lastRun))
            ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, url = excluded.url, published = excluded.published,
                content_sha256 = excluded.content_sha256, signature = excluded.signature, duplicate_of = excluded.duplicate_of,
                similarity = excluded.similarity, last_run = excluded.last_run
            RETURNING rowid, coalesce((SELECT signature = \(blob) FROM old), FALSE)
            """, (Int64, Bool).self) {
            rowid = id
            signatureChanged = !same
        }
        guard signatureChanged else { return }
        try await db.execute("DELETE FROM trawl_lsh_bands WHERE doc = \(rowid)")
        let keys = d.signature.bandKeys
        try await db.execute("""
            INSERT INTO trawl_lsh_bands (key, doc) SELECT DISTINCT k, \(rowid) FROM unnest(\(keys)::BIGINT[]) AS k ON CONFLICT DO NOTHING
            """)
    }

    func redirectDuplicates(of ids: [String], to original: String) async throws -> [String] {
        var moved: [String] = []
        for id in ids {
            var dups: [String] = []
            for (dup) in try await db.all("SELECT id FROM trawl_documents WHERE duplicate_of = \(id) ORDER BY rowid", String.self) {
                dups.append(dup)
            }
            try await db.execute("UPDATE trawl_documents SET duplicate_of = \(original) WHERE duplicate_of = \(id) OR id = \(id)")
            moved += [id] + dups
        }
        return moved
    }

    func retireDocument(id: String) async throws {
        try await db.execute("DELETE FROM trawl_lsh_bands WHERE doc = (SELECT rowid FROM trawl_documents WHERE id = \(id))")
        try await db.execute("""
            UPDATE trawl_documents SET content_sha256 = \(LedgerDocument.retired), duplicate_of = NULL, similarity = NULL WHERE id = \(id)
            """)
    }

    func duplicates(of id: String) async throws -> [LedgerDocument] {
        try await documents("SELECT \(unescaped: Self.columns) FROM trawl_documents WHERE duplicate_of = \(id) ORDER BY rowid")
    }

    // MARK: URL state

    private typealias StateRow = (String, String, String, String?, String?, String?, String?, Data?, Int, Bool, String, String?)

    func urlState(_ url: String, kind: URLState.Kind) async throws -> URLState? {
        guard let r = try await db.first("""
            SELECT url, kind, source, record_id, etag, last_modified, body_sha256, payload, gone_runs, deleted, last_run, gone_since
            FROM trawl_url_state WHERE url = \(url) AND kind = \(kind.rawValue)
            """, StateRow.self) else { return nil }
        return URLState(url: r.0, kind: URLState.Kind(rawValue: r.1) ?? kind, source: r.2, recordID: r.3, etag: r.4,
                        lastModified: r.5, bodySHA256: r.6, payload: r.7, goneRuns: r.8, goneSince: r.11, deleted: r.9, lastRun: r.10)
    }

    func saveURLState(_ s: URLState) async throws {
        try await db.execute("""
            INSERT INTO trawl_url_state (url, kind, source, record_id, etag, last_modified, body_sha256, payload, gone_runs, gone_since, deleted, last_run)
            VALUES (\(s.url), \(s.kind.rawValue), \(s.source), \(s.recordID), \(s.etag), \(s.lastModified), \(s.bodySHA256), \(s.payload),
                    \(s.goneRuns), \(s.goneSince), \(s.deleted), \(s.lastRun))
            ON CONFLICT (url, kind) DO UPDATE SET source = excluded.source, record_id = excluded.record_id, etag = excluded.etag,
                last_modified = excluded.last_modified, body_sha256 = excluded.body_sha256, payload = excluded.payload,
                gone_runs = excluded.gone_runs, gone_since = excluded.gone_since, deleted = excluded.deleted, last_run = excluded.last_run
            """)
    }

    func releaseURLs(source: String, goneOnly: Bool) async throws -> [String] {
        var urls: [String] = []
        for (url) in try await db.all("""
            SELECT url FROM trawl_url_state WHERE source = \(source) AND kind = 'release' AND NOT deleted
              AND (gone_runs > 0 OR body_sha256 IS NULL OR NOT \(goneOnly)) ORDER BY url COLLATE "C"
            """, String.self) {
            urls.append(url)
        }
        return urls
    }

    func releasesDue(source: String, goneRuns: Int) async throws -> [URLState] {
        var states: [URLState] = []
        for r in try await db.all("""
            SELECT url, kind, source, record_id, etag, last_modified, body_sha256, payload, gone_runs, deleted, last_run, gone_since
            FROM trawl_url_state WHERE source = \(source) AND kind = 'release' AND NOT deleted AND gone_runs >= \(goneRuns)
            ORDER BY url COLLATE "C"
            """, StateRow.self) {
            states.append(URLState(url: r.0, kind: .release, source: r.2, recordID: r.3, etag: r.4, lastModified: r.5,
                                   bodySHA256: r.6, payload: r.7, goneRuns: r.8, goneSince: r.11, deleted: r.9, lastRun: r.10))
        }
        return states
    }

    func deletedReleaseURLs(source: String, since: String) async throws -> [String] {
        var urls: [String] = []
        for (url) in try await db.all("""
            SELECT url FROM trawl_url_state WHERE source = \(source) AND kind = 'release' AND deleted AND last_run >= \(since)
            ORDER BY url COLLATE "C"
            """, String.self) {
            urls.append(url)
        }
        return urls
    }

    // MARK: Quarantine and runs

    func quarantined(_ sha256: String) async throws -> Ledger.QuarantineEntry? {
        guard let r = try await db.first("SELECT sha256, reason, message, url, since FROM trawl_quarantine WHERE sha256 = \(sha256)", (String, String, String, String, String).self) else { return nil }
        return .init(sha256: r.0, reason: r.1, message: r.2, url: r.3, since: r.4)
    }

    func quarantine(_ e: Ledger.QuarantineEntry) async throws {
        try await db.execute("""
            INSERT INTO trawl_quarantine (sha256, reason, message, url, since) VALUES (\(e.sha256), \(e.reason), \(e.message), \(e.url), \(e.since))
            ON CONFLICT (sha256) DO UPDATE SET reason = excluded.reason, message = excluded.message, url = excluded.url, since = excluded.since
            """)
    }

    func beginRun(_ id: String, at date: String) async throws {
        try await db.execute("INSERT INTO trawl_runs (id, started) VALUES (\(id), \(date)) ON CONFLICT (id) DO NOTHING")
    }

    func finishRun(_ id: String, at date: String) async throws {
        try await db.execute("UPDATE trawl_runs SET finished = \(date) WHERE id = \(id)")
    }
}
