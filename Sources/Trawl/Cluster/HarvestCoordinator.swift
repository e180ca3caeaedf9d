import Foundation
import TrawlHTTP
import TrawlLedger

/// The engine many `trawl` processes share one harvest through (PostgreSQL:
/// `TrawlPostgres.PostgresCoordinator`). A process joins the open harvest of its
/// configuration, or opens one, and gets a session with the shared storage.
public protocol HarvestCoordinator: Sendable {
    /// Joins the open harvest named `key` (opening it when there is none).
    func join(key: String, member: String) async throws -> any HarvestSession
}

/// One process's part in a shared harvest. Every storage seam comes from here, so the stages
/// do not know they share their work.
public protocol HarvestSession: Sendable {
    /// The harvest's id: the run id every process of it writes into the ledger.
    var runID: String { get }
    var member: String { get }
    var ledger: any LedgerStore { get }
    /// For reads outside the writer (does a release's record exist?).
    var records: any RecordStore { get }
    var queue: any WorkQueue { get }
    func hostGate(concurrency: Int, delay: Duration) -> any HostGating

    /// The discoverer role: one process at a time walks the sources into the queue.
    func tryDiscoverer() async throws -> (any RoleLease)?
    /// The writer role: one process at a time decides duplicates and writes, in order.
    func tryWriter() async throws -> (any WriterSession)?
    func isFinished() async throws -> Bool
    /// Marks the harvest finished (the writer, once every item is written).
    func finish() async throws
    /// Writes the records and change feeds held by the coordinator into `output`'s layout.
    func export(to output: OutputDirectory) async throws -> ExportSummary
    /// Stops heartbeats and says goodbye (the roles a process holds end with it anyway).
    func leave() async
}

/// A role held through the database; it ends when released or when its holder dies.
public protocol RoleLease: Sendable {
    func release() async
}

/// The writer's transactional view: the ledger and records it sees and changes belong to one
/// transaction per batch, committed together with the cursor (the next item to write), so a
/// writer killed mid-batch leaves nothing behind and its successor redoes the batch.
public protocol WriterSession: RoleLease {
    var ledger: any LedgerStore { get }
    var records: any RecordStore { get }
    func cursor() async throws -> Int
    func begin() async throws
    func commit(cursor: Int) async throws
    func rollback() async
}

/// What an export changed in the output directory.
public struct ExportSummary: Sendable, Equatable, CustomStringConvertible {
    public var written = 0
    public var unchanged = 0
    public var removed = 0
    public var feeds = 0
    public init() {}
    public var description: String { "\(written) records written, \(unchanged) unchanged, \(removed) removed, \(feeds) change feeds" }
}
