import Logging
import PostgresNIO

/// Runs a query on the pool (any connection) or on one connection (the writer's, inside its
/// transaction), so that the same ledger and record code serves both.
protocol SQLRunner: Sendable {
    func run(_ query: PostgresQuery) async throws -> PostgresRowSequence
}

struct PoolRunner: SQLRunner {
    let client: PostgresClient
    func run(_ query: PostgresQuery) async throws -> PostgresRowSequence { try await client.query(query) }
}

struct ConnectionRunner: SQLRunner {
    let connection: PostgresConnection
    let logger: Logger
    func run(_ query: PostgresQuery) async throws -> PostgresRowSequence { try await connection.query(query, logger: logger) }
}

extension SQLRunner {
    /// Runs a statement and reads its result to the end.
    func execute(_ query: PostgresQuery) async throws {
        for try await _ in try await run(query) {}
    }
}

extension PostgresRowSequence {
    /// Every row, decoded. Rows are always read to the end: a result left half-read keeps its
    /// connection checked out of the pool.
    func all<each T: PostgresDecodable>(_ types: (repeat each T).Type) async throws -> [(repeat each T)] {
        var rows: [(repeat each T)] = []
        for try await row in self.decode(types) { rows.append(row) }
        return rows
    }

    func first<each T: PostgresDecodable>(_ types: (repeat each T).Type) async throws -> (repeat each T)? {
        try await all(types).first
    }

    /// How many rows came back (read to the end).
    func count() async throws -> Int {
        var n = 0
        for try await _ in self { n += 1 }
        return n
    }
}

extension PostgresRowSequence {
    /// Reads a statement's result to its end (its connection goes back to the pool only then).
    func drain() async throws {
        for try await _ in self {}
    }
}

extension Duration {
    /// Seconds as a Double, for `… * interval '1 second'` in SQL.
    var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
