import Logging
import PostgresNIO

/// Runs statements on the pool (any connection) or on one connection (a role's, or a
/// transaction's), so that the same ledger, record and queue code serves all of them. Every
/// statement goes through `guardedQuery`, and a result is read to its end before its
/// connection is given back.
protocol SQLRunner: Sendable {
    /// Runs `query` and hands its rows to `body` while the connection is held.
    func withRows<R>(_ query: PostgresQuery, _ body: (PostgresRowSequence) async throws -> R) async throws -> R
}

/// Statements on connections leased from the pool, one lease per statement.
struct PoolRunner: SQLRunner {
    let client: PostgresClient
    let logger: Logger

    func withRows<R>(_ query: PostgresQuery, _ body: (PostgresRowSequence) async throws -> R) async throws -> R {
        try await client.withConnection { connection in
            try await body(try await connection.guardedQuery(query, logger: logger))
        }
    }

    /// Runs `body` in one transaction on one leased connection; rolled back when it throws.
    func transaction<R>(_ body: (ConnectionRunner) async throws -> R) async throws -> R {
        try await client.withConnection { connection in
            let tx = ConnectionRunner(connection: connection, logger: logger)
            try await tx.execute("BEGIN")
            do {
                let result = try await body(tx)
                try await tx.execute("COMMIT")
                return result
            } catch {
                // A connection that died took its transaction with it; the pool drops it.
                try? await tx.execute("ROLLBACK")
                throw error
            }
        }
    }
}

/// Statements on one connection.
struct ConnectionRunner: SQLRunner {
    let connection: PostgresConnection
    let logger: Logger

    func withRows<R>(_ query: PostgresQuery, _ body: (PostgresRowSequence) async throws -> R) async throws -> R {
        try await body(try await connection.guardedQuery(query, logger: logger))
    }
}

extension SQLRunner {
    /// Runs a statement and reads its result to the end.
    func execute(_ query: PostgresQuery) async throws {
        try await withRows(query) { rows in for try await _ in rows {} }
    }

    /// Every row, decoded.
    func all<each T: PostgresDecodable & Sendable>(_ query: PostgresQuery, _ types: (repeat each T).Type) async throws -> [(repeat each T)] {
        try await withRows(query) { sequence in
            var rows: [(repeat each T)] = []
            for try await row in sequence.decode(types) { rows.append(row) }
            return rows
        }
    }

    func first<each T: PostgresDecodable & Sendable>(_ query: PostgresQuery, _ types: (repeat each T).Type) async throws -> (repeat each T)? {
        try await all(query, types).first
    }

    /// How many rows came back.
    func count(_ query: PostgresQuery) async throws -> Int {
        try await withRows(query) { rows in
            var n = 0
            for try await _ in rows { n += 1 }
            return n
        }
    }
}

extension Duration {
    /// Seconds as a Double, for `… * interval '1 second'` in SQL.
    var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
