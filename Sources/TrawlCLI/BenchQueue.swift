import ArgumentParser
import Foundation
import Logging
import Trawl
import TrawlPostgres

/// Lease + complete round trips per second against one PostgreSQL, with 1, 4, 16… members
/// working the same queue at once (each member with its own connection pool, as a process
/// has), and the cost per item of queueing.
struct QueueBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "Time lease+complete round trips of the shared work queue at several member counts.")

    @OptionGroup var coordinator: CoordinatorOption
    @Option(parsing: .upToNextOption, help: "Member counts to time.") var members: [Int] = [1, 4, 16]
    @Option(help: "Items per measurement.") var items = 4000
    @Option(help: "Bytes of outcome stored per completion (a typical record).") var outcomeBytes = 4096

    func run() async throws {
        let logger = Logger(label: "bench")
        guard let url = coordinator.url else { throw ValidationError("pass --coordinator") }
        let outcome = Data(repeating: 0x61, count: outcomeBytes)
        print("members  items  enqueue/s  lease+complete/s  (outcome \(outcomeBytes) B)")
        for n in members {
            var coordinators: [PostgresCoordinator] = []
            for _ in 0..<n {
                var settings = PostgresCoordinator.Settings()
                settings.maxConnections = 2
                coordinators.append(try await PostgresCoordinator(url: url, settings: settings, logger: logger))
            }
            let key = "bench-\(n)-\(UUID().uuidString.prefix(6))"
            var sessions: [any HarvestSession] = []
            for (i, c) in coordinators.enumerated() { sessions.append(try await c.join(key: key, member: "\(key)-m\(i)")) }
            let clock = ContinuousClock()
            let t0 = clock.now
            for s in 0..<items {
                _ = try await sessions[0].queue.enqueue(QueuedRelease(sequence: s, source: "bench", url: "https://bench.example/\(s)",
                                                                       canonicalURL: "https://bench.example/\(s)"))
            }
            try await sessions[0].queue.finishDiscovery(count: items)
            let enqueue = clock.now - t0
            let t1 = clock.now
            try await withThrowingTaskGroup(of: Int.self) { group in
                for session in sessions {
                    group.addTask {
                        var done = 0
                        while let lease = try await session.queue.lease(limit: 1).first {
                            if try await session.queue.complete(lease, outcome: outcome, unchanged: false) { done += 1 }
                        }
                        return done
                    }
                }
                var total = 0
                for try await d in group { total += d }
                guard total == items else { throw ValidationError("completed \(total) of \(items)") }
            }
            let work = clock.now - t1
            func rate(_ d: Duration) -> String {
                String(format: "%.0f", Double(items) / (Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18))
            }
            func pad(_ s: String, _ w: Int) -> String { String(repeating: " ", count: max(0, w - s.count)) + s }
            print("\(pad("\(n)", 7))  \(pad("\(items)", 5))  \(pad(rate(enqueue), 9))  \(pad(rate(work), 16))")
            for s in sessions { await s.leave() }
            for c in coordinators { await c.shutdown() }
        }
    }
}
