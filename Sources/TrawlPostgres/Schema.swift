import Foundation
import Logging
import PostgresNIO

/// The coordinator's tables, created and migrated by Trawl. Migrations run under a
/// transaction-level advisory lock, so processes starting together migrate once.
enum Schema {
    /// Each entry is one migration; its index + 1 is the schema version it brings.
    static let migrations: [String] = [
        """
        -- The ledger, as in the embedded SQLite file (rowid keeps "first seen" order).
        CREATE TABLE trawl_documents (
            rowid BIGSERIAL PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            url TEXT NOT NULL,
            published TEXT,
            content_sha256 TEXT NOT NULL,
            signature BYTEA NOT NULL,
            duplicate_of TEXT,
            similarity DOUBLE PRECISION,
            first_run TEXT NOT NULL,
            last_run TEXT NOT NULL
        );
        CREATE INDEX trawl_documents_content ON trawl_documents (content_sha256, kind);
        CREATE INDEX trawl_documents_duplicate_of ON trawl_documents (duplicate_of) WHERE duplicate_of IS NOT NULL;
        CREATE TABLE trawl_lsh_bands (
            key BIGINT NOT NULL,
            doc BIGINT NOT NULL REFERENCES trawl_documents (rowid) ON DELETE CASCADE,
            PRIMARY KEY (key, doc)
        );
        CREATE INDEX trawl_lsh_bands_doc ON trawl_lsh_bands (doc);
        CREATE TABLE trawl_url_state (
            url TEXT NOT NULL,
            kind TEXT NOT NULL,
            source TEXT NOT NULL,
            record_id TEXT,
            etag TEXT,
            last_modified TEXT,
            body_sha256 TEXT,
            payload BYTEA,
            gone_runs INTEGER NOT NULL DEFAULT 0,
            deleted BOOLEAN NOT NULL DEFAULT FALSE,
            last_run TEXT NOT NULL,
            PRIMARY KEY (url, kind)
        );
        CREATE INDEX trawl_url_state_source ON trawl_url_state (source, kind);
        CREATE TABLE trawl_quarantine (
            sha256 TEXT PRIMARY KEY,
            reason TEXT NOT NULL,
            message TEXT NOT NULL,
            url TEXT NOT NULL,
            since TEXT NOT NULL
        );
        CREATE TABLE trawl_runs (id TEXT PRIMARY KEY, started TEXT NOT NULL, finished TEXT);

        -- One open harvest per key (the sources of a configuration); its id is the run id.
        CREATE TABLE trawl_harvests (
            id TEXT PRIMARY KEY,
            key TEXT NOT NULL,
            started TIMESTAMPTZ NOT NULL DEFAULT now(),
            discovered BIGINT,
            finished TIMESTAMPTZ
        );
        CREATE UNIQUE INDEX trawl_harvests_open ON trawl_harvests (key) WHERE finished IS NULL;

        -- The hand-off: releases leased with SKIP LOCKED, an owner, an attempt and an expiry.
        CREATE TABLE trawl_work (
            harvest TEXT NOT NULL REFERENCES trawl_harvests (id) ON DELETE CASCADE,
            seq BIGINT NOT NULL,
            release JSONB NOT NULL,
            canonical_url TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'ready' CHECK (state IN ('ready', 'leased', 'done', 'dead')),
            owner TEXT,
            attempt INTEGER NOT NULL DEFAULT 0,
            lease_until TIMESTAMPTZ,
            owners TEXT[] NOT NULL DEFAULT '{}',
            outcome BYTEA,
            unchanged BOOLEAN,
            reason TEXT,
            finished_at TIMESTAMPTZ,
            PRIMARY KEY (harvest, seq),
            UNIQUE (harvest, canonical_url)
        );
        CREATE INDEX trawl_work_open ON trawl_work (harvest, seq) WHERE state IN ('ready', 'leased');

        -- Live processes (heartbeats), for host slots of dead members and `trawl status`.
        CREATE TABLE trawl_members (
            id TEXT PRIMARY KEY,
            harvest TEXT NOT NULL,
            joined TIMESTAMPTZ NOT NULL DEFAULT now(),
            seen TIMESTAMPTZ NOT NULL DEFAULT now(),
            left_at TIMESTAMPTZ
        );

        -- Politeness for the whole cluster, on the database's clock.
        CREATE TABLE trawl_hosts (
            host TEXT PRIMARY KEY,
            next_start TIMESTAMPTZ NOT NULL DEFAULT 'epoch',
            paused_until TIMESTAMPTZ NOT NULL DEFAULT 'epoch'
        );
        CREATE TABLE trawl_host_slots (
            id BIGSERIAL PRIMARY KEY,
            host TEXT NOT NULL,
            member TEXT NOT NULL,
            since TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
        );
        CREATE INDEX trawl_host_slots_host ON trawl_host_slots (host);

        -- The writer's output: records, a gap-free change feed and the cursor, one transaction.
        CREATE TABLE trawl_records (
            id TEXT PRIMARY KEY,
            data BYTEA NOT NULL
        );
        CREATE TABLE trawl_changes (
            harvest TEXT NOT NULL,
            seq BIGINT NOT NULL,
            op TEXT NOT NULL,
            id TEXT NOT NULL,
            url TEXT NOT NULL,
            source TEXT NOT NULL,
            PRIMARY KEY (harvest, seq)
        );
        CREATE TABLE trawl_writer (
            harvest TEXT PRIMARY KEY,
            next_item BIGINT NOT NULL DEFAULT 0,
            changes BIGINT NOT NULL DEFAULT 0,
            writer TEXT,
            since TIMESTAMPTZ
        );
        """,
        """
        -- The run that saw the first 404/410 of a release's current streak (deletion waits for time too).
        ALTER TABLE trawl_url_state ADD COLUMN gone_since TEXT;
        """,
    ]

    static func statements(_ sql: String) -> [String] {
        sql.components(separatedBy: ";\n").map { chunk in
            chunk.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("--") }.joined(separator: "\n")
        }.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }

    static func migrate(_ pool: PoolRunner) async throws {
        try await pool.transaction { db in
            try await db.execute("SELECT pg_advisory_xact_lock(\(Locks.migration))")
            try await db.execute("CREATE TABLE IF NOT EXISTS trawl_schema (version INTEGER NOT NULL)")
            let version = try await db.first("SELECT coalesce(max(version), 0) FROM trawl_schema", Int.self) ?? 0
            guard version < migrations.count else { return }
            for (i, sql) in migrations.enumerated() where i + 1 > version {
                // The extended protocol takes one statement at a time.
                for statement in statements(sql) {
                    try await db.execute(PostgresQuery(unsafeSQL: statement))
                }
            }
            try await db.execute("DELETE FROM trawl_schema")
            try await db.execute("INSERT INTO trawl_schema (version) VALUES (\(migrations.count))")
        }
    }
}

/// Advisory lock keys (64-bit). Roles hash the harvest id into their key.
enum Locks {
    static let migration: Int64 = 0x7472_6177_6C00_0001  // "trawl" + 1
    /// Sinks migrate their tables under their own key (they may share a database with a coordinator).
    static let sinks: Int64 = 0x7472_6177_6C00_0002
}
