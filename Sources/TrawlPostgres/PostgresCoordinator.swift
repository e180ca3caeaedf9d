import Foundation
import Logging
import PostgresNIO
import Trawl

/// A harvest shared through PostgreSQL. Every `trawl` process of the harvest opens one of
/// these on the same database (`trawl run --coordinator postgres://…`); the schema is created
/// and migrated on first use.
public final class PostgresCoordinator: HarvestCoordinator, Sendable {
    public struct Settings: Sendable {
        /// How long a lease on a release lasts without renewal (renewed every second).
        public var lease: Duration = .seconds(10)
        /// Leases that may expire on one item before it is dead-lettered.
        public var maxAttempts = 3
        /// How long a member may go without a heartbeat before its host slots are free again.
        public var memberTimeout: Duration = .seconds(10)
        /// Connections of this process's pool.
        public var maxConnections = 8
        /// How long the server lets a transaction of this process sit idle before it ends the
        /// session (a paused process must not hold vacuum back). Raise it only for a process
        /// that may be starved of CPU for longer (the tests' own, which share two cores with
        /// dozens of processes).
        public var idleInTransaction: Duration = .seconds(10)
        public init() {}
    }

    let endpoint: PostgresEndpoint
    let client: PostgresClient
    /// Statements on the pool, each guarded against a connection closing under it.
    var pool: PoolRunner { PoolRunner(client: client, logger: logger) }
    let settings: Settings
    let logger: Logger
    private let runTask: Task<Void, Never>

    /// Connects (lazily: the pool opens connections as they are needed) and migrates.
    public init(url: String, settings: Settings = .init(), logger: Logger) async throws {
        self.endpoint = try PostgresEndpoint(url: url)
        self.settings = settings
        self.logger = logger
        let client = endpoint.makeClient(maxConnections: settings.maxConnections, idleInTransaction: settings.idleInTransaction, logger: logger)
        self.client = client
        runTask = Task { await client.run() }
        do {
            try await Schema.migrate(pool)
        } catch {
            runTask.cancel()
            throw CoordinatorError(endpoint.redacted, "cannot prepare the database (\(String(reflecting: error)))")
        }
    }

    deinit { runTask.cancel() }

    public func shutdown() async {
        runTask.cancel()
    }

    public func join(key: String, member: String) async throws -> any HarvestSession {
        let harvest = try await openHarvest(key: key)
        let session = PostgresSession(coordinator: self, harvest: harvest, member: member)
        try await session.start()
        return session
    }

    /// The open harvest of `key`, or a new one. A partial unique index allows one open harvest
    /// per key, so processes starting together agree on one.
    func openHarvest(key: String) async throws -> String {
        while true {
            if let id = try await pool.first("SELECT id FROM trawl_harvests WHERE key = \(key) AND finished IS NULL", String.self) {
                return id
            }
            let id = Pipeline.makeRunID()
            if let id = try await pool.first("""
                INSERT INTO trawl_harvests (id, key) VALUES (\(id), \(key)) ON CONFLICT DO NOTHING RETURNING id
                """, String.self) {
                return id
            }
        }
    }

    /// A connection of its own (not from the pool), for a role held by a session-level lock:
    /// the lock lives exactly as long as this connection.
    func dedicatedConnection() async throws -> PostgresConnection {
        var config = endpoint.connectionConfiguration
        config.options.additionalStartupParameters = PostgresEndpoint.sessionParameters(idleInTransaction: settings.idleInTransaction)
        return try await PostgresConnection.connect(configuration: config, id: Int.random(in: 1...Int(Int32.max)), logger: logger)
    }
}

/// A coordinator problem that stops the process, naming the database (without its password).
public struct CoordinatorError: Error, CustomStringConvertible, Sendable {
    public let database: String
    public let reason: String
    init(_ database: String, _ reason: String) { self.database = database; self.reason = reason }
    public var description: String { "coordinator \(database): \(reason)" }
}
