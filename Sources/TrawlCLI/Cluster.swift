import ArgumentParser
import Foundation
import Logging
import Trawl
import TrawlPostgres

/// Where the coordinator of a shared harvest is: `--coordinator` or `TRAWL_COORDINATOR`.
struct CoordinatorOption: ParsableArguments {
    @Option(name: .long, help: "A PostgreSQL URL (postgres://user@host/db, or postgres://user@/db?host=/socket/dir) shared by every process of the harvest. Also TRAWL_COORDINATOR.")
    var coordinator: String?

    @Option(name: .long, help: "Seconds a leased release stays with a process that stops renewing it (renewed every second); its host slots stop counting after as long.")
    var lease: Double = 10

    @Option(name: .long, help: "Leases that may expire on one release before it is dead-lettered.")
    var maxAttempts = 3

    var url: String? { coordinator ?? ProcessInfo.processInfo.environment["TRAWL_COORDINATOR"].flatMap { $0.isEmpty ? nil : $0 } }

    func connect(logger: Logger) async throws -> PostgresCoordinator {
        guard let url else { throw ValidationError("no coordinator: pass --coordinator postgres://… or set TRAWL_COORDINATOR") }
        do {
            var settings = PostgresCoordinator.Settings()
            settings.lease = .milliseconds(Int(max(lease, 1.5) * 1000))
            settings.memberTimeout = settings.lease
            settings.maxAttempts = max(1, maxAttempts)
            return try await PostgresCoordinator(url: url, settings: settings, logger: logger)
        } catch {
            FileHandle.standardError.write(Data("trawl: \(error)\n".utf8))
            throw ExitCodes.coordinator
        }
    }
}

struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the harvests of a coordinator: items ready, leased, done and dead, live processes, the writer.")

    @OptionGroup var coordinator: CoordinatorOption
    @Flag(help: "Print JSON.") var json = false
    @Option(help: "How many recent harvests to show.") var limit = 3

    func run() async throws {
        let logger = Logger(label: "trawl")
        let c = try await coordinator.connect(logger: logger)
        let status = try await c.status(limit: limit)
        if json {
            let data = try TrawlJSON.encoder(pretty: true).encode(status)
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(status.text)
        }
        await c.shutdown()
    }
}

struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the records and change feeds a coordinator holds into OUTPUT (records/, changes/), as an embedded run lays them out.",
        discussion: "Idempotent: only records whose bytes differ are written, and files of records no longer held are removed.")

    @Argument(help: "The output directory.") var output: String
    @OptionGroup var coordinator: CoordinatorOption

    func run() async throws {
        let logger = Logger(label: "trawl")
        let c = try await coordinator.connect(logger: logger)
        let summary = try await c.export(to: OutputDirectory(root: URL(fileURLWithPath: output)))
        print(summary)
        await c.shutdown()
    }
}
