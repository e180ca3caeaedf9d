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
