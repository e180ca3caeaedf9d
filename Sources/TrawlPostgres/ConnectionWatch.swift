import Foundation
import Logging
import NIOCore
import PostgresNIO
import Synchronization

extension PostgresConnection {
    /// A query whose caller is told when the connection closes under it.
    ///
    /// postgres-nio hands a query to its channel without a write promise, so a query written
    /// after the channel has closed (the server ended an idle-in-transaction session while
    /// this process was paused, a restart, a dropped socket) is never answered and its caller
    /// would wait forever. Here the answer races the connection's close: whichever comes
    /// first resumes the caller.
    func guardedQuery(_ query: PostgresQuery, logger: Logger) async throws -> PostgresRowSequence {
        let answer = OnceAnswer()
        return try await withCheckedThrowingContinuation { continuation in
            answer.set(continuation)
            let token = ConnectionWatch.shared.watch(self) {
                answer.resume(throwing: ConnectionClosed(id: self.id))
            }
            guard let token else {
                answer.resume(throwing: ConnectionClosed(id: self.id))
                return
            }
            Task {
                do {
                    answer.resume(returning: try await self.query(query, logger: logger))
                } catch {
                    answer.resume(throwing: error)
                }
                ConnectionWatch.shared.unwatch(self, token)
            }
        }
    }
}

/// The coordinator's connection closed while a statement waited on it.
public struct ConnectionClosed: Error, CustomStringConvertible, Sendable {
    let id: Int
    public var description: String { "the connection to the coordinator closed (connection \(id))" }
}

/// Resumes a continuation once, with the first answer.
private final class OnceAnswer: Sendable {
    private let continuation = Mutex<CheckedContinuation<PostgresRowSequence, any Error>?>(nil)
    // A sequence is handed over once, to the one waiter.
    private struct Box: @unchecked Sendable { let rows: PostgresRowSequence }

    func set(_ c: CheckedContinuation<PostgresRowSequence, any Error>) { continuation.withLock { $0 = c } }

    func resume(returning rows: PostgresRowSequence) {
        let box = Box(rows: rows)
        continuation.withLock { $0.take() }?.resume(returning: box.rows)
    }

    func resume(throwing error: any Error) {
        continuation.withLock { $0.take() }?.resume(throwing: error)
    }
}

/// The statements waiting on each open connection, failed together when it closes. One close
/// callback per connection (not one per statement, which would pile up on a long-lived one).
final class ConnectionWatch: Sendable {
    static let shared = ConnectionWatch()

    private struct Waiting {
        /// Held until the close is handled, so that no new connection can take this one's
        /// address (and key) while its waiters are still being failed.
        let connection: PostgresConnection
        var next: UInt64 = 0
        var failures: [UInt64: @Sendable () -> Void] = [:]
    }
    private let connections = Mutex<[ObjectIdentifier: Waiting]>([:])

    /// Registers a waiter; nil when the connection is already closed.
    func watch(_ connection: PostgresConnection, onClose: @escaping @Sendable () -> Void) -> UInt64? {
        let key = ObjectIdentifier(connection)
        let (token, first) = connections.withLock { all -> (UInt64, Bool) in
            let first = all[key] == nil
            var waiting = all[key] ?? Waiting(connection: connection)
            waiting.next += 1
            waiting.failures[waiting.next] = onClose
            all[key] = waiting
            return (waiting.next, first)
        }
        if first {
            connection.closeFuture.whenComplete { _ in
                // A closing connection fails its own pending statements with the server's
                // reason; only those it lost are told here, a moment later.
                connection.closeFuture.eventLoop.scheduleTask(in: .milliseconds(50)) {
                    let failures = self.connections.withLock { $0.removeValue(forKey: key)?.failures.values.map { $0 } ?? [] }
                    for fail in failures { fail() }
                }
            }
        }
        if connection.isClosed {
            unwatch(connection, token)
            return nil
        }
        return token
    }

    func unwatch(_ connection: PostgresConnection, _ token: UInt64) {
        let key = ObjectIdentifier(connection)
        connections.withLock { all in
            guard var waiting = all[key] else { return }
            waiting.failures[token] = nil
            all[key] = waiting
        }
    }
}
