import Foundation
import Logging
import PostgresNIO

/// Where the coordinator's database is, from a libpq-style URL:
/// `postgres://user:password@host:5432/database` over TCP, or
/// `postgres://user@/database?host=/run/postgresql` over the Unix socket in that folder
/// (`port` names the socket file, as with libpq). `sslmode=require` asks for TLS.
struct PostgresEndpoint: Sendable {
    enum Address: Sendable, Equatable {
        case tcp(host: String, port: Int)
        case socket(path: String)
    }

    var address: Address
    var username: String
    var password: String?
    var database: String
    var requireTLS: Bool

    /// Server settings every connection of Trawl's gets: an idle transaction cannot hold
    /// vacuum back (a paused process's open transaction is ended by the server), and no
    /// statement or lock wait runs away. Commits do not wait for the disk: a server crash can
    /// lose the last fraction of a second of them, in order, which the protocol already
    /// survives (a lost completion is leased again, a lost writer batch is rolled back with its
    /// cursor and rewritten identically), and it multiplies the commit rate.
    static func sessionParameters(idleInTransaction: Duration = .seconds(10)) -> [(String, String)] {
        [
            ("synchronous_commit", "off"),
            ("idle_in_transaction_session_timeout", "\(max(1, Int(idleInTransaction.components.seconds)))s"),
            ("statement_timeout", "120s"),
            ("lock_timeout", "60s"),
            ("application_name", "trawl"),
        ]
    }

    init(url: String) throws {
        guard let components = URLComponents(string: url), let scheme = components.scheme,
              scheme == "postgres" || scheme == "postgresql" else {
            throw CoordinatorError(url, "not a postgres:// URL")
        }
        let query = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { a, _ in a })
        username = components.user.flatMap { $0.removingPercentEncoding } ?? ProcessInfo.processInfo.environment["USER"] ?? "postgres"
        password = components.password?.removingPercentEncoding
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        database = path.isEmpty ? username : path
        let port = components.port ?? Int(query["port"] ?? "") ?? 5432
        if let dir = query["host"], dir.hasPrefix("/") {
            address = .socket(path: "\(dir)/.s.PGSQL.\(port)")
        } else if let host = components.host, !host.isEmpty {
            address = .tcp(host: host, port: port)
        } else {
            address = .socket(path: "/var/run/postgresql/.s.PGSQL.\(port)")
        }
        requireTLS = query["sslmode"] == "require" || query["sslmode"] == "verify-full"
    }

    /// The URL without its password, for messages.
    var redacted: String {
        switch address {
        case .tcp(let host, let port): "postgres://\(username)@\(host):\(port)/\(database)"
        case .socket(let path): "postgres://\(username)@/\(database) (socket \(path))"
        }
    }

    /// A connection pool with Trawl's session settings; its own chatter (a query queued before
    /// its run loop started, a connection closed at shutdown) is not the user's business, its
    /// errors still are. The caller runs `client.run()` for as long as it uses the pool.
    func makeClient(maxConnections: Int, idleInTransaction: Duration, logger: Logger) -> PostgresClient {
        var config = clientConfiguration
        config.options.maximumConnections = maxConnections
        config.options.additionalStartupParameters = Self.sessionParameters(idleInTransaction: idleInTransaction)
        var background = logger
        background.logLevel = .error
        return PostgresClient(configuration: config, backgroundLogger: background)
    }

    var clientConfiguration: PostgresClient.Configuration {
        switch address {
        case .tcp(let host, let port):
            return PostgresClient.Configuration(host: host, port: port, username: username, password: password, database: database,
                                                tls: requireTLS ? .require(.makeClientConfiguration()) : .disable)
        case .socket(let path):
            return PostgresClient.Configuration(unixSocketPath: path, username: username, password: password, database: database)
        }
    }

    var connectionConfiguration: PostgresConnection.Configuration {
        switch address {
        case .tcp(let host, let port):
            let tls: PostgresConnection.Configuration.TLS
            if requireTLS, let context = try? NIOSSLContext(configuration: .makeClientConfiguration()) { tls = .require(context) } else { tls = .disable }
            return PostgresConnection.Configuration(host: host, port: port, username: username, password: password, database: database, tls: tls)
        case .socket(let path):
            return PostgresConnection.Configuration(unixSocketPath: path, username: username, password: password, database: database)
        }
    }
}
